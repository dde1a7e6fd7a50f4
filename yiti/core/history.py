"""The change history (django-auditlog), registered the same way for every registry."""

from typing import Any

from auditlog.registry import auditlog
from django.db import models

# Derived or bookkeeping columns: a change to them is never news to the reader of the history.
NEVER_LOGGED = ["search_text", "updated_at", "in_pool"]


def track(model: type[models.Model], **options: Any) -> None:
    options["exclude_fields"] = [*options.get("exclude_fields", []), *NEVER_LOGGED]
    # The record's own columns only: auditlog would otherwise log reverse relations as
    # "agreements.Evidence.None" (many-to-many fields are logged through `m2m_fields`).
    options.setdefault("include_fields", [f.name for f in model._meta.local_fields])
    auditlog.register(model, **options)
