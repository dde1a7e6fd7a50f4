"""Who sees the 供需对接 menu entries (the pages check the same rules themselves)."""

from typing import Any


def is_reader(user: Any) -> bool:
    """Matching lists, the funnel and the overdue list: office staff and leaders."""
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "role", "") in ("staff", "leader")))


def is_contact(user: Any) -> bool:
    """我的对接: the contacts of universities, institutes and enterprises."""
    return bool(user.is_authenticated and getattr(user, "role", "") == "org_contact" and user.organisation_id)
