"""Turns a record's fields into (label, value) pairs for detail pages."""

from typing import Any

from django.db import models
from django.middleware.csrf import get_token
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yiti.core.masking import SENSITIVE_FIELDS, mask, may_reveal


def _link(obj: Any) -> SafeString | str:
    url = getattr(obj, "get_absolute_url", None)
    return format_html('<a href="{}">{}</a>', url(), obj) if url else str(obj)


def reveal_control(request: Any, obj: models.Model, field_name: str, masked_value: str) -> SafeString:
    """The masked value and, for users who may, a button that reveals it (the reveal is logged)."""
    if not may_reveal(request.user):
        return format_html("{}", masked_value)
    url = reverse("reveal", args=[obj._meta.label_lower, obj.pk, field_name])
    return format_html(
        '<span class="yiti-masked">{} <form method="post" action="{}" class="d-inline" hx-post="{}" '
        'hx-target="closest .yiti-masked" hx-swap="outerHTML"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="{}"><button type="submit" class="btn btn-link btn-sm p-0 align-baseline">{}</button></form></span>',
        masked_value, url, url, get_token(request), _("Reveal"),
    )


def display_value(obj: models.Model, field: models.Field, request: Any) -> SafeString | str:
    if field.many_to_many:
        related = list(getattr(obj, field.name).all())
        return format_html_join("、", "{}", ((_link(r),) for r in related)) if related else "—"
    value = getattr(obj, field.name)
    if value is None or value == "":
        return "—"
    if field.name in SENSITIVE_FIELDS:
        return reveal_control(request, obj, field.name, mask(field.name, value))
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


def detail_rows(obj: models.Model, field_names: list[str], request: Any) -> list[tuple[str, Any]]:
    rows = []
    for name in field_names:
        field = obj._meta.get_field(name)
        assert isinstance(field, models.Field), name
        rows.append((str(field.verbose_name), display_value(obj, field, request)))
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
