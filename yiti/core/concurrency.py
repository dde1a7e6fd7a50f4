"""Edits based on an old version of a record are refused, not silently overwritten.

Every registry edit form carries the version of the record it was loaded from (a hidden field:
the record's `updated_at` and the last change-history entry it had seen). On save, the edit view
locks the record's row inside its transaction and compares: if somebody saved in between, nothing
is written and the form comes back with the user's input, the other person's changes (fields,
values, who, when — read from the change history) and the new version, so that a second save is
a deliberate choice.
"""

from typing import Any

from django import forms
from django.db import models

VERSION_FIELD = "record_version"


def version_of(record: models.Model) -> str:
    """"<updated_at>|<id of the record's latest history entry>", or "" for a new record."""
    from auditlog.models import LogEntry

    updated_at = getattr(record, "updated_at", None)
    if record.pk is None or updated_at is None:
        return ""
    last = LogEntry.objects.get_for_object(record).order_by("-pk").values_list("pk", flat=True).first()
    return f"{updated_at.isoformat()}|{last or 0}"


class VersionedFormMixin:
    """Adds the hidden version field to a ModelForm editing an existing record."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance  # type: ignore[attr-defined]
        if instance.pk is not None and hasattr(instance, "updated_at"):
            # A bound form carries the version it was loaded from in its data: no need to read it again.
            initial = "" if self.is_bound else version_of(instance)  # type: ignore[attr-defined]
            self.fields[VERSION_FIELD] = forms.CharField(  # type: ignore[attr-defined]
                widget=forms.HiddenInput, required=False, initial=initial)

    def submitted_version(self) -> str:
        return str(self.data.get(VERSION_FIELD) or "")  # type: ignore[attr-defined]


def changes_since(record: models.Model, version: str, order: list[str]) -> list[dict[str, Any]] | None:
    """None if `record` is still at `version`; otherwise the history entries written since, oldest first.

    Call inside the saving transaction: the row is locked (select_for_update; on SQLite the
    transaction is IMMEDIATE and holds the write lock), so two saves from one version cannot both pass.
    An empty `version` (a client that sent none) is not checked.
    """
    from auditlog.models import LogEntry

    from yiti.core.display import change_rows

    if not version or record.pk is None:
        return None
    model = type(record)
    current = model._default_manager.select_for_update().filter(pk=record.pk).values_list("updated_at", flat=True)
    updated_at = current.first()
    stamp, _sep, seen = version.partition("|")
    if updated_at is None or updated_at.isoformat() == stamp:
        return None
    entries = LogEntry.objects.get_for_object(record).select_related("actor__department", "actor__organisation")
    if seen.isdigit():
        entries = entries.filter(pk__gt=int(seen))
    return change_rows(model, list(entries.order_by("pk")), order)
