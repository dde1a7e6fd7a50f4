"""政策兑现: the policy registry's declaration, its section on a policy's page (rules, benefit items, checking one
record, 免申即享 screening, 快申快享 application), the screening's page and the benefit ledger."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from yiti.core.access import ROLE_ACTIONS, user_may
from yiti.core.actions import DetailAction
from yiti.core.forms import errors_text
from yiti.core.jobs import render_job
from yiti.core.registry import ImportOptions, Menu, MenuGroup, Pool, Registry
from yiti.core.views import denied, record_for
from yiti.policies import forms, rules, services
from yiti.policies.choices import BenefitStatus, Outcome, PolicyKind
from yiti.policies.filtersets import BenefitFilterSet, PolicyFilterSet
from yiti.policies.models import Benefit, Policy, Screening
from yiti.policies.tables import BenefitTable, PolicyTable, light_badge

POLICIES = MenuGroup(gettext_lazy("Policies and benefits"), 60)

DETAIL_FIELDS = ("title", "doc_number", "issuing_department", "division", "granting_department", "kind", "subject",
                 "effective_from", "effective_to", "target_group", "conditions_text", "standard", "handling_office",
                 "office_phone", "time_limit", "rules", "created_at", "updated_at")

ADD_ITEM = DetailAction(
    name="add_item", path="items/add/", form=forms.ItemForm, service=services.add_item, context_name="item_form",
    anchor="items", success_message=gettext_lazy("Benefit item added."),
    failure_message=gettext_lazy("The benefit item was not added: %(errors)s"),
    form_kwargs=lambda request, policy: {"policy": policy})


def _policy(request, pk: int) -> Policy:
    return record_for(request, Policy, pk, "view")


def policy_section(request, registry, policy) -> dict | None:
    """The policy's rules, items and actions on its page (for every viewer: a policy is public)."""
    if registry.label != "policies.policy":
        return None
    user = request.user
    may_grant = services.may_grant(user, policy)
    return {
        "title": _("Eligibility and benefits"),
        "template": "policies/policy_section.html",
        "policy": policy,
        "conditions": [rules.describe(policy.subject, c) for c in policy.rules or []],
        "items": list(policy.items.all()),
        "item_form": ADD_ITEM.blank_form(request, policy) if user_may(user, Policy, "change") else None,
        "check_form": forms.CheckForm(policy=policy, user=user),
        "may_screen": may_grant and policy.kind == PolicyKind.AUTOMATIC,
        "may_apply": policy.kind == PolicyKind.QUICK and (may_grant or getattr(user, "role", "") == "org_contact"),
        # the office's screenings of this policy, whoever of its staff started them
        "screenings": list(Screening.objects.filter(policy=policy).select_related("user").order_by("-pk")[:5])
        if may_grant else [],
    }


@require_GET
def check(request, pk: int):
    """Does one record meet the policy? Each condition passed / failed / data missing, with the value and the
    date it last changed."""
    policy = _policy(request, pk)
    form = forms.CheckForm(request.GET or None, policy=policy, user=request.user)
    result = None
    if form.is_bound and form.is_valid():
        record = form.cleaned_data.get("organisation") or form.cleaned_data.get("talent")
        if record is not None:
            result = services.explain_record(policy, record)
            result["record"] = record
            result["label"] = services.outcome_label(result["outcome"])
    return render(request, "policies/check.html", {"policy": policy, "form": form, "result": result})


@require_POST
def screen(request, pk: int):
    policy = _policy(request, pk)
    try:
        screening = services.start_screening(policy, request.user)
    except ValidationError as exc:
        denied(request, "screening")
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(policy.get_absolute_url())
    return HttpResponseRedirect(screening.get_absolute_url())


def _screening(request, pk: int) -> Screening:
    """A screening is its starter's and the granting office's: every staff member of the policy's granting office
    (services.may_grant) opens and confirms it, not only the colleague who pressed 筛查. Anyone else: a logged 403
    that says who may."""
    screening = get_object_or_404(Screening.objects.select_related("policy"), pk=pk)
    if screening.user_id != request.user.pk and not services.may_grant(request.user, screening.policy):
        denied(request, "screening of another office")
        messages.error(request, _("Only the staff of the policy's granting office may open and confirm its "
                                  "screenings."))
        raise PermissionDenied
    return screening


def screening_page(request, pk: int):
    screening = _screening(request, pk)
    screening.reap()
    hits = list(screening.hits.select_related("organisation", "talent")[:1000]) if not screening.is_running() else []
    in_ledger = services.already_in_ledger(screening.policy)
    for hit in hits:
        hit.in_ledger = (hit.organisation_id or hit.talent_id) in in_ledger  # type: ignore[attr-defined]
    return render_job(request, screening, "policies/screening.html",
                      {"policy": screening.policy, "hits": hits, "eligible": Outcome.ELIGIBLE,
                       "may_confirm": services.may_grant(request.user, screening.policy)},
                      label=_("Screening…"))


