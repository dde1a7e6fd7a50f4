from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiti.agreements import services
from yiti.agreements.filtersets import AgreementFilterSet
from yiti.agreements.forms import AgreementForm, LadderForm
from yiti.agreements.models import Agreement, Attachment
from yiti.agreements.tables import AgreementTable
from yiti.core.access import user_may
from yiti.core.navigation import ORGANISATIONS_AND_PLATFORMS
from yiti.core.registry import ImportOptions, Menu, Registry, Related
from yiti.core.views import ObjectDetailView, record_for


def evidence_context(request, agreement: Agreement) -> dict:
    may_change = user_may(request.user, Agreement, "change")
    # After a refused POST the bound form comes back with the user's input (see record_steps).
    step_form = getattr(request, "ladder_form", None)
    if step_form is None and may_change and services.next_steps(agreement):
        step_form = LadderForm(agreement=agreement)
    return {
        "evidence": agreement.evidence.select_related("recorded_by__department", "recorded_by__organisation")
        .prefetch_related("attachments"),
        "step_form": step_form,
        "attachment_limit": filesizeformat(services.max_attachment_bytes()),
    }


@require_POST
def record_steps(request, pk: int):
    agreement = record_for(request, Agreement, pk)
    form = LadderForm(request.POST, request.FILES, agreement=agreement)
    if form.is_valid():
        try:
            services.record_steps(agreement, form.entries(), user=request.user)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Step recorded."))
            return HttpResponseRedirect(agreement.get_absolute_url() + "#evidence")
    messages.error(request, _("The step was not recorded: %(errors)s") % {"errors": form.errors_text()})
    request.ladder_form = form
    view = ObjectDetailView(registry=registry)
    view.setup(request, pk=pk)
    return view.get(request, pk)


def attachment(request, pk: int, attachment_pk: int):
    """An evidence file, to users who may see the agreement (scope checked like its page)."""
    agreement = record_for(request, Agreement, pk, "view")
    found = get_object_or_404(Attachment, pk=attachment_pk, evidence__agreement=agreement)
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=found.name)


registry = Registry(
    model=Agreement,
    filterset=AgreementFilterSet,
    table=AgreementTable,
    form=AgreementForm,
    division_path="division",
    organisation_path="parties",
    menu=Menu(ORGANISATIONS_AND_PLATFORMS, gettext_lazy("Cooperation agreements"), 30),
    select_related=("division",),
    detail_fields=("title", "kind", "status", "parties", "division", "signed_date", "item_count",
                   "committed_funds", "description", "created_by", "created_at", "updated_at"),
    # Its own many-to-many field, which the derivation (relations pointing at an agreement) does not see.
    related=(Related("needs.need", "agreements", gettext_lazy("Enterprise needs answered")),),
    detail_template="agreements/agreement_detail.html",
    detail_extra=evidence_context,
    extra_urls=[path("<int:pk>/steps/add/", record_steps, name="agreement_record_step"),
                path("<int:pk>/attachments/<int:attachment_pk>/", attachment, name="agreement_attachment")],
    imports=ImportOptions(keys=(("title", "signed_date"),), notes_field="description", check=services.import_check, after_create=services.signed_on_import),
)
