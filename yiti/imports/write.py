"""Carrying out a plan: one transaction writes every row, or nothing.

Creates go in bulk (the NSSF list is 62,580 rows); updates go through `save()` so that history and
the search text of dependent records stay right. The import is one entry of the audit trail that
names every record it created (a history entry per created record cost a third of the time). Before the transaction commits, every
written record is checked against the user's scope; one outside it rolls everything back.
"""

from collections.abc import Callable
from typing import Any

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from yiti.core import search
from yiti.imports.matching import norm
from yiti.imports.plan import CREATE, UPDATE, Plan, Row
from yiti.imports.reader import ImportFileError
from yiti.orgs.choices import OrgType
from yiti.orgs.models import Organisation

BATCH = 1000


class OutOfScope(ImportFileError):
    def __init__(self, message: str, rows: list[int]):
        super().__init__(message, code="scope")
        self.rows = rows


class RolledBack(Exception):
    """Raised inside the transaction of a dry run so that nothing stays written."""


def guess_org_type(name: str) -> str:
    """The type of an organisation created because a row names it; offices can correct it later."""
    if any(w in name for w in ("大学", "学院", "学校", "高校", "职业技术")):
        return OrgType.UNIVERSITY
    if "医院" in name:
        return OrgType.HOSPITAL
    if any(w in name for w in ("研究院", "研究所", "科学院", "社会科学院", "研究中心", "实验室")):
        return OrgType.INSTITUTE
    if any(w in name for w in ("公司", "集团", "厂", "企业", "有限")):
        return OrgType.ENTERPRISE
    if any(w in name for w in ("党校", "委员会", "政府", "厅", "局", "办公室", "部")):
        return OrgType.GOVERNMENT
    return OrgType.OTHER


