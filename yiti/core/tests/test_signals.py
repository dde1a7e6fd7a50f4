"""Core reports refusals by a signal (it cannot import yiti.security); whoever listens hears them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from yiti.core import views
from yiti.core.signals import security_event

# Other apps (yiti.security in this project) listen too and write to the database.
pytestmark = pytest.mark.django_db


def _heard(call):
    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    security_event.connect(listener, weak=False, dispatch_uid="test-listener")
    try:
        call()
    finally:
        security_event.disconnect(dispatch_uid="test-listener")
    return heard


def test_a_refusal_is_sent_with_the_request_and_what_was_refused():
    request = RequestFactory().get("/needs/7/edit/?x=1")
    request.user = AnonymousUser()
    heard = _heard(lambda: views.denied(request, "outside scope"))
    assert [(h["event"], h["request"], h["user"], h["detail"]) for h in heard] == [
        ("access_denied", request, request.user, "GET /needs/7/edit/?x=1 outside scope")]


def test_a_forged_form_is_sent_and_still_refused():
    request = RequestFactory().post("/needs/add/")
    request.user = AnonymousUser()
    responses = []
    heard = _heard(lambda: responses.append(views.csrf_failure(request, reason="CSRF token missing.")))
    assert [r.status_code for r in responses] == [403]
    assert [(h["event"], h["detail"]) for h in heard] == [("csrf_failed", "POST /needs/add/ CSRF token missing.")]
