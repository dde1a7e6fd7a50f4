from django.utils.translation import gettext_lazy as _

from yiti.agreements.models import Agreement
from yiti.agreements.tables import AgreementTable
from yiti.core.registry import ImportOptions, Registry, Related
from yiti.needs.filtersets import NeedFilterSet
from yiti.needs.forms import NeedForm
from yiti.needs.models import Need
from yiti.needs.tables import NeedTable

registry = Registry(
    model=Need,
    filterset=NeedFilterSet,
    table=NeedTable,
    form=NeedForm,
    batch_status="status",
    select_related=("enterprise", "industry"),
    detail_fields=(
        "enterprise", "need_type", "title", "description", "keywords", "industry", "discipline", "budget",
        "published_date", "deadline", "status", "contact_name", "phone", "created_by", "created_at", "updated_at",
    ),
    related=(Related(_("Cooperation agreements"), Agreement, "needs", AgreementTable, ("division",)),),
    imports=ImportOptions(keys=(("enterprise", "title"),), notes_field="description"),
)
