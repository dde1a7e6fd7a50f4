"""What the import and export commands share: the registry named and the account they run as."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from yiti.core.registry import Registry
from yiti.imports import services


def registry_and_user(name: str, username: str | None) -> tuple[Registry, Any]:
    """The registry called `name`; the account `username`, or the first active superuser."""
    try:
        registry = services.registry_for(name)
    except KeyError:
        raise CommandError(f"unknown registry {name!r}") from None
    users = get_user_model().objects
    user = users.filter(username=username).first() if username else \
        users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("no such user; create a superuser or pass --user")
    return registry, user
