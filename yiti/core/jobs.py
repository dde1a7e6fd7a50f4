"""Background jobs: one user's piece of work that runs on the worker and is followed on its own page.

Imports, code suggestions (``yiti.imports``) and every later long-running feature (matching runs, report
generation) are job kinds built on this module. It imports nothing of accounts, security or any registry
or feature: a kind lives in its own app and plugs in by subclassing ``Job``.

Declare a kind — a concrete model with its statuses, which of them are running, and its own inputs and
result fields (``user``, ``status``, ``message``, the times and the task id come from ``Job``)::

    class ReportJob(Job):
        class Status(models.TextChoices):
            RUNNING = "running", _("Generating")
            DONE = "done", _("Ready")
            FAILED = "failed", _("Not generated")

        status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
        period = models.CharField(_("period"), max_length=7)
        RUNNING = (Status.RUNNING,)
        INTERRUPTED = gettext_lazy("The report was interrupted; start it again.")

Queue it — the work runs inside ``job.working()`` (its heartbeat), may report progress and look for a
cancel between steps, keeps its output in a side file and ends the job with ``finish``::

    @task()
    def report_job(job_id: int) -> None:
        job = ReportJob.objects.get(pk=job_id)
        with job.working():
            for done, part in enumerate(parts, 1):
                job.check_cancel()                         # raises Cancelled after request_cancel()
                job.set_progress("writing", done, len(parts))
            write_private(job.side_file("xlsx"), content)  # 0600, removed with the job
        job.finish(ReportJob.Status.DONE)

    job = ReportJob.objects.create(registry="needs", user=request.user, period="2026-11")
    job.queued(report_job.enqueue(job.pk))

Poll it — the job's page view takes it with ``own_job`` (another user's job is a logged 404), marks it
failed if its worker died (``reap``) and answers with ``render_job``; the page template includes
``core/job_progress.html`` while ``running``, which htmx polls every 2 s until the job ends::

    def report_page(request, pk):
        job = own_job(request, ReportJob, pk)
        job.reap()
        return render_job(request, job, "reports/job.html", {...}, label=_("Generating the report…"))

Purge it — nothing to declare: ``yiti purge-jobs`` finds every concrete kind through the app registry
and deletes its jobs ended more than ``YITI_JOB_RETENTION_DAYS`` ago with their files (``Job.files``);
uploads named in ``UPLOAD_FIELDS`` go ``INTERRUPTED_UPLOAD_HOURS`` after their job ended.
"""

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Side files live here, named <model name>-<pk>.<suffix> (heartbeat, cancel marker, progress, outputs).
SIDE_DIR = "jobs"
# A file in a job directory that no job names is left over (a job deleted by hand, a crash between saving
# an upload and its job): it goes after this long, which no job takes to save its own row.
ORPHAN_GRACE = timedelta(hours=1)


class Cancelled(Exception):
    """Raised inside a job's work when its user cancelled it: the work stops, nothing is kept."""


def private_storage() -> FileSystemStorage:
    """Uploads may hold ID and phone numbers: readable by the server's own account only."""
    return FileSystemStorage(file_permissions_mode=0o600, directory_permissions_mode=0o700)


