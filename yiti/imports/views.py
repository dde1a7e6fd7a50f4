"""导入 pages: upload → preview (every row checked) → confirm → result, with 下载模板 and the error workbook.

Imports up to IMPORT_BACKGROUND_ROWS are checked and written within the request; larger ones run
as background tasks and the job page polls their progress (it survives a reload: the job lives in
the database, its progress in a file).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiti.core.access import user_may
from yiti.core.jobs import own_job, render_job
from yiti.core.network import client_ip
from yiti.core.views import RegistryView, denied
from yiti.imports import services
from yiti.imports.columns import columns_for
from yiti.imports.models import ImportJob
from yiti.imports.reader import ImportFileError
from yiti.imports.referrals import may_resolve
from yiti.imports.template import workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def template_download(request, registry_name: str):
    registry = services.registry_for(registry_name)
    if not user_may(request.user, registry.model, "add"):
        denied(request, "role")
        raise PermissionDenied
    title = str(registry.model._meta.verbose_name_plural)
    content = workbook_bytes(columns_for(registry, request.user), title)
    return _attachment(content, _("%(name)s import template.xlsx") % {"name": title})


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (xlsx or csv)"))
    create_missing = forms.BooleanField(
        label=gettext_lazy("Create organisations the file names but the platform lacks (listed on the preview)"),
        required=False, initial=False)  # off: a misspelt name must not become a second organisation
    lenient = forms.BooleanField(
        label=gettext_lazy("Keep unrecognised values of optional columns in the notes instead of refusing the row"),
        required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx,.csv"})
        for name in ("create_missing", "lenient"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class ImportUploadView(RegistryView):
    action = "add"
    template_name = "imports/upload.html"

    def get(self, request):
        return self.page(UploadForm())

    def page(self, form, status=200):
        jobs = list(ImportJob.objects.filter(user=self.request.user, registry=self.registry.app_label)[:10])
        for job in jobs:
            services.reap(job)
        services.purge_interrupted()
        return render(self.request, self.template_name,
                      {**self.base_context(), "form": form, "jobs": jobs,
                       "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
                       "template_url": reverse(self.registry.url_name("import_template")),
                       "referrals_url": reverse("imports:referrals") if may_resolve(self.request.user) else ""},
                      status=status)

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is %(size).1f MB; the limit is %(limit)d MB. Split it into smaller files.")
                           % {"size": upload.size / 1024 / 1024, "limit": settings.IMPORT_MAX_BYTES // 1024 // 1024})
            return self.page(form, status=400)
        try:
            table = services.read(upload, upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return self.page(form, status=400)
        upload.seek(0)
        job = ImportJob.objects.create(
            registry=self.registry.app_label, user=request.user, file=upload, original_name=upload.name[:200],
            rows=len(table.rows),
            options={"create_missing": form.cleaned_data["create_missing"], "lenient": form.cleaned_data["lenient"]},
            started_at=timezone.now(),
        )
        services.start_check(job)
        return redirect("imports:job", pk=job.pk)


def _job_for(request, pk) -> ImportJob:
    return own_job(request, ImportJob, pk)


def _job_to_write(request, pk) -> ImportJob:
    """The user's job, for the actions that write records (a logged 403 without the role to add)."""
    job = _job_for(request, pk)
    registry = services.registry_for(job.registry)
    if not user_may(request.user, registry.model, "add"):
        denied(request, "role")
        raise PermissionDenied
    return job


def nothing_to_write(counts: dict[str, int]) -> str:
    """Why confirming would write nothing ("" when some row would be created or changed)."""
    if counts.get("created") or counts.get("updated", 0) > counts.get("unchanged", 0):
        return ""
    if counts.get("errors") and counts["errors"] == counts.get("rows"):
        return _("All %(n)d rows have errors, so there is no row to import; download the rows with errors, "
                 "correct them and upload again.") % {"n": counts["errors"]}
    return _("No row would create or change a record (%(errors)d rows with errors, %(unchanged)d already "
             "the same as on the platform, %(duplicates)d duplicates); there is nothing to import.") % {
        "errors": counts.get("errors", 0), "unchanged": counts.get("unchanged", 0),
        "duplicates": counts.get("duplicates", 0)}


