"""Masking of sensitive personal data (phone, ID number, e-mail) for roles that may not see it."""

from typing import Any

REVEAL_PERMISSION = "talents.reveal_personal_data"


def may_reveal(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(REVEAL_PERMISSION))


def mask_phone(value: str) -> str:
    """138****8000: keeps the carrier prefix and the last four digits."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_id_number(value: str) -> str:
    """1401**********123X: keeps the province/city prefix and the last four characters."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_email(value: str) -> str:
    """z***@example.com"""
    if not value:
        return ""
    local, _, domain = value.partition("@")
    return (local[:1] + "***@" + domain) if domain else "***"


MASKERS = {"phone": mask_phone, "id_number": mask_id_number, "email": mask_email}


def masked(kind: str, value: str, user: Any) -> str:
    return value if may_reveal(user) else MASKERS[kind](value)
