"""The import as the web pages, the background worker and the command line all run it.

read → plan (whole-file validation, the preview) → apply (one transaction) → error report.
"""

import io
import json
import logging
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.core.export import neutralise
from yiti.core.jobs import expire_uploads, write_private
from yiti.core.masking import mask, mask_email, mask_id_number, mask_phone
from yiti.core.registry import Registry, registries
from yiti.imports import matching, write
from yiti.imports import plan as planner
from yiti.imports.models import Cancelled, ImportJob, Referral
from yiti.imports.reader import ImportFileError, Limits, Table, read_table

logger = logging.getLogger(__name__)

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
    limits = Limits(unzipped_bytes=settings.IMPORT_MAX_UNZIPPED_BYTES, zip_ratio=settings.IMPORT_MAX_ZIP_RATIO,
                    shared_strings_bytes=settings.IMPORT_MAX_SHARED_STRINGS_BYTES,
                    cell_chars=settings.IMPORT_MAX_CELL_CHARS)
    return read_table(data, filename, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS,
                      limits=limits)


def build_plan(registry: Registry, table: Table, user: Any, options: dict[str, Any],
               progress: Any = None) -> planner.Plan:
    return planner.build(registry, table, user, mapping=options.get("mapping") or {},
                         constants=options.get("constants") or {}, lenient=bool(options.get("lenient")),
                         create_missing=options.get("create_missing", True),
                         org_choices=options.get("org_choices") or {}, progress=progress)


def report(plan: planner.Plan) -> dict[str, Any]:
    """What the preview page shows, as JSON kept on the job.

    Personal data is masked here, once: an update's old value comes from the database and must not
    reach the page or the job's stored report in plain text (the record keeps it encrypted); the
    new value and the row's label are masked too, and free text (reasons, notes) is scrubbed of
    anything shaped like an ID, phone number or e-mail address.
    """
    by_name = {c.name: c for c in plan.columns}

    def listed(action: str) -> list[dict[str, Any]]:
        rows = plan.by_action(action)[:REPORT_LIMIT]
        return [{"row": r.number, "errors": [[col, scrub(msg)] for col, msg in r.errors],
                 "duplicate_of": r.duplicate_of, "kind": r.duplicate_kind,
                 "target": r.target, "notes": [scrub(n) for n in r.notes],
                 "changes": {plan_header(plan, k): [_shown(by_name.get(k), v[0]), _shown(by_name.get(k), v[1])]
                             for k, v in r.changes.items()},
                 "label": _row_label(plan, r)} for r in rows]

    return {
        "columns": [c.header for c in plan.mapped.values()],
        "ignored": plan.ignored,
        "warnings": plan.warnings,
        "new_organisations": [scrub(n) for n in sorted(plan.new_organisations)[:REPORT_LIMIT]],
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
        "referred": sum(1 for r in plan.rows if r.referred_to),
    }


def plan_header(plan: planner.Plan, name: str) -> str:
    return next((c.header for c in plan.columns if c.name == name), name)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _shown(column: Any, value: Any) -> str:
    text = _text(value)
    if column is not None and column.sensitive and text:
        return mask(column.name, text)
    return scrub(text)


