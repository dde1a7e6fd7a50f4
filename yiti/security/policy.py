"""Who needs a second factor, when a password must be changed: the rules in one place.

Settings (all optional):
  YITI_REQUIRE_SECOND_FACTOR             True: administrators must pass a TOTP check after the password
  YITI_PASSWORD_MAX_AGE_DAYS             90: a password older than this must be changed (0: never expires)
  YITI_PASSWORD_HISTORY                  5: a new password may not be one of the last N
  YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD True: an account someone else created starts with a forced change
  YITI_SESSION_IDLE_MINUTES              30: a session unused this long ends
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

SECOND_FACTOR_ROLES = frozenset({"sysadmin", "secadmin", "auditor"})

# Session keys. The password state is copied into the session at login so that the per-request
# check needs no query (list pages have pinned query counts).
PASSWORD_CHANGED_KEY = "_yiti_password_changed"
MUST_CHANGE_KEY = "_yiti_must_change_password"
LAST_SEEN_KEY = "_yiti_last_seen"


def requires_second_factor(user: Any) -> bool:
    """Superusers and the three administrator roles must confirm a TOTP code after their password."""
    return bool(user.is_superuser or getattr(user, "role", "") in SECOND_FACTOR_ROLES)


def second_factor_enforced() -> bool:
    return bool(getattr(settings, "YITI_REQUIRE_SECOND_FACTOR", True))


def password_max_age() -> datetime.timedelta | None:
    days = int(getattr(settings, "YITI_PASSWORD_MAX_AGE_DAYS", 90) or 0)
    return datetime.timedelta(days=days) if days > 0 else None


def password_history_size() -> int:
    return int(getattr(settings, "YITI_PASSWORD_HISTORY", 5))


def idle_timeout() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "YITI_SESSION_IDLE_MINUTES", 30)))


def account_security(user: Any):
    """The account's password state, created on first use for accounts that predate it."""
    from yiti.security.models import AccountSecurity

    state, _ = AccountSecurity.objects.get_or_create(user=user)
    return state


def remember_password_state(session: Any, user: Any) -> None:
    """Copy the account's password state into the session (at login and after a change)."""
    state = account_security(user)
    session[PASSWORD_CHANGED_KEY] = state.password_changed_at.timestamp()
    session[MUST_CHANGE_KEY] = state.must_change_password


def password_change_required(session: Any, now: datetime.datetime | None = None) -> bool:
    """True when the session's user must change their password before doing anything else."""
    if session.get(MUST_CHANGE_KEY):
        return True
    changed = session.get(PASSWORD_CHANGED_KEY)
    max_age = password_max_age()
    if changed is None or max_age is None:
        return False
    now = now or timezone.now()
    return now - datetime.datetime.fromtimestamp(changed, tz=datetime.UTC) > max_age
