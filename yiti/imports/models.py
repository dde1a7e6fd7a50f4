import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.core.fields import EncryptedCharField


class Cancelled(Exception):
    """Raised inside a job's work when its user cancelled it: the work stops, nothing is kept."""


class Job(models.Model):
    """A piece of work one user starts on one registry and follows on its own page: theirs alone.

    A running job proves it is alive by a heartbeat: while it works, a thread touches a small file
    every few seconds (a file, not the database: an import writes in one long transaction that
    other connections cannot see into, and on SQLite a second writer would wait for it). A job whose
    heartbeat is older than ``JOB_LEASE_SECONDS`` has lost its worker (killed, server restarted) and
    is marked failed (`reap`). Cancelling a running job leaves a marker file the work checks between
    steps, so the cancel never waits for the work's transaction.
    """

    RUNNING: tuple[str, ...] = ()  # the statuses in which a worker is (or should be) at work

    registry = models.CharField(_("registry"), max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")
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

    # ---- heartbeat and lease ----------------------------------------------------------------------
    def _side_file(self, suffix: str) -> Path:
        return Path(settings.MEDIA_ROOT) / "jobs" / f"{self._meta.model_name}-{self.pk}.{suffix}"

    def beat(self) -> None:
        path = self._side_file("alive")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()

    def last_beat(self) -> float | None:
        try:
            return self._side_file("alive").stat().st_mtime
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
            self._side_file("alive").unlink(missing_ok=True)

    def queued(self, task_result: Any) -> None:
        """The step was handed to the background worker: the lease waits while the task is queued."""
        self.task_id = str(task_result.id)
        self.started_at = timezone.now()
        self.save(update_fields=["task_id", "started_at"])

    def is_dead(self) -> bool:
        """Running, yet no heartbeat for longer than the lease (and not waiting in the worker's queue)."""
        if self.status not in self.RUNNING or not self._silent():  # type: ignore[attr-defined]
            return False
        # The work may have ended between this object's loading and now (its final save comes before
        # its heartbeat stops): only a job still running in the database is dead.
        return type(self)._default_manager.filter(pk=self.pk, status=self.status).exists()  # type: ignore[attr-defined,misc]

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

    # ---- cancelling ------------------------------------------------------------------------------
    def request_cancel(self) -> None:
        path = self._side_file("cancel")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()

    def cancel_requested(self) -> bool:
        return self._side_file("cancel").exists()

    def check_cancel(self) -> None:
        """Called by the work between steps."""
        if self.cancel_requested():
            raise Cancelled

    def clear_side_files(self) -> None:
        for suffix in ("alive", "cancel"):
            self._side_file(suffix).unlink(missing_ok=True)


def _task_state(task_id: str) -> str:
    """The django-tasks status of a background task ("" when it is unknown)."""
    from django_tasks import default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    try:
        return str(default_task_backend.get_result(task_id).status)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return ""


def private_storage() -> FileSystemStorage:
    """Uploads may hold ID and phone numbers: readable by the server's own account only."""
    return FileSystemStorage(file_permissions_mode=0o600, directory_permissions_mode=0o700)


class ImportJob(Job):
    """One spreadsheet on its way in: uploaded → checked (preview) → confirmed → written, or refused.

    The file stays on disk until the import is written, so the preview survives a reload and the
    write re-reads exactly what was previewed. Progress of a background job lives in a small file
    beside it: the write runs in one transaction, which other connections cannot see into.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        READY = "ready", _("Ready to import")
        WRITING = "writing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)

    RUNNING = (Status.CHECKING, Status.WRITING)

    class Meta(Job.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.registry} {self.original_name}"

    @property
    def progress_path(self) -> Path:
        return Path(settings.MEDIA_ROOT) / "imports" / f"progress-{self.pk}.json"

    def set_progress(self, phase: str, done: int, total: int) -> None:
        path = self.progress_path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
        tmp.replace(path)

    def progress(self) -> dict[str, Any]:
        try:
            return json.loads(self.progress_path.read_text())
        except (OSError, ValueError):
            return {"phase": self.status, "done": 0, "total": self.rows}


class SuggestionJob(Job):
    """One run of 建议代码: codes learned from the coded records, suggested for one registry's records
    in the user's scope that lack them, then reviewed and written by the user (``yiti.imports.tagging``).

    Training takes up to a minute on a large platform, so it runs as a background task; the
    suggestions are kept here, so the review survives a reload and can be done page by page.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Learning")
        READY = "ready", _("Ready for review")
        FAILED = "failed", _("No suggestions")

    field = models.CharField(_("field"), max_length=30)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    # [{"pk", "record", "code", "name", "probability", "alternatives": [[code, name, p], …], "applied"}]
    suggestions = models.JSONField(_("suggestions"), default=list, blank=True)
    n_training = models.PositiveIntegerField(_("records learned from"), default=0)

    RUNNING = (Status.RUNNING,)

    class Meta(Job.Meta):
        verbose_name = _("code suggestion")
        verbose_name_plural = _("code suggestions")

    def __str__(self) -> str:
        return f"{self.registry} {self.field} {self.created_at:%Y-%m-%d %H:%M}"


class Referral(models.Model):
    """跨区记录: an import row that matched a record outside its uploader's scope, left for the city office.

    The uploader is only told that the row needs the city office (never that a record exists); the
    city office applies the row to the existing record or dismisses it. The row as uploaded may hold
    ID and phone numbers: it is kept encrypted, shown masked, and emptied once the row is resolved.
    """

    class Resolution(models.TextChoices):
        OPEN = "", _("To be checked")
        APPLIED = "applied", _("Applied to the existing record")
        DISMISSED = "dismissed", _("Dismissed")

    registry = models.CharField(_("registry"), max_length=30)
    job = models.ForeignKey(ImportJob, verbose_name=_("import"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="referrals")
    row_number = models.PositiveIntegerField(_("row number"))
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                             related_name="+")
    targets = models.JSONField(_("matching records"), default=list, blank=True)
    # {"headers": [...], "cells": [...], "sensitive": [column indexes]}, as JSON, encrypted.
    row_data = EncryptedCharField(_("row as uploaded"), max_length=1_000_000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True,
                                  default=Resolution.OPEN)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    note = models.CharField(_("resolution note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cross-scope row")
        verbose_name_plural = _("cross-scope rows")
        ordering = ["-created_at", "row_number"]

    def __str__(self) -> str:
        return f"{self.file_name} #{self.row_number}"

    def row(self) -> dict[str, Any]:
        return json.loads(self.row_data) if self.row_data else {"headers": [], "cells": [], "sensitive": []}