def write_private(path: Path, content: bytes) -> None:
    """Write a file only the server's account can read (a job's files may hold personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.chmod(path, 0o600)  # an older file of the same name keeps its mode otherwise


class Job(models.Model):
    """A piece of work one user starts on one registry and follows on its own page: theirs alone.

    A running job proves it is alive by a heartbeat: while it works, a thread touches a small file
    every few seconds (a file, not the database: an import writes in one long transaction that
    other connections cannot see into, and on SQLite a second writer would wait for it). A job whose
    heartbeat is older than ``JOB_LEASE_SECONDS`` has lost its worker (killed, server restarted) and
    is marked failed (`reap`). Cancelling a running job leaves a marker file the work checks between
    steps, so the cancel never waits for the work's transaction. Progress is a side file for the same
    reason.
    """

    RUNNING: ClassVar[tuple[str, ...]] = ()  # the statuses in which a worker is (or should be) at work
    FAILED: ClassVar[str] = "failed"  # the status of a job that failed, was cancelled or lost its worker
    INTERRUPTED: ClassVar[Any] = _("The work was interrupted (the background worker stopped); start it again.")
    UPLOAD_FIELDS: ClassVar[tuple[str, ...]] = ()  # file fields holding what the user uploaded
    FILE_DIRS: ClassVar[tuple[str, ...]] = ()  # folders under MEDIA_ROOT holding this kind's files only

    registry = models.CharField(_("registry"), max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField(_("status"), max_length=20)  # each kind redeclares it with its choices
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When the current step was started or handed to the background worker (the lease's start) and,
    # for a background step, the django-tasks result that runs it.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    task_id = models.CharField(_("background task"), max_length=64, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    # ---- side files --------------------------------------------------------------------------------
    def side_file(self, suffix: str) -> Path:
        return Path(settings.MEDIA_ROOT) / SIDE_DIR / f"{self._meta.model_name}-{self.pk}.{suffix}"

    def side_files(self) -> list[Path]:
        folder = Path(settings.MEDIA_ROOT) / SIDE_DIR
        return sorted(folder.glob(f"{self._meta.model_name}-{self.pk}.*")) if folder.is_dir() else []

    def clear_side_files(self) -> None:
        for path in self.side_files():
            path.unlink(missing_ok=True)

    def extra_files(self) -> list[Path]:
        """Files a kind keeps elsewhere than its side files and file fields (none by default)."""
        return []

    def files(self) -> list[Path]:
        """Every file of this job that is on disk: side files, file fields' files and the kind's extras."""
        return [*self.side_files(), *self.stored_files()]

    def stored_files(self) -> list[Path]:
        """The files of its file fields and the kind's extras that are on disk."""
        found = [Path(getattr(self, name).path) for name in _file_fields(type(self)) if getattr(self, name)]
        found.extend(self.extra_files())
        return [p for p in found if p.exists()]

    def discard_uploads(self) -> None:
        """An upload may hold ID and phone numbers in plain text: it is not kept once the job has ended."""
        for name in self.UPLOAD_FIELDS:
            upload = getattr(self, name)
            if upload:
                upload.delete(save=True)

    # ---- progress ----------------------------------------------------------------------------------
    def set_progress(self, phase: str, done: int, total: int) -> None:
        path = self.side_file("progress")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
        tmp.replace(path)

    def progress(self) -> dict[str, Any]:
        """{"phase", "done", "total"} as the work last set it (total 0: not known)."""
        try:
            return json.loads(self.side_file("progress").read_text())
        except (OSError, ValueError):
            return {"phase": self.status, "done": 0, "total": self.progress_total()}

    def progress_total(self) -> int:
        """The total shown before the work first reports its progress."""
        return 0

    # ---- heartbeat and lease ----------------------------------------------------------------------
    def beat(self) -> None:
        path = self.side_file("alive")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()

    def last_beat(self) -> float | None:
        try:
            return self.side_file("alive").stat().st_mtime
        except OSError:
            return None

    @contextmanager
    def working(self) -> Iterator[None]:
        """Beat while the block runs (a daemon thread: it dies with the process, and so do the beats)."""
        stop = threading.Event()
        interval = max(1.0, settings.JOB_LEASE_SECONDS / 6)

        def beats() -> None:
            while not stop.wait(interval):
                self.beat()

        self.beat()
        thread = threading.Thread(target=beats, name=f"heartbeat {self._meta.model_name} {self.pk}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            self.side_file("alive").unlink(missing_ok=True)

    def queued(self, task_result: Any) -> None:
        """The step was handed to the background worker: the lease waits while the task is queued."""
        self.task_id = str(task_result.id)
        self.started_at = timezone.now()
        self.save(update_fields=["task_id", "started_at"])

    def is_running(self) -> bool:
        return self.status in self.RUNNING

    def is_dead(self) -> bool:
        """Running, yet no heartbeat for longer than the lease (and not waiting in the worker's queue)."""
        if not self.is_running() or not self._silent():
            return False
        # The work may have ended between this object's loading and now (its final save comes before
        # its heartbeat stops): only a job still running in the database is dead.
        return type(self)._default_manager.filter(pk=self.pk, status=self.status).exists()

    def _silent(self) -> bool:
        lease = settings.JOB_LEASE_SECONDS
        last = self.last_beat()
        if last is not None and time.time() - last <= lease:
            return False
        if self.task_id:
            state = _task_state(self.task_id)
            if state == "READY":
                return False  # queued behind other work: not started, so not dead
            if state in {"FAILED", "SUCCESSFUL"}:
                return True  # the task ended but never finished the job
        if last is not None:
            return True  # it beat, then stopped
        since = self.started_at or self.created_at
        return (timezone.now() - since).total_seconds() > lease  # never beat within the lease

    def reap(self) -> bool:
        """Mark the job failed if its worker died; True if it did. Called when its pages are opened and
        by ``yiti purge-jobs``."""
        if not self.is_dead():
            return False
        logger.warning("%s %s lost its worker while %s", self._meta.model_name, self.pk, self.status)
        self.interrupted()
        return True

    def interrupted(self) -> None:
        """What becomes of a job whose worker died: failed, saying so. Its uploads stay for a restart
        (until INTERRUPTED_UPLOAD_HOURS have passed)."""
        self.finish(self.FAILED, str(self.INTERRUPTED))

    def finish(self, status: str, message: str = "") -> None:
        self.status = status
        self.message = message
        self.finished_at = timezone.now()
        self.save()

    # ---- cancelling ------------------------------------------------------------------------------
    def request_cancel(self) -> None:
        path = self.side_file("cancel")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()

    def cancel_requested(self) -> bool:
        return self.side_file("cancel").exists()

    def check_cancel(self) -> None:
        """Called by the work between steps."""
        if self.cancel_requested():
            raise Cancelled


def _file_fields(model: type[Job]) -> list[str]:
    return [f.name for f in model._meta.fields if isinstance(f, models.FileField)]


def _task_state(task_id: str) -> str:
    """The django-tasks status of a background task ("" when it is unknown)."""
    from django_tasks import default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    try:
        return str(default_task_backend.get_result(task_id).status)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return ""


# ---- pages ------------------------------------------------------------------------------------------

def own_job(request: Any, model: type[Job], pk: Any) -> Any:
    """The job ``pk`` if the requesting user started it (a job is its starter's own); else a logged 404."""
    from yiti.core.views import denied

    job = get_object_or_404(model, pk=pk)
    if job.user_id != request.user.pk:  # type: ignore[attr-defined]
        denied(request, f"{model._meta.model_name} of another user")
        raise Http404
    return job


def render_job(request: Any, job: Job, template_name: str, context: dict[str, Any], *, label: str,
               cancel_url: str = "", cancelling_label: str = "", note: str = "") -> HttpResponse:
    """A job's own page, or the answer to its poll.

    While the job runs the page includes ``core/job_progress.html`` (``running`` and ``job_poll`` are in
    its context): ``label`` and the progress the work last set, a cancel button when ``cancel_url`` is
    given (``cancelling_label`` once it was pressed), and ``note``. The fragment asks the same address
    every 2 s; htmx's request gets the fragment again while the job runs and a full reload once it has
    ended, so the page then shows the result.
    """
    running = job.is_running()
    progress = job.progress()
    cancelling = running and bool(cancel_url) and job.cancel_requested()
    poll = {"url": request.path, "label": label, "done": progress.get("done", 0), "total": progress.get("total", 0),
            "cancel_url": cancel_url, "cancelling": cancelling_label if cancelling else "", "note": note}
    context = {**context, "job": job, "running": running, "job_poll": poll}
    if request.headers.get("HX-Request") == "true":
        if running:
            return render(request, "core/job_progress.html", context)
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, template_name, context)


