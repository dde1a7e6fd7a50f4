from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiti.agreements import services
from yiti.agreements.filtersets import AgreementFilterSet
from yiti.agreements.forms import AgreementForm, StepForm
from yiti.agreements.models import Agreement
from yiti.agreements.tables import AgreementTable
from yiti.core.access import user_may
from yiti.core.forms import errors_text
from yiti.core.registry import ImportOptions, Registry, Related
from yiti.core.views import record_for
from yiti.needs.models import Need
from yiti.needs.tables import NeedTable


def evidence_context(request, agreement: Agreement) -> dict:
    may_change = user_may(request.user, Agreement, "change")
    return {
        "evidence": agreement.evidence.select_related("recorded_by__department", "recorded_by__organisation"),
        "step_form": StepForm(agreement=agreement) if may_change and services.next_steps(agreement) else None,
    }


@require_POST
def record_step(request, pk: int):
    agreement = record_for(request, Agreement, pk)
    form = StepForm(request.POST, agreement=agreement)
    if form.is_valid():
        try:
            services.record_step(agreement, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _("The step was not recorded: %(errors)s") % {"errors": "；".join(exc.messages)})
        else:
            messages.success(request, _("Step recorded."))
    else:
        errors = errors_text(form)
        messages.error(request, _("The step was not recorded: %(errors)s") % {"errors": errors})
    return HttpResponseRedirect(agreement.get_absolute_url() + "#evidence")


registry = Registry(
    model=Agreement,
    filterset=AgreementFilterSet,
    table=AgreementTable,
    form=AgreementForm,
    select_related=("division",),
    detail_fields=("title", "kind", "status", "parties", "division", "signed_date", "item_count",
                   "committed_funds", "description", "created_by", "created_at", "updated_at"),
    related=(Related(gettext_lazy("Enterprise needs answered"), Need, "agreements", NeedTable,
                     ("enterprise", "industry")),),
    detail_template="agreements/agreement_detail.html",
    detail_extra=evidence_context,
    extra_urls=[path("<int:pk>/steps/add/", record_step, name="agreement_record_step")],
    imports=ImportOptions(keys=(("title", "signed_date"),), notes_field="description", check=services.import_check, after_create=services.signed_on_import),
)
