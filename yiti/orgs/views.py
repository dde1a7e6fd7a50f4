from django.utils.translation import gettext_lazy as _

from yiti.agreements.models import Agreement
from yiti.agreements.tables import AgreementTable
from yiti.core.registry import ImportOptions, Registry, Related
from yiti.needs.models import Need
from yiti.needs.tables import NeedTable
from yiti.orgs.filtersets import OrganisationFilterSet
from yiti.orgs.forms import OrganisationForm
from yiti.orgs.models import Organisation
from yiti.orgs.tables import OrganisationTable
from yiti.platforms.models import Platform
from yiti.platforms.tables import PlatformTable
from yiti.results.models import Result
from yiti.results.tables import ResultTable
from yiti.talents.models import Talent
from yiti.talents.tables import TalentTable

registry = Registry(
    model=Organisation,
    filterset=OrganisationFilterSet,
    table=OrganisationTable,
    form=OrganisationForm,
    select_related=("division", "industry"),
    detail_fields=(
        "name", "short_name", "org_type", "division", "credit_code", "industry", "address", "website",
        "contact_name", "phone", "ladder_stage", "in_reserve_pool", "is_leading", "key_field", "description",
        "created_at", "updated_at",
    ),
    related=(
        Related(_("Enterprise needs"), Need, "enterprise", NeedTable, ("industry",), list_filter="enterprise"),
        Related(_("Talents and experts"), Talent, "organisation", TalentTable,
                ("organisation", "discipline", "division"), list_filter="organisation"),
        Related(_("Research results"), Result, "owner", ResultTable, ("owner", "discipline"), list_filter="owner"),
        Related(_("Innovation platforms (host)"), Platform, "host", PlatformTable, ("host", "division"),
                list_filter="host"),
        Related(_("Cooperation agreements"), Agreement, "parties", AgreementTable, ("division",),
                list_filter="party"),
    ),
    imports=ImportOptions(keys=(("credit_code",), ("name",)), notes_field="description"),
)
