from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext_lazy

from yiti.agreements import services
from yiti.agreements.filtersets import AgreementFilterSet
from yiti.agreements.forms import AgreementForm, LadderForm
from yiti.agreements.models import Agreement, Attachment
from yiti.agreements.tables import AgreementTable
from yiti.core.actions import DetailAction
from yiti.core.navigation import ORGANISATIONS_AND_PLATFORMS
from yiti.core.registry import ImportOptions, Menu, Registry, Related
from yiti.core.views import record_for

record_step = DetailAction(
    name="record_step", path="steps/add/", form=LadderForm, service=services.record_steps,
    context_name="step_form", anchor="evidence",
    form_kwargs=lambda request, agreement: {"agreement": agreement},
    values=lambda form: {"entries": form.entries()},
    success_message=gettext_lazy("Step recorded."),
    failure_message=gettext_lazy("The step was not recorded: %(errors)s"),
)


def evidence_context(request, agreement: Agreement) -> dict:
    # A refused step comes back bound to the user's input instead (yiti.core.actions).
    step_form = record_step.blank_form(request, agreement) if services.next_steps(agreement) else None
    return {
        "evidence": agreement.evidence.select_related("recorded_by__department", "recorded_by__organisation")
        .prefetch_related("attachments"),
        "step_form": step_form,
        "attachment_limit": filesizeformat(services.max_attachment_bytes()),
    }


def attachment(request, pk: int, attachment_pk: int):
    """An evidence file, to users who may see the agreement (scope checked like its page)."""
    agreement = record_for(request, Agreement, pk, "view")
    found = get_object_or_404(Attachment, pk=attachment_pk, evidence__agreement=agreement)
    return found.download()


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
    actions=(record_step,),
    extra_urls=[path("<int:pk>/attachments/<int:attachment_pk>/", attachment, name="agreement_attachment")],
    imports=ImportOptions(keys=(("title", "signed_date"),), notes_field="description", check=services.import_check, after_create=services.signed_on_import),
)
