import django_tables2 as tables

from yiti.activities.fairs.models import Position
from yiti.core.tables import RegistryTable


class PositionTable(RegistryTable):
    title = tables.Column(linkify=True)
    enterprise = tables.Column(order_by=("enterprise__name",))
    fair = tables.Column(order_by=("fair__start_date",))

    class Meta(RegistryTable.Meta):
        model = Position
        fields = ("title", "enterprise", "fair", "headcount", "discipline", "salary_min", "salary_max")
