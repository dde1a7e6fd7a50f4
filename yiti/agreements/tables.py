import django_tables2 as tables

from yiti.agreements.models import Agreement
from yiti.core.tables import RegistryTable


class AgreementTable(RegistryTable):
    title = tables.Column(linkify=True)
    division = tables.Column(order_by=("division__code",))

    class Meta(RegistryTable.Meta):
        model = Agreement
        fields = ("title", "kind", "division", "signed_date", "item_count", "committed_funds", "status")
