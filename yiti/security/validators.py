"""Password rules of graded protection level 3 that Django does not ship.

Length (≥ 8) and common passwords are Django's own validators; these add the character classes
and the history. The history validator also records every new password (Django calls
`password_changed` after `set_password()` + `save()`; hash upgrades at login are not changes).
"""

from __future__ import annotations

import string
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.security.policy import password_history_size

CLASSES = {
    "upper": lambda c: c.isupper(),
    "lower": lambda c: c.islower(),
    "digit": lambda c: c.isdigit(),
    "symbol": lambda c: c in string.punctuation or not (c.isalnum() or c.isspace()),
}


def character_classes(password: str) -> set[str]:
    return {name for name, test in CLASSES.items() if any(test(c) for c in password)}


def set_by_someone_else(user: Any) -> bool:
    """Whether the current web request is made by another account (an administrator resetting it).

    The request's user is the actor django-auditlog's middleware keeps for the request; management
    commands (`yiti changepassword`) have none.
    """
    try:
        from auditlog.context import auditlog_value

        actor = auditlog_value.get({}).get("actor")
    except (ImportError, AttributeError):
        return False
    return actor is not None and getattr(actor, "pk", None) not in (None, user.pk)


def remember_password(user: Any, keep: int | None = None) -> None:
    """Add the account's current password hash to its history (keeping the last `keep`) and date it."""
    from yiti.security.models import AccountSecurity, PasswordHistory

    keep = max(keep if keep is not None else password_history_size(), 1)
    history = PasswordHistory.objects.filter(user=user)
    if history.values_list("password_hash", flat=True).first() == user.password:
        return  # already recorded (an account's first password is seen twice when created with save())
    now = timezone.now()
    PasswordHistory.objects.create(user=user, password_hash=user.password, created_at=now)
    kept = list(history.values_list("pk", flat=True)[:keep])
    history.exclude(pk__in=kept).delete()
    AccountSecurity.objects.update_or_create(user=user, defaults={"password_changed_at": now})


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Your password must contain at least %(count)d of these four kinds of character: "
            "upper-case letters, lower-case letters, digits and symbols."
        ) % {"count": self.min_classes}


class PasswordHistoryValidator:
    """The new password may not be the current one nor one of the account's last N."""

    def __init__(self, count: int | None = None) -> None:
        self._count = count

    @property
    def count(self) -> int:
        return self._count if self._count is not None else password_history_size()

    def _recent_hashes(self, user: Any) -> list[str]:
        from yiti.security.models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password_hash", flat=True)[: self.count]
        )
        # Accounts older than the history still have their current password refused.
        if user.password and user.password not in hashes:
            hashes.append(user.password)
        return hashes

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or self.count <= 0:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        remember_password(user, self.count)
        if set_by_someone_else(user) and getattr(settings, "YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD", True):
            # An administrator reset it: like a new account's first password, its owner must replace it.
            from yiti.security.models import AccountSecurity

            AccountSecurity.objects.filter(user=user).update(must_change_password=True)

    def get_help_text(self) -> str:
        return _("Your password may not be the same as any of your last %(count)d passwords.") % {"count": self.count}
