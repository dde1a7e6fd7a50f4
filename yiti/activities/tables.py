import django_tables2 as tables

from yiti.activities.models import Event
from yiti.core.tables import RegistryTable


class EventTable(RegistryTable):
    title = tables.Column(linkify=True)
    division = tables.Column(order_by=("division__code",))

    class Meta(RegistryTable.Meta):
        model = Event
        fields = ("title", "event_type", "status", "start_date", "end_date", "division", "place", "intentions_signed",
                  "projects_introduced", "talents_introduced")
