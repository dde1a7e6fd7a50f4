"""Idle timeout and cookie flags."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from yiti.security.models import AuthEvent
from yiti.security.policy import LAST_SEEN_KEY
from yiti.security.tests.conftest import logged_in, login

pytestmark = pytest.mark.django_db


def set_last_seen(client, seconds_ago):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_idle_timeout_is_thirty_minutes():
    assert django_settings.YITI_SESSION_IDLE_MINUTES == 30
    # The session's own expiry is the same: an idle session's row expires even without our check.
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert "yiti.security.middleware.IdleTimeoutMiddleware" in django_settings.MIDDLEWARE


def test_session_idle_for_thirty_one_minutes_is_ended(client, make_user):
    # given a user who did nothing for 31 minutes
    make_user()
    login(client, "clerk")
    set_last_seen(client, 31 * 60)

    # when they click
    response = client.get(reverse("orgs:organisation_list"))

    # then they are logged out, sent to the login page with a Chinese explanation, and it is recorded
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not logged_in(client)
    assert "30 分钟未操作" in client.get(response.url).content.decode()
    assert AuthEvent.objects.filter(event="session_timeout", username="clerk").exists()
    assert not AuthEvent.objects.filter(event="logout").exists()


def test_activity_keeps_the_session(client, make_user):
    make_user()
    login(client, "clerk")
    set_last_seen(client, 29 * 60)

    assert client.get(reverse("home")).status_code == 200

    # the stamp was refreshed, and the session's expiry pushed 30 minutes ahead
    assert time.time() - client.session[LAST_SEEN_KEY] < 5
    assert client.session.get_expiry_age() > 29 * 60


def test_recent_stamp_is_not_rewritten_on_every_request(client, make_user):
    make_user()
    login(client, "clerk")
    set_last_seen(client, 10)
    before = client.session[LAST_SEEN_KEY]
    client.get(reverse("home"))
    assert client.session[LAST_SEEN_KEY] == before


def test_session_and_csrf_cookies_flags(client, make_user):
    make_user()
    page = client.get(reverse("login"))
    response = login(client, "clerk")

    session_cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
    assert session_cookie["max-age"] == ""  # ends with the browser; the server side ends after 30 idle minutes
    assert page.cookies[django_settings.CSRF_COOKIE_NAME]["samesite"] == "Lax"
    language = client.post(reverse("set_language"), {"language": "en", "next": "/"}).cookies[
        django_settings.LANGUAGE_COOKIE_NAME
    ]
    assert language["httponly"] is True and language["samesite"] == "Lax"


@pytest.mark.parametrize("behind_tls", ["0", "1"])
def test_secure_cookies_and_hsts_behind_tls(tmp_path, behind_tls):
    # settings are read once at start-up: check them in a fresh interpreter with the environment set
    env = {**os.environ, "YITI_BEHIND_TLS": behind_tls, "YITI_VAR_DIR": str(tmp_path), "YITI_SECRET_KEY": "x" * 50}
    code = (
        "import json, yiti.settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_SECURE, getattr(s, 'SECURE_HSTS_SECONDS', 0), s.SESSION_COOKIE_HTTPONLY]))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    session_secure, csrf_secure, language_secure, hsts, httponly = json.loads(out.strip().splitlines()[-1])
    on = behind_tls == "1"
    assert session_secure is on and csrf_secure is on and language_secure is on
    assert (hsts >= 31536000) is on
    assert httponly is True