# Shapes of personal data in free text: an 18-character ID number, a mobile number, an e-mail address.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def scrub(text: str) -> str:
    """Mask whatever looks like an ID number, a mobile number or an e-mail address in `text`."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group()), text)
    return _EMAIL.sub(lambda m: mask_email(m.group()), text)


def _row_label(plan: planner.Plan, row: planner.Row) -> str:
    """The first two non-empty cells of imported columns, so that a row can be recognised (masked)."""
    cells = [_shown(plan.mapped[i], row.cells[i]) for i in sorted(plan.mapped)
             if i < len(row.cells) and row.cells[i].strip()]
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
#
# A job's work runs inside `job.working()` (its heartbeat) and checks for a cancel between steps. It
# never ends with an exception: whatever happens, the job ends ready, done or failed with a reason,
# and the write's single transaction means a failed or killed job has written nothing. A job whose
# worker died is found by `reap` (no heartbeat for longer than the lease) and marked failed; its
# upload is kept so that the user can start it again, or cancel it.

def _job_table(job: ImportJob) -> Table:
    with job.file.open("rb") as handle:
        return read(handle, job.original_name)


def errors_path(job: ImportJob) -> Path:
    return job.errors_path()


def _keep_errors(job: ImportJob, plan: planner.Plan, table: Table) -> None:
    path = errors_path(job)
    if plan.counts()["errors"]:
        write_private(path, error_workbook(plan, table.headers))
    else:
        path.unlink(missing_ok=True)


def cancelled_message() -> str:
    return _("Cancelled; nothing was imported.")


def _unexpected(job: ImportJob, step: str) -> None:
    logger.exception("Import job %s failed while %s", job.pk, step)
    _fail(job, _("The import stopped because of an unexpected error; nothing was imported. Try again, or ask "
                 "the system administrator to look at the server log (import %(id)s).") % {"id": job.pk})


def _still(job: ImportJob, status: str) -> bool:
    """Whether the job is still in `status` (it may have been cancelled or reaped meanwhile)."""
    job.refresh_from_db(fields=["status"])
    return job.status == status


def check(job: ImportJob) -> None:
    """Validate the whole file and keep the preview on the job."""
    if not _still(job, ImportJob.Status.CHECKING):
        return
    registry = registry_for(job.registry)

    def progress(done: int) -> None:
        job.check_cancel()
        job.set_progress("checking", done, job.rows)

    with job.working():
        try:
            job.check_cancel()
            table = _job_table(job)
            job.rows = len(table.rows)
            job.set_progress("checking", 0, job.rows)
            plan = build_plan(registry, table, job.user, job.options, progress=progress)
            if plan.by_action(planner.CREATE) or plan.by_action(planner.UPDATE):
                # Where the user's scope is limited, a trial write (rolled back) finds rows outside it.
                if registry.model._default_manager.restrict(job.user, "change").query.where:  # type: ignore[attr-defined]
                    write.apply(plan, job.user, dry_run=True, progress=progress)
            _keep_errors(job, plan, table)
            job.check_cancel()
        except Cancelled:
            _fail(job, cancelled_message())
            return
        except ImportFileError as exc:  # OutOfScope included
            _fail(job, str(exc))
            return
        except Exception:
            _unexpected(job, "checking")
            return
        refer(job, plan)
        job.counts = plan.counts()
        job.report = report(plan)
        job.status = ImportJob.Status.READY
        job.save()
        job.set_progress("ready", job.rows, job.rows)


def run(job: ImportJob, remote_addr: str | None = None) -> None:
    """Write a checked job: the file is planned again (the platform may have changed) and written at once."""
    if not _still(job, ImportJob.Status.WRITING):
        return
    registry = registry_for(job.registry)
    total = 0

    def progress(done: int) -> None:
        job.check_cancel()  # inside the write's transaction: a cancel rolls everything back
        job.set_progress("writing", done, total)

    with job.working():
        try:
            job.check_cancel()
            table = _job_table(job)
            plan = build_plan(registry, table, job.user, job.options)
            total = len(plan.by_action(planner.CREATE)) + len(plan.by_action(planner.UPDATE))
            job.set_progress("writing", 0, total)
            counts = write.apply(plan, job.user, remote_addr=remote_addr, progress=progress)
        except Cancelled:
            _fail(job, cancelled_message())
            return
        except ImportFileError as exc:
            _fail(job, str(exc))
            return
        except Exception:
            _unexpected(job, "writing")
            return
        # Written: a cancel that arrives now is too late, and the page says what was imported.
        try:
            _keep_errors(job, plan, table)
        except OSError:
            logger.exception("Import job %s: the workbook of rows not imported could not be kept", job.pk)
        job.counts = counts
        job.report = report(plan)
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save()
        job.set_progress("done", total, total)
        _discard_upload(job)


def start_check(job: ImportJob) -> None:
    """Check a new (or restarted) job: in the request when it is small, else on the background worker."""
    from yiti.imports import tasks  # tasks import this module

    if job.rows > settings.IMPORT_BACKGROUND_ROWS:
        job.queued(tasks.check_job.enqueue(job.pk))
    else:
        check(job)


def start_write(job: ImportJob, remote_addr: str | None) -> None:
    from yiti.imports import tasks

    job.status = ImportJob.Status.WRITING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    if job.rows > settings.IMPORT_BACKGROUND_ROWS:
        job.queued(tasks.write_job.enqueue(job.pk, remote_addr))
    else:
        run(job, remote_addr=remote_addr)


def reap(job: ImportJob) -> bool:
    """Mark the job failed if its worker died, keeping its upload (`ImportJob.interrupted`); True if it
    did. Nothing was written (one transaction)."""
    return job.reap()


def restartable(job: ImportJob) -> bool:
    """An interrupted job keeps its upload until it is started again or cancelled (or purged)."""
    return job.status == ImportJob.Status.FAILED and bool(job.file)


def purge_interrupted() -> None:
    """Uploads of interrupted jobs nobody started again within INTERRUPTED_UPLOAD_HOURS are removed
    (here when an import page is opened; `yiti purge-jobs` does it too)."""
    expire_uploads(ImportJob)


def restart(job: ImportJob) -> None:
    job.clear_side_files()
    job.status, job.message, job.finished_at = ImportJob.Status.CHECKING, "", None
    job.counts, job.report, job.task_id = {}, {}, ""
    job.started_at = timezone.now()
    job.save()
    start_check(job)


def cancel(job: ImportJob) -> bool:
    """Cancel in any state. A job a worker is at stops at its next step (rolled back); True if it
    ended now, False if the worker will end it (or it had already ended)."""
    reap(job)
    if job.status in ImportJob.RUNNING:
        job.request_cancel()  # seen by the work between steps, even if it starts only now
        if job.last_beat() is not None:
            return False  # at work: it rolls back and marks itself cancelled
        _fail(job, cancelled_message())  # queued, not started
        return True
    if job.status == ImportJob.Status.READY or restartable(job):
        _fail(job, cancelled_message())
        return True
    return False


def _fail(job: ImportJob, message: str, keep_upload: bool = False) -> None:
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save()
    if not keep_upload:
        _discard_upload(job)


def _discard_upload(job: ImportJob) -> None:
    """An upload may hold ID and phone numbers in plain text: it is not kept once the job has ended."""
    job.discard_uploads()


# ---- 跨区记录: rows for the city office -------------------------------------------------------

def refer(job: ImportJob, plan: planner.Plan) -> None:
    """Keep the rows that matched a record outside the uploader's scope for the city office."""
    Referral.objects.filter(job=job, resolution=Referral.Resolution.OPEN).delete()  # a restarted check
    referred = [r for r in plan.rows if r.referred_to]
    if not referred:
        return
    indexes = sorted(plan.mapped)
    headers = [plan.mapped[i].header for i in indexes]
    sensitive = [n for n, i in enumerate(indexes) if plan.mapped[i].sensitive]
    Referral.objects.bulk_create([
        Referral(registry=job.registry, job=job, row_number=row.number, file_name=job.original_name,
                 user=job.user, targets=row.referred_to,
                 row_data=json.dumps({"headers": headers, "sensitive": sensitive,
                                      "cells": [row.cells[i] if i < len(row.cells) else "" for i in indexes]},
                                     ensure_ascii=False))
        for row in referred])


