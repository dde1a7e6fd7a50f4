"""The pages of commissioner coverage (/matching/coverage/): thin — they read a form, call
`yiti.matching.coverage`, show the outcome. A run is found through `coverage.runs_visible(user)`: outside it,
a logged 404."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiti.core.forms import NamedErrorsMixin, style_widgets
from yiti.core.jobs import render_job
from yiti.core.models import Division
from yiti.core.views import denied, get_in_scope
from yiti.experts.choices import RoleType
from yiti.matching import coverage
from yiti.matching.models import CoverageProposal, CoverageRun
from yiti.orgs.choices import LadderStage, OrgType
from yiti.orgs.models import Organisation

LINES_PER_PAGE = 100  # a city's run has thousands of lines


class RunForm(NamedErrorsMixin, forms.Form):
    """Read as plain values; the rules (k ≥ 1, the term, a target at all) are the service's."""

    title = forms.CharField(label=gettext_lazy("title"), max_length=200, required=False)
    role = forms.ChoiceField(label=gettext_lazy("role"), choices=RoleType.choices, initial=RoleType.COMMISSIONER)
    org_type = forms.ChoiceField(label=gettext_lazy("Targets"), initial=OrgType.ENTERPRISE,
                                 choices=[(t.value, t.label) for t in coverage.TARGET_TYPES])
    divisions = forms.TypedMultipleChoiceField(label=gettext_lazy("Counties"), coerce=int, required=False,
                                               help_text=gettext_lazy("None chosen: every county in your scope."))
    reserve_pool = forms.BooleanField(label=gettext_lazy("Only enterprises in the reserve pool"), required=False)
    ladder_stage = forms.ChoiceField(label=gettext_lazy("cultivation stage"), required=False,
                                     choices=[("", gettext_lazy("any")), *LadderStage.choices])
    industry = forms.TypedChoiceField(label=gettext_lazy("industry"), coerce=int, empty_value=None, required=False)
    k = forms.IntegerField(label=gettext_lazy("Experts per target"), initial=1, required=False)
    weight = forms.FloatField(label=gettext_lazy("Same-county preference weight"), initial=coverage.DEFAULT_WEIGHT,
                              required=False)
    start = forms.DateField(label=gettext_lazy("start date"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("end date"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = coverage.county_choices(user)
        if coverage.home_division(user) is None:  # the counties that have organisations
            counties = counties.filter(pk__in=Organisation.objects.values("division")).order_by("code")
        self.fields["divisions"].choices = [(d.pk, d.name) for d in counties]  # type: ignore[attr-defined]
        self.fields["industry"].choices = [("", _("any"))] + [  # type: ignore[attr-defined]
            (i.pk, str(i)) for i in coverage.industry_choices()]
        self.fields["start"].initial = coverage.today()
        # A title the office would write itself (editable): 榆次区科技特派员覆盖方案 2026-12-06.
        home = coverage.home_division(user)
        self.fields["title"].initial = _("%(where)s coverage run %(date)s") % {
            "where": home.name if home is not None else _("City-wide"), "date": coverage.today().isoformat()}
        style_widgets(self)

    def criteria(self) -> coverage.Criteria:
        data = self.cleaned_data
        k = data.get("k")
        weight = data.get("weight")
        return coverage.Criteria(
            org_type=data["org_type"], divisions=list(data.get("divisions") or []),
            reserve_pool=bool(data.get("reserve_pool")), ladder_stage=data.get("ladder_stage") or "",
            industry=data.get("industry"), k=1 if k is None else k,
            weight=coverage.DEFAULT_WEIGHT if weight is None else weight,
            start=data["start"].isoformat() if data.get("start") else "",
            end=data["end"].isoformat() if data.get("end") else "")


def _reader(request: Any) -> None:
    if not coverage.is_reader(request.user):
        denied(request, "coverage")
        raise PermissionDenied(_("Commissioner coverage is for office staff and leaders."))


def _run(request: Any, pk: int) -> CoverageRun:
    _reader(request)
    return get_in_scope(request, coverage.runs_visible(request.user), pk)


def _proposal(request: Any, pk: int) -> CoverageProposal:
    _reader(request)
    visible = CoverageProposal.objects.filter(run__in=coverage.runs_visible(request.user)).select_related("run")
    return get_in_scope(request, visible, pk)


def _refusal(request: Any, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _queue(run: CoverageRun) -> None:
    run.queued(coverage.coverage_job.enqueue(run.pk))


@login_required
def index(request):
    _reader(request)
    runs = coverage.runs_visible(request.user).select_related("user", "division").order_by("-created_at")
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    return render(request, "matching/coverage/index.html", {
        "page": page, "may_run": coverage.is_worker(request.user), "roles": dict(RoleType.choices)})


@login_required
def new_run(request):
    if not coverage.is_worker(request.user):
        denied(request, "coverage run")
        raise PermissionDenied(_("Only office staff may run commissioner coverage."))
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = coverage.start_run(request.user, title=form.cleaned_data["title"] or "",
                                     role=form.cleaned_data["role"], criteria=form.criteria())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            _queue(run)
            return redirect("matching:coverage_run", pk=run.pk)
    return render(request, "matching/coverage/new.html", {"form": form})


@login_required
def run_page(request, pk: int):
    run = _run(request, pk)
    run.reap()
    context: dict[str, Any] = {"run": run, "may_work": coverage.is_worker(request.user),
                               "role_label": dict(RoleType.choices).get(run.role, run.role)}
    if not run.is_running():
        criteria = coverage.Criteria.of(run)
        lines = run.proposals.select_related("target", "target__division", "expert", "expert__talent",
                                             "expert__talent__organisation").order_by("target__name", "target_id", "id")
        covered = Paginator(lines.filter(expert__isnull=False, removed=False), LINES_PER_PAGE) \
            .get_page(request.GET.get("page"))
        uncovered = Paginator(lines.filter(expert__isnull=True), LINES_PER_PAGE).get_page(request.GET.get("gaps"))
        context.update({
            "covered": [(p, coverage.reason_texts(p)) for p in covered], "covered_page": covered,
            "uncovered": [(p, coverage.uncovered_text(p)) for p in uncovered], "uncovered_page": uncovered,
            "removed": list(lines.filter(removed=True)),
            "summary": coverage.summary(run), "criteria": criteria,
            "divisions": Division.objects.filter(pk__in=criteria.divisions).order_by("code"),
        })
    return render_job(request, run, "matching/coverage/run.html", context, label=_("Solving the coverage…"))


@login_required
@require_POST
def resolve(request, pk: int):
    run = _run(request, pk)
    try:
        coverage.resolve_again(request.user, run)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        _queue(run)
    return redirect("matching:coverage_run", pk=run.pk)


@login_required
@require_POST
def publish(request, pk: int):
    run = _run(request, pk)
    try:
        made = coverage.publish(request.user, run)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("%(count)d assignments published.") % {"count": len(made)})
    return redirect("matching:coverage_run", pk=run.pk)


@login_required
@require_POST
def lock(request, pk: int):
    line = _proposal(request, pk)
    try:
        coverage.lock(request.user, line, locked=request.POST.get("locked", "1") == "1")
    except ValidationError as exc:
        _refusal(request, exc)
    return redirect("matching:coverage_run", pk=line.run_id)


@login_required
@require_POST
def remove(request, pk: int):
    line = _proposal(request, pk)
    try:
        coverage.remove(request.user, line)
    except ValidationError as exc:
        _refusal(request, exc)
    return redirect("matching:coverage_run", pk=line.run_id)


@login_required
def swap(request, pk: int):
    line = _proposal(request, pk)
    if not coverage.is_worker(request.user):
        denied(request, "coverage swap")
        raise PermissionDenied(_("Only office staff in charge of this coverage run may change it."))
    error = ""
    if request.method == "POST":
        try:
            coverage.swap(request.user, line, int(request.POST.get("expert") or 0))
        except (ValueError, TypeError):
            error = _("Choose an active expert of this run's role.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The line now has the expert you chose (locked)."))
            return redirect("matching:coverage_run", pk=line.run_id)
    return render(request, "matching/coverage/swap.html", {
        "line": line, "run": line.run, "choices": coverage.swap_choices(request.user, line), "error": error},
        status=400 if error else 200)
