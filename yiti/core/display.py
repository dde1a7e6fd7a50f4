"""Turns a record's fields into (label, value) pairs for detail pages."""

from typing import Any

from django.db import models
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yiti.core.masking import masked

SENSITIVE_FIELDS = {"mobile": "phone", "phone": "phone", "id_number": "id_number", "email": "email"}


def _link(obj: Any) -> SafeString | str:
    url = getattr(obj, "get_absolute_url", None)
    return format_html('<a href="{}">{}</a>', url(), obj) if url else str(obj)


def display_value(obj: models.Model, field: models.Field, user: Any) -> SafeString | str:
    if field.many_to_many:
        related = list(getattr(obj, field.name).all())
        return format_html_join("、", "{}", ((_link(r),) for r in related)) if related else "—"
    value = getattr(obj, field.name)
    if value is None or value == "":
        return "—"
    if field.name in SENSITIVE_FIELDS:
        return masked(SENSITIVE_FIELDS[field.name], value, user)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.ForeignKey):
        return _link(value)
    if isinstance(field, models.DateTimeField):
        return date_filter(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(field, models.DateField):
        return date_filter(value, "Y-m-d")
    if isinstance(field, models.DecimalField):
        return number_format(value, force_grouping=True)
    return str(value)


def detail_rows(obj: models.Model, field_names: list[str], user: Any) -> list[tuple[str, Any]]:
    rows = []
    for name in field_names:
        field = obj._meta.get_field(name)
        assert isinstance(field, models.Field), name
        rows.append((str(field.verbose_name), display_value(obj, field, user)))
    return rows


EMPTY_LOG_VALUES = {"None", "", "—"}


def history_rows(obj: models.Model, limit: int = 50) -> list[dict[str, Any]]:
    """The change history of `obj`, newest first, with only the fields that really changed."""
    from auditlog.models import LogEntry

    rows = []
    entries = LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp", "-pk")[:limit]
    for entry in entries:
        changes = []
        for name, change in entry.changes_display_dict.items():
            if isinstance(change, dict):  # a many-to-many change: added or removed objects
                sign = "+" if change.get("operation") == "add" else "−"
                changes.append((name, "None", sign + "、".join(map(str, change.get("objects", [])))))
                continue
            if not isinstance(change, list | tuple) or len(change) != 2:
                changes.append((name, "None", "、".join(map(str, change)) if isinstance(change, list) else str(change)))
                continue
            old, new = change
            if name != "ID" and not (str(old) in EMPTY_LOG_VALUES and str(new) in EMPTY_LOG_VALUES):
                changes.append((name, old, new))
        rows.append({"entry": entry, "changes": changes})
    return rows