@require_POST
def confirm(request, pk: int):
    screening = _screening(request, pk)
    try:
        created = services.confirm(screening, request.user, request.POST.getlist("hits"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(screening.get_absolute_url())
    messages.success(request, _("%(count)s records confirmed into the benefit ledger.") % {"count": len(created)})
    return HttpResponseRedirect(reverse("policies:benefits") + f"?policy={screening.policy_id}")


def apply(request, pk: int):
    """快申快享: apply (an organisation's contact for their organisation, the granting office on behalf)."""
    policy = _policy(request, pk)
    if policy.kind != PolicyKind.QUICK:
        raise Http404
    form = forms.ApplyForm(request.POST or None, policy=policy, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            benefit = services.apply(policy, request.user, organisation=values.get("organisation"),
                                     talent=values.get("talent"), item=values.get("item"),
                                     requested_amount=values.get("requested_amount"), reason=values.get("reason", ""))
        except ValidationError as exc:
            from yiti.core.actions import add_service_errors

            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application recorded in the benefit ledger."))
            return HttpResponseRedirect(benefit.get_absolute_url())
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "policies/apply.html", {"policy": policy, "form": form}, status=status)


# ---- the ledger ----------------------------------------------------------------------------------------------

def _ledger_user(request) -> None:
    if not services.may_see_ledger(request.user):
        denied(request, "role")
        raise PermissionDenied


def benefits(request):
    _ledger_user(request)
    found = services.visible_benefits(request.user).select_related("policy", "organisation", "talent")
    filterset = BenefitFilterSet(request.GET or None, queryset=found)
    # the policies of the lines the user may read, not every policy of the city
    filterset.form.fields["policy"].queryset = (  # type: ignore[attr-defined]
        Policy.objects.filter(pk__in=found.values("policy_id")).order_by("title"))
    table = BenefitTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "policies/benefits.html", {"table": table, "filter": filterset})


def _benefit(request, pk: int) -> Benefit:
    _ledger_user(request)
    try:
        return services.visible_benefits(request.user).select_related("policy", "item", "organisation",
                                                                      "talent").get(pk=pk)
    except Benefit.DoesNotExist:
        denied(request, "benefit out of scope")
        raise Http404 from None


STEPS: dict[str, tuple[Any, Any]] = {
    "approve": (forms.ApproveForm, services.approve),
    "reject": (forms.RejectForm, services.reject),
    "pay": (forms.PayForm, services.pay),
}


def benefit_page(request, pk: int, **bound: Any):
    benefit = _benefit(request, pk)
    may_grant = services.may_grant(request.user, benefit.policy)
    open_steps = {"approve": benefit.status == BenefitStatus.APPLIED, "reject": benefit.status == BenefitStatus.APPLIED,
                  "pay": benefit.status == BenefitStatus.APPROVED}
    step_forms = {f"{name}_form": bound.get(name) or form() for name, (form, _service) in STEPS.items()
                  if may_grant and open_steps[name]}
    rows = [(getattr(Benefit._meta.get_field(name), "verbose_name", name), value) for name, value in (
        ("policy", benefit.policy), ("item", benefit.item or "—"), ("status", benefit.get_status_display()),
        ("channel", benefit.get_channel_display()), ("applied_on", benefit.applied_on),
        ("requested_amount", benefit.requested_amount if benefit.requested_amount is not None else "—"),
        ("due_on", benefit.due_on), ("approved_on", benefit.approved_on or "—"),
        ("amount", benefit.amount if benefit.amount is not None else "—"), ("paid_on", benefit.paid_on or "—"),
        ("reason", benefit.reason or "—"))]
    context = {"benefit": benefit, "rows": rows, "light": light_badge(benefit), **step_forms}
    return render(request, "policies/benefit_detail.html", context, status=400 if bound else 200)


@require_POST
def benefit_step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    benefit = _benefit(request, pk)
    form_class, service = STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(benefit, request.user, **form.cleaned_data)
        except ValidationError as exc:
            if getattr(exc, "code", "") == "not_granting_office" or "not_granting_office" in str(exc):
                denied(request, f"benefit {step}")
            from yiti.core.actions import add_service_errors

            add_service_errors(form, exc)
        else:
            messages.success(request, _("Benefit ledger updated."))
            return HttpResponseRedirect(benefit.get_absolute_url())
    messages.error(request, errors_text(form))
    return benefit_page(request, pk, **{step: form})


registry = Registry(
    model=Policy,
    filterset=PolicyFilterSet,
    table=PolicyTable,
    form=forms.PolicyForm,
    division_path="division",
    # A policy belongs to no organisation; an organisation's contact may read policies, never enter them.
    organisation_path="created_by__organisation",
    menu=Menu(POLICIES, gettext_lazy("Policies"), 10),
    role_actions={**ROLE_ACTIONS, "org_contact": frozenset({"view"})},
    select_related=("division",),
    detail_fields=DETAIL_FIELDS,
    actions=(ADD_ITEM,),
    # The detail actions' form at the top of the page's context, as every registry's (a failed add re-renders it
    # bound, with what was typed).
    detail_extra=lambda request, policy: {"item_form": ADD_ITEM.blank_form(request, policy)},
    imports=ImportOptions(keys=(("title", "issuing_department"),), notes_field="conditions_text"),
    # Policies are public: every account reads every policy and its guide.
    pool=Pool(records=None, fields=DETAIL_FIELDS[:-2]),
    extra_urls=[
        path("<int:pk>/check/", check, name="policy_check"),
        path("<int:pk>/screen/", screen, name="policy_screen"),
        path("<int:pk>/apply/", apply, name="policy_apply"),
        path("screenings/<int:pk>/", screening_page, name="screening"),
        path("screenings/<int:pk>/confirm/", confirm, name="screening_confirm"),
        path("benefits/", benefits, name="benefits"),
        path("benefits/<int:pk>/", benefit_page, name="benefit"),
        *(path(f"benefits/<int:pk>/{step}/", benefit_step, {"step": step}, name=f"benefit_{step}") for step in STEPS),
    ],
)
