"""Inserting tens of thousands of rows at once (the daily run's first pass raises 40,000 tasks and 50,000
notifications at scale 100): `bulk_create` builds a model instance per row and prepares every value through its
field (1.4 million calls: most of the run's time), so the daily run writes plain rows instead.

`insert(model, rows)`: each row a dict by attribute name ("task_id", "title" …); a field a row does not name gets
its default (`auto_now_add` / `auto_now`: now, one instant for the whole batch), as `bulk_create` would give it.
Dates, date-times and decimals are adapted by the database backend; other values go as they are. No signals, no
`save()` — the same as `bulk_create`.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models.constants import OnConflict
from django.utils import timezone

BATCH = 500


def _adapter(field: models.Field) -> Any:
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: connection.ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    return None


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]], *, ignore_conflicts: bool = False) -> int:
    """Insert `rows` into `model`'s table in batches; with `ignore_conflicts` a row that breaks a unique
    constraint is skipped (as `bulk_create(ignore_conflicts=True)`). Returns how many rows were sent."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults: dict[str, Any] = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()
    adapters = [(f.attname, _adapter(f)) for f in fields]
    qn = connection.ops.quote_name
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = (f"{connection.ops.insert_statement(on_conflict=on_conflict)} {qn(model._meta.db_table)} "
           f"({', '.join(qn(f.column or f.attname) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})")
    if ignore_conflicts:
        sql += " " + (connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None) or "")
    sent = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            values = []
            for name, adapt in adapters:
                value = row[name] if name in row else defaults[name]
                values.append(adapt(value) if adapt is not None and value is not None else value)
            batch.append(tuple(values))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                sent += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            sent += len(batch)
    return sent
