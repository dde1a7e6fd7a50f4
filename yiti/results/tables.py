import django_tables2 as tables

from yiti.core.tables import RegistryTable
from yiti.results.models import Result


class ResultTable(RegistryTable):
    title = tables.Column(linkify=True)
    owner = tables.Column(order_by=("owner__name",))
    discipline = tables.Column(order_by=("discipline__code",))

    class Meta(RegistryTable.Meta):
        model = Result
        fields = ("title", "result_type", "owner", "discipline", "trl", "transfer_mode", "asking_price", "status")
