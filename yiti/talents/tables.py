import django_tables2 as tables

from yiti.core.tables import MaskedColumn, RegistryTable
from yiti.talents.models import Talent


class TalentTable(RegistryTable):
    name = tables.Column(linkify=True)
    organisation = tables.Column(order_by=("organisation__name",))
    discipline = tables.Column(order_by=("discipline__code",))
    division = tables.Column(order_by=("division__code",))
    mobile = MaskedColumn()

    class Meta(RegistryTable.Meta):
        model = Talent
        fields = ("name", "population", "organisation", "position", "title_level", "discipline", "division",
                  "mobile")
