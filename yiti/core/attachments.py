"""The one shape of an uploaded file kept with a record (an agreement step's evidence, a supervision report):
an abstract model each feature app subclasses with its foreign key, its folder under media and its download URL.
The uploaded name is kept in `name` and given back on download only; the stored name is random."""

import uuid
from pathlib import Path
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _


def attachment_path(attachment: Any, filename: str) -> str:
    """A random stored name in the attachment's folder (`upload_folder`), keeping the lower-cased extension."""
    return f"{attachment.upload_folder}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    upload_folder: ClassVar[str] = "attachments"  # under the private media root

    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def download(self) -> FileResponse:
        """The file under its uploaded name; a 404 if it is gone from the disk. The caller checks who may see it."""
        try:
            handle = self.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=self.name)
