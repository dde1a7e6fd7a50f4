"""The import as the web pages, the background worker and the command line all run it.

read → plan (whole-file validation, the preview) → apply (one transaction) → error report.
"""

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.core.export import neutralise
from yiti.core.registry import Registry, registries
from yiti.imports import matching, write
from yiti.imports import plan as planner
from yiti.imports.models import ImportJob
from yiti.imports.reader import ImportFileError, Table, read_table

REPORT_LIMIT = 500  # rows of each kind listed on the preview page; the error workbook has them all


def registry_for(name: str) -> Registry:
    """A registry by app label (talents) or model name (talent)."""
    found = registries()
    if name in found:
        return found[name]
    for registry in found.values():
        if registry.model_name == name:
            return registry
    raise KeyError(name)


def read(data: Any, filename: str) -> Table:
    return read_table(data, filename, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS)


def build_plan(registry: Registry, table: Table, user: Any, options: dict[str, Any],
               progress: Any = None) -> planner.Plan:
    return planner.build(registry, table, user, mapping=options.get("mapping") or {},
                         constants=options.get("constants") or {}, lenient=bool(options.get("lenient")),
                         create_missing=options.get("create_missing", True),
                         org_choices=options.get("org_choices") or {}, progress=progress)


def report(plan: planner.Plan) -> dict[str, Any]:
    """What the preview page shows, as JSON kept on the job."""
    def listed(action: str) -> list[dict[str, Any]]:
        rows = plan.by_action(action)[:REPORT_LIMIT]
        return [{"row": r.number, "errors": r.errors, "duplicate_of": r.duplicate_of, "kind": r.duplicate_kind,
                 "target": r.target, "notes": r.notes,
                 "changes": {plan_header(plan, k): [_text(v[0]), _text(v[1])] for k, v in r.changes.items()},
                 "label": _row_label(plan, r)} for r in rows]

    return {
        "columns": [c.header for c in plan.mapped.values()],
        "ignored": plan.ignored,
        "warnings": plan.warnings,
        "new_organisations": sorted(plan.new_organisations)[:REPORT_LIMIT],
        "new_organisation_count": len(plan.new_organisations),
        "near_organisations": [
            {"name": name, "key": matching.norm(name), "rows": len(near["rows"]), "first_rows": near["rows"][:10],
             "choices": [[pk, label] for pk, label in near["choices"]], "may_create": near["may_create"]}
            for name, near in sorted(plan.near_organisations.items())[:REPORT_LIMIT]],
        "errors": listed(planner.ERROR),
        "duplicates": listed(planner.DUPLICATE),
        "updates": [r for r in listed(planner.UPDATE) if r["changes"] or r["notes"]],
        "creates": listed(planner.CREATE)[:20],
        "lenient_notes": sum(1 for r in plan.rows if r.notes and r.action != planner.ERROR),
    }


def plan_header(plan: planner.Plan, name: str) -> str:
    return next((c.header for c in plan.columns if c.name == name), name)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _row_label(plan: planner.Plan, row: planner.Row) -> str:
    """The first two non-empty cells of imported columns, so that a row can be recognised."""
    cells = [row.cells[i] for i in sorted(plan.mapped) if i < len(row.cells) and row.cells[i].strip()]
    return " / ".join(cells[:2])[:80]


def error_workbook(plan: planner.Plan, headers: list[str]) -> bytes:
    """The rows that were not imported, as the office sent them, with a reason column to fix and re-upload."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Rows not imported")[:31]
    sheet.append([_("Row"), _("Reason"), *headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    red = PatternFill("solid", fgColor="FDE2E1")
    for row in plan.by_action(planner.ERROR):
        reason = "；".join(f"{col}: {msg}" if col else msg for col, msg in row.errors)
        sheet.append([row.number, neutralise(reason), *(neutralise(c) for c in row.cells[: len(headers)])])
        sheet.cell(row=sheet.max_row, column=2).fill = red
    sheet.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_file(registry: Registry, path: Path, user: Any, options: dict[str, Any], *, dry_run: bool = False,
                remote_addr: str | None = None) -> tuple[dict[str, Any], planner.Plan, Table]:
    """The command line's import: read, plan, write (or roll back for a dry run)."""
    with path.open("rb") as handle:
        table = read(handle, path.name)
    plan = build_plan(registry, table, user, options)
    counts = write.apply(plan, user, dry_run=dry_run, remote_addr=remote_addr)
    return counts, plan, table


# ---- jobs (web and background) ----------------------------------------------------------------

def _job_table(job: ImportJob) -> Table:
    with job.file.open("rb") as handle:
        return read(handle, job.original_name)


def errors_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"errors-{job.pk}.xlsx"


def _keep_errors(job: ImportJob, plan: planner.Plan, table: Table) -> None:
    path = errors_path(job)
    if plan.counts()["errors"]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(error_workbook(plan, table.headers))
    else:
        path.unlink(missing_ok=True)


def check(job: ImportJob) -> None:
    """Validate the whole file and keep the preview on the job."""
    registry = registry_for(job.registry)
    try:
        table = _job_table(job)
        job.rows = len(table.rows)
        job.set_progress("checking", 0, job.rows)
        plan = build_plan(registry, table, job.user, job.options,
                          progress=lambda done: job.set_progress("checking", done, job.rows))
        if plan.by_action(planner.CREATE) or plan.by_action(planner.UPDATE):
            # Where the user's scope is limited, a trial write (rolled back) finds rows outside it.
            if registry.model._default_manager.restrict(job.user, "change").query.where:  # type: ignore[attr-defined]
                write.apply(plan, job.user, dry_run=True)
    except write.OutOfScope as exc:
        _fail(job, str(exc))
        return
    except ImportFileError as exc:
        _fail(job, str(exc))
        return
    _keep_errors(job, plan, table)
    job.counts = plan.counts()
    job.report = report(plan)
    job.status = ImportJob.Status.READY
    job.save()
    job.set_progress("ready", job.rows, job.rows)


def run(job: ImportJob, remote_addr: str | None = None) -> None:
    """Write a checked job: the file is planned again (the platform may have changed) and written at once."""
    registry = registry_for(job.registry)
    job.status = ImportJob.Status.WRITING
    job.save(update_fields=["status"])
    try:
        table = _job_table(job)
        plan = build_plan(registry, table, job.user, job.options)
        total = len(plan.by_action(planner.CREATE)) + len(plan.by_action(planner.UPDATE))
        job.set_progress("writing", 0, total)
        counts = write.apply(plan, job.user, remote_addr=remote_addr,
                             progress=lambda done: job.set_progress("writing", done, total))
    except ImportFileError as exc:
        _fail(job, str(exc))
        return
    _keep_errors(job, plan, table)
    job.counts = counts
    job.report = report(plan)
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    job.set_progress("done", total, total)
    _discard_upload(job)


def _fail(job: ImportJob, message: str) -> None:
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save()
    _discard_upload(job)


def _discard_upload(job: ImportJob) -> None:
    """An upload may hold ID and phone numbers in plain text: it is not kept once the job has ended."""
    if job.file:
        job.file.delete(save=True)
