"""The client's address, which core (exports), accounts (reveals), security (events) and imports all log."""

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    """The client's address. Behind our TLS proxy it is the right-most X-Forwarded-For entry: the one
    the proxy itself appended (entries to its left come from the client and can be forged)."""
    if getattr(settings, "BEHIND_TLS", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None
