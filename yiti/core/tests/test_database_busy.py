"""SQLite while a large import writes (issue 12, item 30): writers wait, and never see a 500."""

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from yiti.core import views


def test_sqlite_writers_wait_longer_than_an_import_writes_and_take_the_lock_up_front():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite's own settings")
    assert options["timeout"] >= 20  # seconds; Python's default of 5 failed saves behind a 20,000-row import
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db
def test_a_request_that_meets_a_locked_database_gets_a_chinese_retry_page_not_a_500(admin_user, monkeypatch):
    def locked(self, request, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views.ObjectListView, "get", locked)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    response = client.get(reverse("needs:need_list"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "正在写入大批数据，请稍后重试" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_still_get_the_500_page(admin_user, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise OperationalError("no such table: needs_need")

    monkeypatch.setattr(views.ObjectListView, "get", broken)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    assert client.get(reverse("needs:need_list")).status_code == 500


@pytest.mark.django_db
def test_a_session_that_could_not_be_saved_for_a_locked_database_gets_the_retry_page(admin_user, monkeypatch):
    # Django reports the failed session save as "session interrupted" (400); its cause is the busy database.
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    def locked(self, must_create=False):
        try:
            raise OperationalError("database is locked")
        except OperationalError:
            raise UpdateError  # noqa: B904 -- exactly as SessionStore.save does on a DatabaseError

    def touch(self, request, *args, **kwargs):
        request.session["seen"] = True  # the response then saves the session
        return HttpResponse("ok")

    monkeypatch.setattr(SessionStore, "save", locked)
    monkeypatch.setattr(views.ObjectListView, "get", touch)
    response = client.get(reverse("needs:need_list"))
    assert response.status_code == 503
    assert "正在写入大批数据，请稍后重试" in response.content.decode()
