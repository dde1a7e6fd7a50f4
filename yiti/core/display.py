"""Turns a record's fields into (label, value) pairs for detail pages."""

from typing import Any

from django.db import models
from django.template.defaultfilters import date as date_filter
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
        return date_filter(value, "Y-m-d H:i")
    if isinstance(field, models.DateField):
        return date_filter(value, "Y-m-d")
    if isinstance(field, models.DecimalField):
        return number_format(value, force_grouping=True)
    return str(value)


def detail_rows(obj: models.Model, field_names: list[str], user: Any) -> list[tuple[str, Any]]:
    rows = []
    for name in field_names:
        field = obj._meta.get_field(name)
        rows.append((field.verbose_name, display_value(obj, field, user)))
    return rows
