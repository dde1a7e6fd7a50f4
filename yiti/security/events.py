from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from yiti.core.network import client_ip
from yiti.security.models import AuthEvent


def record(event: str, request: Any = None, user: Any = None, username: str = "", detail: str = "") -> AuthEvent:
    """Write one authentication event; the user may be unknown (a failed login names any user name)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is None and username:
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    if user is not None and not username:
        username = user.get_username()
    meta = getattr(request, "META", {}) if request is not None else {}
    return AuthEvent.objects.create(
        event=event,
        user=user,
        username=(username or "")[:150],
        remote_addr=client_ip(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        detail=detail[:300],
    )
