import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from yiti.core.tables import RegistryTable
from yiti.orgs.models import Organisation


class OrganisationTable(RegistryTable):
    name = tables.Column(linkify=True)
    division = tables.Column(order_by=("division__code",))
    industry = tables.Column(order_by=("industry__code",))
    is_leading = tables.BooleanColumn(yesno=(_("Yes"), "—"))

    class Meta(RegistryTable.Meta):
        model = Organisation
        fields = ("name", "org_type", "division", "industry", "ladder_stage", "is_leading", "credit_code")
