"""建议代码 pages: learn discipline/industry codes from the coded records, suggest them for one
registry's records that lack them, and let staff review and write them page by page.

start (choose the field) → background task learns and suggests (``tagging.run``) → review page
(one select per record: the suggestion, its two runners-up or 不写入) → write the chosen ones, or
all at or above 60 % at once → review sheet (xlsx) for the office's own checking.
"""

from dataclasses import asdict

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiti.core import export
from yiti.core.access import user_may
from yiti.core.jobs import own_job, render_job
from yiti.core.views import RegistryView, denied
from yiti.imports import services, tagging, tasks
from yiti.imports.models import SuggestionJob

# Suggestions at or above this are pre-selected and written by 写入全部可信建议; the NSSF benchmark
# (docs/benchmarks.md) has 83 % of them right where the best code overall is right 73 % of the time.
CONFIDENT = 0.6
PER_PAGE = 100


class StartForm(forms.Form):
    field = forms.ChoiceField(label=gettext_lazy("Code to suggest"), widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = choices
        self.fields["field"].initial = choices[0][0]


class SuggestCodesView(RegistryView):
    action = "change"
    template_name = "imports/suggest.html"

    def form(self, data=None) -> StartForm:
        model = self.registry.model
        mine = self.registry.queryset(self.request.user, "change")
        choices = [(f, _("%(field)s (%(n)d records without one)")
                    % {"field": tagging.field_label(model, f), "n": mine.filter(**{f"{f}__isnull": True}).count()})
                   for f in tagging.taggable(self.registry)]
        return StartForm(data, choices=choices)

    def page(self, form, status=200):
        jobs = list(SuggestionJob.objects.filter(user=self.request.user, registry=self.registry.app_label)[:10])
        for job in jobs:
            job.field_name = tagging.field_label(self.registry.model, job.field)
        return render(self.request, self.template_name, {**self.base_context(), "form": form, "jobs": jobs},
                      status=status)

    def get(self, request):
        return self.page(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        job = SuggestionJob.objects.create(registry=self.registry.app_label, field=form.cleaned_data["field"],
                                           user=request.user)
        job.queued(tasks.suggest_job.enqueue(job.pk))
        return redirect("imports:suggestions", pk=job.pk)


def _job_for(request, pk) -> SuggestionJob:
    return own_job(request, SuggestionJob, pk)


def _suggestions(job: SuggestionJob) -> list[tagging.Suggestion]:
    return [tagging.Suggestion.from_dict(s) for s in job.suggestions]


def job_page(request, pk: int):
    job = _job_for(request, pk)
    job.reap()  # its worker was killed or restarted while learning: failed, saying so
    registry = services.registry_for(job.registry)
    model = registry.model
    suggestions = _suggestions(job)
    page = Paginator(suggestions, PER_PAGE).get_page(request.GET.get("page"))
    detail = registry.url_name("detail")
    rows = [{"s": s, "url": reverse(detail, args=[s.pk]), "preselect": s.probability >= CONFIDENT} for s in page]
    context = {
        "job": job, "registry": registry, "page": page, "rows": rows,
        "verbose_name_plural": model._meta.verbose_name_plural,
        "field_name": tagging.field_label(model, job.field),
        "list_url": reverse(registry.url_name("list")),
        "start_url": reverse(registry.url_name("suggest_codes")),
        "total": len(suggestions),
        "applied": sum(s.applied for s in suggestions),
        "confident": len(tagging.confident(suggestions, CONFIDENT)),
        "threshold": int(CONFIDENT * 100),
    }
    # The status poll gets the progress fragment while learning, then a reload into the review.
    return render_job(request, job, "imports/suggest_job.html", context,
                      label=_("Learning from the coded records and suggesting…"))


def _choices(request, suggestions: list[tagging.Suggestion]) -> dict[int, str]:
    """{record id: code} from the review form (code_<id> = code; empty means 不写入), or every
    confident suggestion when that button was pressed."""
    if request.POST.get("confident"):
        return tagging.confident(suggestions, CONFIDENT)
    chosen: dict[int, str] = {}
    for key, value in request.POST.items():
        if key.startswith("code_") and value:
            try:
                chosen[int(key.removeprefix("code_"))] = value
            except ValueError:
                raise tagging.TaggingError(_("The form field %(name)s is not a record.") % {"name": key}) from None
    return chosen


@require_POST
def apply(request, pk: int):
    job = _job_for(request, pk)
    registry = services.registry_for(job.registry)
    page = request.POST.get("page", "")
    back = reverse("imports:suggestions", args=[job.pk]) + (f"?page={page}" if page.isdigit() else "")
    if not user_may(request.user, registry.model, "change"):
        denied(request, "role")
        raise PermissionDenied
    if job.status != SuggestionJob.Status.READY:
        messages.error(request, _("These suggestions are not ready to be written."))
        return redirect(back)
    suggestions = _suggestions(job)
    try:
        chosen = _choices(request, suggestions)
        written = tagging.apply(registry, job.field, request.user, suggestions, chosen)
    except tagging.TaggingError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    job.suggestions = [asdict(s) for s in suggestions]  # with the "applied" marks apply() set
    job.save(update_fields=["suggestions"])
    if not chosen:
        messages.warning(request, _("Nothing was chosen, so nothing was written."))
    elif written < len(chosen):
        messages.warning(request, _("Written: %(written)d. Not written: %(skipped)d — their code was filled in meanwhile, "
                                    "or they are no longer yours to change.")
                         % {"written": written, "skipped": len(chosen) - written})
    else:
        messages.success(request, _("Written: %(written)d.") % {"written": written})
    return redirect(back)


def sheet(request, pk: int):
    """The review sheet (xlsx): every suggestion with its runners-up and whether it was written."""
    job = _job_for(request, pk)
    registry = services.registry_for(job.registry)
    suggestions = _suggestions(job)
    export.log_export(request, registry.model, "xlsx", len(suggestions), f"code suggestions {job.pk}")
    title = _("Code suggestions")
    name = f"{registry.model._meta.verbose_name_plural}{title}-{job.created_at:%Y%m%d%H%M}"
    return export.xlsx_response(name, title, tagging.rows(suggestions))
