from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiti.core.access import user_may
from yiti.core.actions import DetailAction
from yiti.core.navigation import ORGANISATIONS_AND_PLATFORMS
from yiti.core.registry import ImportOptions, Menu, Registry
from yiti.core.views import denied
from yiti.orgs.models import Organisation
from yiti.pairing import services
from yiti.pairing.filtersets import PairingFilterSet
from yiti.pairing.forms import PairingForm, ProposalForm, ServiceLogForm
from yiti.pairing.models import Pairing
from yiti.pairing.tables import PairingTable

add_service = DetailAction(
    name="add_service", path="services/add/", form=ServiceLogForm, service=services.log_service,
    context_name="service_form", anchor="services",
    success_message=gettext_lazy("Service recorded."),
    failure_message=gettext_lazy("The service was not recorded: %(errors)s"),
)


def service_context(request, pairing: Pairing) -> dict:
    return {"services": pairing.services.select_related("created_by")[:100],
            "service_form": add_service.blank_form(request, pairing)}


def proposals(request):
    """推荐结对: a partner for each community of the user's scope that has none, from the assignment solver; the
    checked ones become pairs in force."""
    if not user_may(request.user, Pairing, "add"):
        denied(request, "role")
        raise PermissionDenied
    communities = Organisation.objects.restrict(request.user, "view")
    partners = Organisation.objects.restrict(request.user, "view")
    if request.method == "POST":
        return _confirm(request, communities, partners)
    form = ProposalForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = services.propose(communities, partners, capacity=form.cleaned_data["capacity"],
                                 same_county_only=form.cleaned_data["same_county_only"])
    return render(request, "pairing/proposals.html", {"form": form, "found": found, "registry": registry,
                                                      "title": _("Proposed pairs")})


def _confirm(request, communities, partners):
    chosen = []
    for value in request.POST.getlist("pair"):
        community_pk, _sep, partner_pk = value.partition(":")
        if not (community_pk.isdigit() and partner_pk.isdigit()):
            continue
        community = communities.filter(pk=int(community_pk)).first()
        partner = partners.filter(pk=int(partner_pk)).first()
        if community is None or partner is None:
            denied(request, "outside scope")
            raise PermissionDenied
        chosen.append((community, partner))
    if not chosen:
        messages.error(request, _("Tick at least one proposed pair to confirm."))
        return HttpResponseRedirect(reverse("pairing:pairing_proposals"))
    try:
        made = services.confirm(chosen, user=request.user)
    except ValidationError as exc:
        messages.error(request, _("Nothing was confirmed: %(errors)s") % {"errors": "；".join(exc.messages)})
        return HttpResponseRedirect(reverse("pairing:pairing_proposals"))
    messages.success(request, _("%(count)d pairs confirmed.") % {"count": len(made)})
    return HttpResponseRedirect(reverse("pairing:pairing_list"))


registry = Registry(
    model=Pairing,
    filterset=PairingFilterSet,
    table=PairingTable,
    form=PairingForm,
    division_path="division",
    organisation_path="partner",
    menu=Menu(ORGANISATIONS_AND_PLATFORMS, gettext_lazy("University–community pairing"), 40),
    select_related=("community", "partner", "division"),
    related_titles={"community": gettext_lazy("Pairs (as the community)"),
                    "partner": gettext_lazy("Pairs (as the partner)")},
    detail_fields=("community", "partner", "division", "status", "term_start", "term_end", "community_needs",
                   "partner_services", "note", "created_by", "created_at"),
    detail_template="pairing/pairing_detail.html",
    detail_extra=service_context,
    actions=(add_service,),
    extra_urls=[path("proposals/", proposals, name="pairing_proposals")],
    imports=ImportOptions(keys=(("community", "partner", "term_start"),), notes_field="note"),
)