def job_page(request, pk: int):
    job = _job_for(request, pk)
    services.reap(job)
    registry = services.registry_for(job.registry)
    context = {
        "job": job, "registry": registry, "report": job.report, "counts": job.counts,
        "verbose_name_plural": registry.model._meta.verbose_name_plural,
        "list_url": reverse(registry.url_name("list")),
        "import_url": reverse(registry.url_name("import")),
        "nothing_to_write": nothing_to_write(job.counts or {}) if job.status == ImportJob.Status.READY else "",
        "restartable": services.restartable(job),
    }
    if context["nothing_to_write"] and (job.report or {}).get("near_organisations"):
        context["nothing_to_write"] = _("No row can be imported yet: choose the organisations above and check "
                                        "again, or download the rows with errors, correct them and upload again.")
    return render_job(
        request, job, "imports/job.html", context,
        label=_("Checking every row…") if job.status == ImportJob.Status.CHECKING else _("Importing…"),
        cancel_url=reverse("imports:cancel", args=[job.pk]),
        cancelling_label=_("Cancelling: the import stops at its next step and nothing is imported."),
        note=_("You may leave or reload this page; the import goes on."))


@require_POST
def confirm(request, pk: int):
    job = _job_to_write(request, pk)
    if job.status != ImportJob.Status.READY:
        messages.error(request, _("This import is not waiting for confirmation."))
        return redirect("imports:job", pk=job.pk)
    if nothing_to_write(job.counts):
        messages.error(request, nothing_to_write(job.counts))
        return redirect("imports:job", pk=job.pk)
    services.start_write(job, client_ip(request))
    return redirect("imports:job", pk=job.pk)


@require_POST
def choose_organisations(request, pk: int):
    """疑似已有单位: for each nearly matching name, use the chosen existing organisation or create a new one;
    then the file is checked again with those choices."""
    job = _job_for(request, pk)
    if job.status != ImportJob.Status.READY:
        messages.error(request, _("This import is not waiting for confirmation."))
        return redirect("imports:job", pk=job.pk)
    chosen = dict((job.options or {}).get("org_choices") or {})
    for near in (job.report or {}).get("near_organisations", []):
        value = request.POST.get(f"org-{near['key']}", "")
        allowed = {str(pk): pk for pk, _label in near["choices"]}
        if near["may_create"]:
            allowed["new"] = "new"
        if value and value not in allowed:  # a forged choice: nothing is changed
            messages.error(request, _("“%(value)s” is not one of the choices for “%(name)s”; nothing was changed.")
                           % {"value": value, "name": near["name"]})
            return redirect("imports:job", pk=job.pk)
        if value:
            chosen[near["key"]] = allowed[value]
    job.options = {**(job.options or {}), "org_choices": chosen}
    job.status = ImportJob.Status.CHECKING
    job.started_at = timezone.now()
    job.save(update_fields=["options", "status", "started_at"])
    services.start_check(job)
    return redirect("imports:job", pk=job.pk)


@require_POST
def cancel(request, pk: int):
    """Cancel in any state: at once, or — while a worker is at it — at its next step, rolled back."""
    job = _job_for(request, pk)
    if not services.cancel(job) and job.status in ImportJob.RUNNING:
        messages.info(request, _("Cancelling: the import stops at its next step and nothing is imported."))
    return redirect("imports:job", pk=job.pk)


@require_POST
def restart(request, pk: int):
    """Start an interrupted job again from its upload (checked afresh, then confirmed as before)."""
    job = _job_to_write(request, pk)
    if not services.restartable(job):
        messages.error(request, _("This import cannot be started again; upload the file again."))
        return redirect("imports:job", pk=job.pk)
    services.restart(job)
    return redirect("imports:job", pk=job.pk)


def error_rows(request, pk: int):
    """The rows not imported, with a reason column, to fix and upload again."""
    job = _job_for(request, pk)
    path = services.errors_path(job)
    if not path.exists():
        raise Http404
    name = job.original_name.rsplit(".", 1)[0]
    return _attachment(path.read_bytes(), _("%(name)s rows not imported.xlsx") % {"name": name})
