import django_tables2 as tables

from yiti.core.tables import RegistryTable
from yiti.platforms.models import Platform


class PlatformTable(RegistryTable):
    name = tables.Column(linkify=True)
    host = tables.Column(order_by=("host__name",))
    division = tables.Column(order_by=("division__code",))

    class Meta(RegistryTable.Meta):
        model = Platform
        fields = ("name", "platform_type", "level", "status", "host", "division", "accredited_date", "renewal_due")
