import django_tables2 as tables

from yiti.core.tables import RegistryTable
from yiti.pairing.models import Pairing


class PairingTable(RegistryTable):
    community = tables.Column(linkify=True, order_by=("community__name",))
    partner = tables.Column(order_by=("partner__name",))
    division = tables.Column(order_by=("division__code",))

    class Meta(RegistryTable.Meta):
        model = Pairing
        fields = ("community", "partner", "division", "status", "term_start", "term_end")
