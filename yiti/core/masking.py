"""Masking of sensitive personal data (phone, ID number, e-mail).

Pages, tables and exports always show the masked form. Users who may reveal personal data see
the plain value only through the reveal action, which is logged (`accounts.RevealEvent`).
"""

from typing import Any


def may_reveal(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or getattr(user, "may_reveal_personal_data", False))


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
# Field names that hold personal data, and how each is masked.
SENSITIVE_FIELDS = {"mobile": "phone", "phone": "phone", "id_number": "id_number", "email": "email"}


def mask(field_name: str, value: str) -> str:
    return MASKERS[SENSITIVE_FIELDS[field_name]](value or "")
