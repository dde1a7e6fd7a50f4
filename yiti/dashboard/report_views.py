"""The pages of work reports (/reports/): thin — they read a form, call `yiti.dashboard.reports`, show the
outcome. A report is found through `reports.reports_visible(user)`: outside it, a logged 404."""

import datetime
import io
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yiti.core.forms import NamedErrorsMixin, style_widgets
from yiti.core.jobs import render_job
from yiti.core.views import denied, get_in_scope
from yiti.dashboard import reports
from yiti.dashboard.models import ReportTemplate, WorkReport


class ReportForm(NamedErrorsMixin, forms.Form):
    """Read as plain values; the rules (a period that has begun, a county in scope) are the service's."""

    period_kind = forms.ChoiceField(label=gettext_lazy("period"), choices=WorkReport.Period.choices)
    period = forms.CharField(label=gettext_lazy("period covered"), max_length=7,
                             help_text=gettext_lazy("Monthly 2026-11, quarterly 2026-Q4, annual 2026."))
    division = forms.TypedChoiceField(label=gettext_lazy("division"), coerce=int, empty_value=None, required=False)
    template = forms.TypedChoiceField(label=gettext_lazy("template"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = reports.county_choices(user)
        own = reports.home_division(user)
        self.fields["division"].choices = ([] if own is not None else [("", _("Whole city"))]) + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in counties]
        templates = list(ReportTemplate.objects.order_by("-active", "-uploaded_at"))
        self.fields["template"].choices = [("", _("Default template"))] + [  # type: ignore[attr-defined]
            (t.pk, t.name) for t in templates]
        active = next((t for t in templates if t.active), None)
        if active is not None:
            self.fields["template"].initial = active.pk
        last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        self.fields["period"].initial = f"{last:%Y-%m}"
        style_widgets(self)


class TemplateForm(NamedErrorsMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=100, required=False)
    file = forms.FileField(label=gettext_lazy("file"), help_text=gettext_lazy("A Word .docx file of at most 5 MB."))
    active = forms.BooleanField(label=gettext_lazy("Use by default"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


def _reader(request: Any) -> None:
    if not reports.is_reader(request.user):
        denied(request, "work reports")
        raise PermissionDenied(_("Work reports are for the office and leaders."))


def _manager(request: Any) -> None:
    if not reports.may_manage_templates(request.user):
        denied(request, "report templates")
        raise PermissionDenied(_("Only the city office manages report templates."))


def _report(request: Any, pk: int) -> WorkReport:
    _reader(request)
    return get_in_scope(request, reports.reports_visible(request.user), pk)


def _errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_GET
def index(request):
    _reader(request)
    page = Paginator(reports.reports_visible(request.user).order_by("-created_at"), 25).get_page(request.GET.get("page"))
    return render(request, "dashboard/reports/index.html", {
        "page": page, "may_manage": reports.may_manage_templates(request.user)})


@login_required
def new(request):
    _reader(request)
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = reports.start_report(request.user, kind=data["period_kind"], period=data["period"],
                                          county_id=data.get("division"), template_id=data.get("template"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            report.queued(reports.report_job.enqueue(report.pk))
            return redirect("reports:report", pk=report.pk)
    return render(request, "dashboard/reports/new.html", {"form": form})


@login_required
@require_GET
def report_page(request, pk: int):
    report = _report(request, pk)
    report.reap()
    return render_job(request, report, "dashboard/reports/report.html", {"report": report},
                      label=_("Generating the report…"))


@login_required
@require_GET
def download(request, pk: int, kind: str):
    report = _report(request, pk)
    field = {"word": report.docx, "pdf": report.pdf}.get(kind)
    if report.status != WorkReport.Status.DONE or not field:
        raise Http404
    suffix = "docx" if kind == "word" else "pdf"
    area = report.division.name if report.division else _("Whole city")
    name = _("%(area)s work report %(period)s") % {"area": area, "period": report.period} + f".{suffix}"
    return FileResponse(field.open("rb"), as_attachment=True, filename=name)


@login_required
def templates(request):
    """The office's templates: upload (checked; a refused file is not kept), the one in use, the placeholders."""
    _reader(request)
    may_manage = reports.may_manage_templates(request.user)
    form = TemplateForm(request.POST or None, request.FILES or None) if may_manage else None
    if request.method == "POST":
        _manager(request)
        assert form is not None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                reports.check_upload(upload.name, upload.size)  # before reading it into memory
                template = reports.upload_template(request.user, name=form.cleaned_data["name"], data=upload.read(),
                                                   filename=upload.name, active=form.cleaned_data["active"])
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The template “%(name)s” was checked and saved.") % {"name": template.name})
                return redirect("reports:templates")
    return render(request, "dashboard/reports/templates.html", {
        "templates": ReportTemplate.objects.select_related("uploaded_by"), "form": form, "may_manage": may_manage,
        "placeholders": reports.placeholders()}, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def template_activate(request, pk: int):
    _manager(request)
    template = get_in_scope(request, ReportTemplate.objects.all(), pk)
    ReportTemplate.objects.exclude(pk=template.pk).update(active=False)
    ReportTemplate.objects.filter(pk=template.pk).update(active=True)
    messages.success(request, _("Reports now use the template “%(name)s” by default.") % {"name": template.name})
    return redirect("reports:templates")


@login_required
@require_GET
def template_download(request, pk: int):
    _reader(request)
    template = get_in_scope(request, ReportTemplate.objects.all(), pk)
    return FileResponse(template.file.open("rb"), as_attachment=True, filename=f"{template.name}.docx")


@login_required
@require_GET
def default_template(request):
    _reader(request)
    return FileResponse(io.BytesIO(reports.default_template()), as_attachment=True, filename=_("work report template") + ".docx")
