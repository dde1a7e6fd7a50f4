"""Authentication events into AuthEvent; password state of new accounts; session bookkeeping at login."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from yiti.core.signals import security_event
from yiti.security.events import record
from yiti.security.models import AccountSecurity, AuthEvent
from yiti.security.policy import LAST_SEEN_KEY, remember_password_state
from yiti.security.validators import remember_password


@receiver(user_logged_in, dispatch_uid="yiti.security.logged_in")
def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(AuthEvent.Kind.LOGIN, request, user)
    session = getattr(request, "session", None)
    if session is not None:
        remember_password_state(session, user)
        session[LAST_SEEN_KEY] = int(time.time())


@receiver(user_logged_out, dispatch_uid="yiti.security.logged_out")
def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and not getattr(request, "_yiti_session_timeout", False):
        record(AuthEvent.Kind.LOGOUT, request, user)


@receiver(user_login_failed, dispatch_uid="yiti.security.login_failed")
def login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username") or "")
    record(AuthEvent.Kind.LOGIN_FAILED, request, username=username)


@receiver(user_locked_out, dispatch_uid="yiti.security.locked_out")
def locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    record(AuthEvent.Kind.LOCKED_OUT, request, username=username or "")


@receiver(security_event, dispatch_uid="yiti.security.core_event")
def core_event(sender: Any, event: str, request: Any = None, user: Any = None, detail: str = "", **kwargs: Any) -> None:
    """A refusal or forged form reported by core, which cannot import this app."""
    record(event, request, user=user, detail=detail)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="yiti.security.new_account")
def new_account(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """An account is created by an administrator, who chose its first password: its owner must change it."""
    if created and not raw:
        must_change = bool(getattr(settings, "YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD", True))
        AccountSecurity.objects.get_or_create(user=instance, defaults={"must_change_password": must_change})
        # create_user() hashes the first password without set_password(), so Django does not report it
        # as a change: record it here (remember_password() skips the duplicate when it does).
        if instance.has_usable_password():
            remember_password(instance)
