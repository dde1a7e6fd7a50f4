"""Five wrong passwords lock the user name for fifteen minutes (django-axes)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from yiti.security.tests.conftest import PASSWORD, logged_in, login

pytestmark = pytest.mark.django_db


def fail(client, username="clerk", times=1, **extra):
    response = None
    for _ in range(times):
        response = login(client, username, "not-the-password", **extra)
    return response


def test_four_failures_still_let_the_right_password_in(client, make_user):
    # given an account and four wrong passwords
    make_user()
    response = fail(client, times=4)
    assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()

    # when the fifth try is right
    response = login(client, "clerk")

    # then the user is in, and the failures are forgotten
    assert response.status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username="clerk").exists()


def test_fifth_failure_locks_and_says_when_to_retry(client, make_user):
    make_user()
    fail(client, times=4)

    response = fail(client)

    assert response.status_code == 429
    page = response.content.decode()
    assert "账户已锁定" in page
    attempt = AccessAttempt.objects.get(username="clerk")
    retry = timezone.localtime(attempt.attempt_time + datetime.timedelta(minutes=15))
    assert f"{retry:%Y-%m-%d %H:%M}" in page and "15 分钟" in page
    assert "<script>" not in page


def test_locked_account_refuses_even_the_right_password_from_anywhere(client, make_user):
    # given a locked user name
    make_user()
    fail(client, times=5)

    # when the right password comes, also from another address and another browser
    same = login(client, "clerk")
    other = login(client, "clerk", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="OtherBrowser/1.0")

    # then both are refused with the lockout page and nobody is logged in
    assert same.status_code == 429 and other.status_code == 429
    assert not logged_in(client)
    # ... and refusals during the lock do not push its end further
    assert AccessAttempt.objects.get(username="clerk", ip_address="127.0.0.1").failures_since_start == 5


def test_lock_ends_after_fifteen_minutes(client, make_user):
    make_user()
    fail(client, times=5)

    # 14 minutes later: still locked
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=14))
    assert login(client, "clerk").status_code == 429

    # 15 minutes and a second later: the right password works
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1))
    response = login(client, "clerk")
    assert response.status_code == 302 and logged_in(client)


def test_other_accounts_are_not_locked(client, make_user):
    make_user("clerk")
    make_user("colleague")
    fail(client, "clerk", times=5)

    response = login(client, "colleague")

    assert response.status_code == 302 and logged_in(client)


def test_security_administrator_unlocks_with_axes_command(client, make_user):
    make_user()
    fail(client, times=5)

    call_command("axes_reset_username", "clerk")

    assert login(client, "clerk", PASSWORD).status_code == 302


def test_unlock_through_the_admin(client, second_factor_off, admin_client, make_user):
    make_user()
    fail(client, times=5)
    attempt = AccessAttempt.objects.get(username="clerk")

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "clerk" in listing.content.decode()
    admin_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert not AccessAttempt.objects.exists()
    assert login(client, "clerk").status_code == 302
