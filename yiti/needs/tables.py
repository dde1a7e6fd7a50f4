import django_tables2 as tables

from yiti.core.tables import RegistryTable
from yiti.needs.models import Need


class NeedTable(RegistryTable):
    title = tables.Column(linkify=True)
    enterprise = tables.Column(order_by=("enterprise__name",))
    industry = tables.Column(order_by=("industry__code",))

    class Meta(RegistryTable.Meta):
        model = Need
        fields = ("title", "need_type", "enterprise", "industry", "budget", "deadline", "status", "published_date")
