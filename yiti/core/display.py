"""Turns a record's fields into (label, value) pairs for detail pages."""

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.middleware.csrf import get_token
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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
    as_text = getattr(obj, f"get_{field.name}_text", None)  # a structured value's text (a policy's rules)
    if as_text is not None:
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in as_text().splitlines())) or "—"  # noqa: S308
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


# Bookkeeping and derived columns the history never shows: the row's own time and author say them already, and the
# search text and the pool flag follow from the other fields.
NOT_IN_HISTORY = {"id", "created_at", "created_by", "updated_at", "search_text", "in_pool"}
# How the log writes "nothing": None as text, and its masked form for personal-data fields.
EMPTY_LOG_VALUES = {"None", "", "**ne"}


def history_rows(obj: models.Model, limit: int = 50, order: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The change history of `obj`, newest first, with only the fields that really changed.

    `order` is the edit form's field order; the changes of an entry follow it.
    """
    from auditlog.models import LogEntry

    entries = list(
        LogEntry.objects.get_for_object(obj)
        .select_related("actor__department", "actor__organisation")
        .order_by("-timestamp", "-pk")[:limit]
    )
    return change_rows(type(obj), entries, order)


def change_rows(model: type[models.Model], entries: list[Any], order: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Log entries of records of `model` as rows of {entry, changes}; each change is a dict with the
    field's label and either old/new display values or, for many-to-many fields, the names added/removed."""
    fields = _history_fields(model, order)
    names = _related_names(fields, entries)
    rows = []
    for entry in entries:
        raw = entry.changes_dict or {}
        changes = []
        for name, field in fields.items():
            if name not in raw:
                continue
            change = _change(field, raw[name], names)
            if change is not None:
                changes.append(change)
        rows.append({"entry": entry, "changes": changes, "created": entry.action == entry.Action.CREATE})
    return rows


def _history_fields(model: type[models.Model], order: Sequence[str]) -> dict[str, models.Field]:
    """The model's own fields (no reverse relations) that the history shows, in form order."""
    own = {f.name: f for f in [*model._meta.fields, *model._meta.many_to_many] if f.name not in NOT_IN_HISTORY}
    ordered = [n for n in order if n in own] + [n for n in own if n not in order]
    return {n: own[n] for n in ordered}  # type: ignore[misc]


def _related_names(fields: dict[str, models.Field], entries: list[Any]) -> dict[tuple[Any, str], str]:
    """Names of the records foreign keys in `entries` point at, one query per related model."""
    wanted: dict[Any, set[str]] = {}
    for entry in entries:
        for name, change in (entry.changes_dict or {}).items():
            field = fields.get(name)
            if field is not None and field.many_to_one and isinstance(change, list | tuple):
                wanted.setdefault(field.related_model, set()).update(
                    str(v) for v in change if str(v) not in EMPTY_LOG_VALUES)
    names: dict[tuple[Any, str], str] = {}
    for related, pks in wanted.items():
        qs = related._default_manager.filter(pk__in=[pk for pk in pks if pk.isdigit()])
        if related is get_user_model():
            qs = qs.select_related("department", "organisation")  # a person is shown with their department
        names.update({(related, str(r.pk)): str(r) for r in qs})
    return names


def _value(field: models.Field, value: Any, names: dict[tuple[Any, str], str]) -> str:
    text = str(value)
    if text in EMPTY_LOG_VALUES:
        return ""
    if field.many_to_one:
        # A record deleted since keeps its number, marked as such: never a bare id.
        return names.get((field.related_model, text)) or _("(deleted record %(id)s)") % {"id": text}
    if field.choices:
        return str(dict(field.flatchoices).get(_choice_key(field, text), text))
    if isinstance(field, models.BooleanField):
        return _("Yes") if text == "True" else _("No")
    if isinstance(field, models.DateTimeField):
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return text
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return date_filter(timezone.localtime(moment), "Y-m-d H:i")
    return text


def _choice_key(field: models.Field, text: str) -> Any:
    """Log values are text; integer choices (a result's TRL) are looked up as integers."""
    if isinstance(field, models.IntegerField) and text.lstrip("-").isdigit():
        return int(text)
    return text


def _same_number(field: models.Field, old: str, new: str) -> bool:
    if not isinstance(field, models.DecimalField | models.FloatField) or not old or not new:
        return False
    try:
        return Decimal(old) == Decimal(new)
    except ArithmeticError:
        return False


def _change(field: models.Field, change: Any, names: dict[tuple[Any, str], str]) -> dict[str, Any] | None:
    label = str(field.verbose_name)
    if isinstance(change, dict):  # many-to-many: {"type": "m2m", "operation": "add"|"delete", "objects": [...]}
        objects = [str(o) for o in change.get("objects", [])]
        if not objects:
            return None
        key = "added" if change.get("operation") == "add" else "removed"
        return {"label": label, key: objects}
    if not isinstance(change, list | tuple) or len(change) != 2:
        return None
    old, new = (_value(field, v, names) for v in change)
    if old == new or _same_number(field, old, new):  # "150" → "150.00" is a re-save, not a change
        return None
    return {"label": label, "old": old, "new": new}