def apply(plan: Plan, user: Any, *, dry_run: bool = False, remote_addr: str | None = None,
          progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Write the plan; returns its counts. `dry_run` writes and rolls back (the scope check included).

    On SQLite the transaction holds the only write lock: every other user's save waits for it (up to
    the busy timeout, settings.py). So the new records are built, and their INSERT statements compiled
    (every value prepared, personal data encrypted: most of the time bulk_create takes), before it
    opens; inside it the statements run, then the many-to-many links go in with one insert per batch.
    """
    fresh = _prepare(plan, user)
    # Rows naming an organisation the import creates get its id inside the transaction.
    inserts = None if plan.new_organisations else _compile_inserts(plan.registry.model, fresh)
    try:
        with transaction.atomic(), set_actor(user, remote_addr=remote_addr):
            summary = _write(plan, user, remote_addr, progress, fresh, inserts)
            if dry_run:
                raise RolledBack
    except RolledBack:
        pass
    return summary


Compiled = list[tuple[list[tuple[Row, models.Model]], str, tuple[Any, ...]]]


def _compile_inserts(model: type[models.Model], fresh: list[tuple[Row, models.Model]]) -> Compiled:
    """bulk_create's INSERT ... RETURNING statements, compiled now and run later by `_run_inserts`
    (the returned ids go on the records: links and the audit entry need them, as with bulk_create)."""
    from django.db.models.sql import InsertQuery

    opts = model._meta
    objs = [obj for _row, obj in fresh]
    model._default_manager.get_queryset()._prepare_for_bulk_create(objs)  # type: ignore[attr-defined]  # as bulk_create does
    fields = [f for f in opts.concrete_fields if not f.generated and not isinstance(f, models.AutoField)]
    size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    compiled: Compiled = []
    for start in range(0, len(fresh), size):
        batch = fresh[start : start + size]
        query = InsertQuery(model)
        query.insert_values(fields, [obj for _row, obj in batch])
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = opts.db_returning_fields
        [(sql, params)] = compiler.as_sql()
        compiled.append((batch, sql, params))
    return compiled


def _run_inserts(compiled: Compiled) -> None:
    with connection.cursor() as cursor:
        for batch, sql, params in compiled:
            cursor.execute(sql, params)
            returned = cursor.fetchall()  # one row per record, in order (as bulk_create relies on)
            for (_row, obj), values in zip(batch, returned, strict=True):
                for field, value in zip(obj._meta.db_returning_fields, values, strict=True):
                    setattr(obj, field.attname, value)
                obj._state.adding = False
                obj._state.db = connection.alias


def _prepare(plan: Plan, user: Any) -> list[tuple[Row, models.Model]]:
    """The records the plan creates, with their values and search text, not yet saved."""
    model = plan.registry.model
    m2m_names = _m2m_names(plan)
    fresh = []
    for row in plan.rows:
        if row.action == CREATE:
            obj = row.instance if row.instance is not None else model()  # the instance validated
            obj.created_by = user
            _assign(obj, row, m2m_names)
            fresh.append((row, obj))
    search.fill(obj for _row, obj in fresh)
    return fresh


def _m2m_names(plan: Plan) -> set[str]:
    return {c.name for c in plan.columns if c.kind in {"codes", "records"}}


def _write(plan: Plan, user: Any, remote_addr: str | None, progress: Callable[[int], None] | None,
           fresh: list[tuple[Row, models.Model]], inserts: Compiled | None) -> dict[str, Any]:
    registry = plan.registry
    model = registry.model
    new_orgs = _create_organisations(plan, user)
    m2m_names = _m2m_names(plan)
    created: list[tuple[Row, models.Model]] = []
    updated: list[models.Model] = []
    done = 0
    if new_orgs:
        for row in plan.rows:
            if row.action in {CREATE, UPDATE}:
                for name, org_name in row.new_records.items():
                    row.values[name] = new_orgs[norm(org_name)]
        for row, obj in fresh:
            _assign(obj, row, m2m_names)
        search.fill(obj for _row, obj in fresh)
    if inserts is None:
        inserts = _compile_inserts(model, fresh)
    # The records' statements (a few dozen records each) run twenty at a time, each group followed by the
    # records' many-to-many links and the progress bar.
    for start in range(0, len(inserts), 20):
        chunk = inserts[start : start + 20]
        _run_inserts(chunk)
        batch = [pair for rows, _sql, _params in chunk for pair in rows]
        _bulk_add_m2m(model, batch, m2m_names)
        created.extend(batch)
        done += len(batch)
        if progress:
            progress(done)
    for row in plan.rows:
        if row.action == UPDATE and row.changes:
            obj = model._default_manager.get(pk=row.target)
            _assign(obj, row, m2m_names)
            obj.save()
            _add_m2m(obj, row, m2m_names)
            updated.append(obj)
            done += 1
    if progress:
        progress(done)
    if registry.imports.after_create and created:
        registry.imports.after_create([obj for _row, obj in created], user)
    _check_scope(plan, user, created, updated)
    counts = plan.counts()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model), object_pk="", action=LogEntry.Action.ACCESS,
        object_repr=_("Import of %(name)s: %(created)d created, %(updated)d updated, %(duplicates)d duplicates, "
                      "%(errors)d errors") % {"name": model._meta.verbose_name_plural, **counts},
        actor=user, remote_addr=remote_addr,
        # The trail names every record the import created (updates have their own entries via save()).
        additional_data={"import": counts, "created_ids": [obj.pk for _row, obj in created],
                         "new_organisation_ids": list(new_orgs.values())},
    )
    return {**counts, "new_organisations": len(new_orgs)}


def _bulk_add_m2m(model: type[models.Model], batch: list[tuple[Row, models.Model]], m2m_names: set[str]) -> None:
    """The many-to-many links of new records, one insert per field and batch (the records are new, so
    no link exists yet; like the records themselves they are named by the import's audit entry)."""
    for name in m2m_names:
        field = model._meta.get_field(name)
        through = field.remote_field.through  # type: ignore[union-attr]
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"  # type: ignore[union-attr]
        links = [
            through(**{source: obj.pk, target: pk})
            for row, obj in batch
            for pk in dict.fromkeys(getattr(v, "pk", v) for v in row.values.get(name) or ())
        ]
        through._default_manager.bulk_create(links, batch_size=BATCH)


def _assign(obj: models.Model, row: Row, m2m_names: set[str]) -> None:
    for name, value in row.values.items():
        if name not in m2m_names:
            setattr(obj, obj._meta.get_field(name).attname, value)  # type: ignore[union-attr]


def _add_m2m(obj: models.Model, row: Row, m2m_names: set[str]) -> None:
    for name in m2m_names & set(row.values):
        if row.values[name]:
            getattr(obj, name).add(*row.values[name])


def _create_organisations(plan: Plan, user: Any) -> dict[str, int]:
    """Organisations that rows name but the platform lacks (listed on the preview) are created first."""
    if not plan.new_organisations:
        return {}
    division_of: dict[str, int | None] = {}
    for row in plan.rows:
        for name in row.new_records.values():
            division_of.setdefault(norm(name), row.values.get("division"))
    orgs = [Organisation(name=name, org_type=guess_org_type(name), division_id=division_of.get(norm(name)),
                         created_by=user)
            for name in plan.new_organisations]
    search.fill(orgs)
    Organisation.objects.bulk_create(orgs, batch_size=BATCH)
    return {norm(o.name): o.pk for o in orgs}


def _check_scope(plan: Plan, user: Any, created: list[tuple[Row, models.Model]], updated: list[models.Model]) -> None:
    model = plan.registry.model
    written = {obj.pk: row for row, obj in created}
    written.update({obj.pk: None for obj in updated})
    if not written:
        return
    visible: set[int] = set()
    keys = list(written)
    for start in range(0, len(keys), 5000):
        visible |= set(model._default_manager.restrict(user, "change").filter(
            pk__in=keys[start : start + 5000]).values_list("pk", flat=True))
    outside = [pk for pk in keys if pk not in visible]
    if outside:
        rows = sorted(written[pk].number for pk in outside if written[pk] is not None)  # type: ignore[union-attr]
        raise OutOfScope(
            _("%(n)d rows would create records outside your scope (rows %(rows)s); nothing was imported.")
            % {"n": len(outside), "rows": "、".join(str(n) for n in rows[:20])}, rows)

