"""Login, logout, failures and lockouts go to AuthEvent, with address and browser."""

import pytest
from django.urls import reverse

from yiti.security.models import AuthEvent
from yiti.security.tests.conftest import login

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0) Chrome/120"


def test_login_and_logout_are_recorded(client, make_user):
    user = make_user()

    login(client, "clerk", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.7")
    client.post(reverse("logout"), HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.7")

    events = list(AuthEvent.objects.order_by("id").values_list("event", "user", "username", "remote_addr", "user_agent"))
    assert events == [
        ("login", user.pk, "clerk", "192.0.2.7", BROWSER),
        ("logout", user.pk, "clerk", "192.0.2.7", BROWSER),
    ]


def test_failed_login_of_an_existing_account(client, make_user):
    user = make_user()
    login(client, "clerk", "wrong-password", REMOTE_ADDR="192.0.2.8")
    event = AuthEvent.objects.get()
    assert (event.event, event.user, event.username, event.remote_addr) == ("login_failed", user, "clerk", "192.0.2.8")


def test_failed_login_of_an_unknown_name_keeps_the_name(client):
    login(client, "nobody", "whatever")
    event = AuthEvent.objects.get()
    assert (event.event, event.user, event.username) == ("login_failed", None, "nobody")


def test_lockout_is_recorded(client, make_user):
    make_user()
    for _ in range(5):
        login(client, "clerk", "wrong-password")
    assert AuthEvent.objects.filter(event="login_failed").count() == 5
    assert AuthEvent.objects.filter(event="locked_out", username="clerk").count() == 1

    login(client, "clerk")  # refused during the lock: recorded as a lockout again
    assert AuthEvent.objects.filter(event="locked_out").count() == 2
    assert not AuthEvent.objects.filter(event="login").exists()


def test_address_behind_the_tls_proxy_is_the_one_the_proxy_saw(client, make_user, settings):
    settings.BEHIND_TLS = True
    make_user()
    login(client, "clerk", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4", REMOTE_ADDR="127.0.0.1")
    assert AuthEvent.objects.get().remote_addr == "198.51.100.4"


def test_events_are_read_only_in_the_admin(second_factor_off, admin_client, client, make_user):
    make_user()
    login(client, "clerk", "wrong")
    event = AuthEvent.objects.get(event="login_failed")
    listing = admin_client.get(reverse("admin:security_authevent_changelist"))
    assert listing.status_code == 200 and "clerk" in listing.content.decode()
    assert admin_client.post(reverse("admin:security_authevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuthEvent.objects.filter(pk=event.pk).exists()


def test_a_refusal_reported_by_core_is_recorded(rf, make_user):
    from yiti.core.signals import security_event

    user = make_user()
    request = rf.get("/needs/7/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.9")
    security_event.send(None, event="access_denied", request=request, user=user, detail="GET /needs/7/ outside scope")
    event = AuthEvent.objects.get()
    assert (event.event, event.user, event.remote_addr, event.user_agent, event.detail) == (
        "access_denied", user, "192.0.2.9", BROWSER, "GET /needs/7/ outside scope")
