from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiti.core.navigation import ORGANISATIONS_AND_PLATFORMS
from yiti.core.registry import ImportOptions, Menu, Pool, Registry
from yiti.orgs.choices import OrgType
from yiti.orgs.filtersets import OrganisationFilterSet
from yiti.orgs.forms import OrganisationForm
from yiti.orgs.models import Organisation
from yiti.orgs.tables import OrganisationTable

registry = Registry(
    model=Organisation,
    filterset=OrganisationFilterSet,
    table=OrganisationTable,
    form=OrganisationForm,
    division_path="division",
    organisation_path="pk",
    menu=Menu(ORGANISATIONS_AND_PLATFORMS, _("Organisations"), 10),
    select_related=("division", "industry"),
    detail_fields=(
        "name", "short_name", "org_type", "division", "credit_code", "industry", "address", "website",
        "contact_name", "phone", "ladder_stage", "in_reserve_pool", "is_leading", "key_field", "founded_on",
        "description", "created_at", "updated_at",
    ),
    # Its related lists are derived from the registries that point at it; an enterprise's needs first.
    related_order=("needs.need",),
    imports=ImportOptions(keys=(("credit_code",), ("name",)), notes_field="description"),
    # Universities and institutes are in the city-wide pool; their contact person and phone are not shown
    # outside the scope (docs/access.md).
    pool=Pool(records=lambda: Q(org_type__in=[OrgType.UNIVERSITY, OrgType.INSTITUTE]),
              fields=("name", "short_name", "org_type", "division", "credit_code", "industry", "address", "website",
                      "key_field", "description")),
)
