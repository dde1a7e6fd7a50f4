"""Keeps the code tables in the database equal to the package data (and to loaded MCA lists).

Rows are upserted by code and never deleted: records refer to them, and a code that left a
newer edition of a standard must still display on old records.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from yiti.core import code_data
from yiti.core.models import Discipline, Division, Industry


@transaction.atomic
def upsert_codes(model: type[Division | Industry | Discipline], entries: Iterable[code_data.CodeEntry]) -> tuple[int, int]:
    """Insert or update `entries`; returns (created, updated)."""
    entries = list(entries)
    existing = {row.code: row for row in model._default_manager.all()}
    created = updated = 0
    to_create = []
    for e in entries:
        row = existing.get(e.code)
        if row is None:
            to_create.append(model(code=e.code, name=e.name, level=e.level))
            created += 1
        elif (row.name, row.level) != (e.name, e.level):
            row.name, row.level = e.name, e.level
            row.save(update_fields=["name", "level"])
            updated += 1
    model._default_manager.bulk_create(to_create)  # type: ignore[arg-type]
    ids = dict(model._default_manager.values_list("code", "id"))
    parent_of = {row.code: row.parent_id for row in model._default_manager.only("code", "parent_id")}
    for e in entries:
        parent_id = ids.get(e.parent_code) if e.parent_code else None
        if parent_of.get(e.code) != parent_id:
            model._default_manager.filter(code=e.code).update(parent_id=parent_id)
    return created, updated


def sync_code_tables() -> None:
    upsert_codes(Division, code_data.divisions())
    upsert_codes(Industry, code_data.industries())
    upsert_codes(Discipline, code_data.disciplines())


def sync_after_migrate(**kwargs: Any) -> None:
    sync_code_tables()