# ---- purge ------------------------------------------------------------------------------------------

def job_models() -> list[type[Job]]:
    """Every concrete job kind of the installed apps."""
    return [m for m in apps.get_models() if issubclass(m, Job)]


@dataclass
class Purge:
    """What ``purge`` removed (or, dry, would remove)."""

    jobs: list[tuple[str, int, str, datetime]] = field(default_factory=list)  # (kind, pk, status, ended)
    files: list[Path] = field(default_factory=list)
    reaped: list[tuple[str, int]] = field(default_factory=list)  # running jobs found dead: now failed
    uploads: list[Path] = field(default_factory=list)  # uploads of ended jobs past INTERRUPTED_UPLOAD_HOURS
    orphans: list[Path] = field(default_factory=list)  # files in job folders that no job names


def expire_uploads(model: type[Job], *, now: datetime | None = None, dry_run: bool = False) -> list[Path]:
    """Remove the uploads of ``model``'s jobs that ended more than INTERRUPTED_UPLOAD_HOURS ago (an
    interrupted import keeps its upload that long for 重新开始); returns their paths."""
    if not model.UPLOAD_FIELDS:
        return []
    cutoff = (now or timezone.now()) - timedelta(hours=settings.INTERRUPTED_UPLOAD_HOURS)
    has_upload = models.Q()
    for name in model.UPLOAD_FIELDS:
        has_upload |= ~models.Q(**{name: ""})
    stale = model._default_manager.filter(has_upload, finished_at__lt=cutoff).exclude(status__in=model.RUNNING)
    removed: list[Path] = []
    for job in stale.iterator():
        paths = [Path(getattr(job, name).path) for name in model.UPLOAD_FIELDS if getattr(job, name)]
        if paths:
            if not dry_run:
                job.discard_uploads()
            removed.extend(paths)
    return removed