def referral_row(referral: Referral) -> list[tuple[str, str]]:
    """The row as (header, cell), personal data masked."""
    data = referral.row()
    sensitive = set(data["sensitive"])
    return [(h, mask_any(c) if n in sensitive else scrub(c))
            for n, (h, c) in enumerate(zip(data["headers"], data["cells"], strict=False))]


def mask_any(text: str) -> str:
    """A sensitive cell of unknown kind: keep the first and last characters only."""
    if not text:
        return ""
    if "@" in text:
        return mask_email(text)
    return mask_id_number(text) if len(text) > 11 else mask_phone(text)


def apply_referral(referral: Referral, user: Any) -> planner.Row:
    """Import the referred row as `user` (the city office): it must update the record it matched.
    Returns the planned row; its errors say why nothing was written."""
    registry = registry_for(referral.registry)
    data = referral.row()
    table = Table(headers=data["headers"], rows=[data["cells"]], row_numbers=[referral.row_number], sheet="",
                  encoding="")
    options = referral.job.options if referral.job else {}
    plan = build_plan(registry, table, user, {**options, "mapping": {}, "constants": {}})
    row = plan.rows[0]
    if row.action == planner.CREATE:
        row.error("", _("The row no longer matches an existing record; import it as a new record instead."))
    if row.errors:
        return row
    write.apply(plan, user)
    referral.resolution = Referral.Resolution.APPLIED
    _resolved(referral, user)
    return row


def dismiss_referral(referral: Referral, user: Any, note: str = "") -> None:
    referral.resolution = Referral.Resolution.DISMISSED
    referral.note = note[:500]
    _resolved(referral, user)


def _resolved(referral: Referral, user: Any) -> None:
    referral.resolved_by = user
    referral.resolved_at = timezone.now()
    referral.row_data = ""  # the row's personal data is not kept once it has been dealt with
    referral.save()
