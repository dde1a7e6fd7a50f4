"""Users of a role with a known password (make_user). The two-county world with one record of every
registry, which the access tests run in, spans every registry and lives in yiti/tests/world.py."""

from typing import Any

from django.apps import apps

from yiti.accounts.models import User

PASSWORD = "Zs-2026-access!"


def make_user(username: str, role: str, **kw: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, **kw)
    if apps.is_installed("yiti.security"):
        # These users chose their own password: no forced change stands between them and the pages.
        from yiti.security.models import AccountSecurity

        AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": False})
    return user