def purge(days: int | None = None, *, dry_run: bool = False, now: datetime | None = None) -> Purge:
    """Delete every kind's jobs that ended more than ``days`` (YITI_JOB_RETENTION_DAYS) ago, with their files.

    A job counts as ended from ``finished_at``; one left waiting for its user (an import's preview) from
    its last step. Running jobs are never deleted: those whose worker died are first marked failed, and
    go once they too are old. Uploads of ended jobs go after INTERRUPTED_UPLOAD_HOURS, and files in the
    kinds' folders that no job names after ``ORPHAN_GRACE``. Running it again removes nothing more.
    """
    now = now or timezone.now()
    days = settings.YITI_JOB_RETENTION_DAYS if days is None else days
    if days < 0:
        raise ValueError(days)
    cutoff = now - timedelta(days=days)
    result = Purge()
    kinds = job_models()
    for model in kinds:
        label = str(model._meta.model_name)
        for job in model._default_manager.filter(status__in=model.RUNNING).iterator():
            if job.is_dead():
                result.reaped.append((label, job.pk))
                if not dry_run:
                    job.reap()
        result.uploads.extend(expire_uploads(model, now=now, dry_run=dry_run))
        ended = (model._default_manager.exclude(status__in=model.RUNNING)
                 .annotate(ended=Coalesce("finished_at", "started_at", "created_at"))
                 .filter(ended__lt=cutoff).order_by("pk"))
        for job in ended.iterator():
            paths = job.files()
            result.jobs.append((label, job.pk, job.status, job.ended))  # type: ignore[attr-defined]
            result.files.extend(paths)
            if not dry_run:
                job.delete()
                for path in paths:
                    path.unlink(missing_ok=True)
    result.orphans = _orphans(kinds, now)
    if not dry_run:
        for path in result.orphans:
            path.unlink(missing_ok=True)
        _remove_empty_folders(kinds)
    return result


def _folders(kinds: list[type[Job]]) -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return sorted({media / SIDE_DIR} | {media / d for model in kinds for d in model.FILE_DIRS})


def _orphans(kinds: list[type[Job]], now: datetime) -> list[Path]:
    """Files in the side folder and the kinds' own folders that no job names, older than ORPHAN_GRACE."""
    live: set[str] = set()  # side files are named <model name>-<pk>.<suffix>
    named: set[Path] = set()
    for model in kinds:
        live.update(f"{model._meta.model_name}-{pk}" for pk in model._default_manager.values_list("pk", flat=True))
        for job in model._default_manager.only("pk", *_file_fields(model)).iterator():
            named.update(p.resolve() for p in job.stored_files())
    side_dir = Path(settings.MEDIA_ROOT) / SIDE_DIR
    oldest = (now - ORPHAN_GRACE).timestamp()
    found = []
    for folder in _folders(kinds):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.stat().st_mtime >= oldest:
                continue
            side_of_a_job = path.parent == side_dir and path.name.split(".", 1)[0] in live
            if not side_of_a_job and path.resolve() not in named:
                found.append(path)
    return found


def _remove_empty_folders(kinds: list[type[Job]]) -> None:
    """The month folders uploads leave behind (imports/2026/10/), deepest first; the kinds' folders stay."""
    for folder in _folders(kinds):
        if folder.is_dir():
            for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                if not any(sub.iterdir()):
                    sub.rmdir()
