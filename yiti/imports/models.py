import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core.fields import EncryptedCharField

# Cancelled is raised by the import's work; private_storage is named by migration 0003.
from yiti.core.jobs import Cancelled, Job, private_storage

__all__ = ["Cancelled", "ImportJob", "Job", "Referral", "SuggestionJob", "private_storage"]


class ImportJob(Job):
    """One spreadsheet on its way in: uploaded → checked (preview) → confirmed → written, or refused.

    The file stays on disk until the import is written, so the preview survives a reload and the
    write re-reads exactly what was previewed. Progress of a background job lives in a side file
    (``yiti.core.jobs``): the write runs in one transaction, which other connections cannot see into.
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
    INTERRUPTED = _("The import was interrupted (the server or its background worker stopped); nothing was "
                    "imported. Start it again, or cancel it.")
    UPLOAD_FIELDS = ("file",)
    FILE_DIRS = ("imports",)

    class Meta(Job.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.registry} {self.original_name}"

    def progress_total(self) -> int:
        return self.rows

    def errors_path(self) -> Path:
        """The workbook of rows not imported (kept beside the uploads, where it has always been)."""
        return Path(settings.MEDIA_ROOT) / "imports" / f"errors-{self.pk}.xlsx"

    def extra_files(self) -> list[Path]:
        return [self.errors_path()]


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
    INTERRUPTED = _("The suggestions were interrupted (the background worker stopped); nothing was written. "
                    "Start them again.")

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
