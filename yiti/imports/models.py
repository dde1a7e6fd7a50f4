import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A piece of work one user starts on one registry and follows on its own page: theirs alone."""

    registry = models.CharField(_("registry"), max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


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

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)

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

    class Meta(Job.Meta):
        verbose_name = _("code suggestion")
        verbose_name_plural = _("code suggestions")

    def __str__(self) -> str:
        return f"{self.registry} {self.field} {self.created_at:%Y-%m-%d %H:%M}"
