import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.activities.choices import EventStatus, EventType
from yiti.activities.models import Event
from yiti.core.filtersets import DateRangeFilter, LookupFilter, RegistryFilterSet, division_filter
from yiti.orgs.models import Organisation


class EventFilterSet(RegistryFilterSet):
    event_type = django_filters.ChoiceFilter(label=_("event type"), choices=EventType.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=EventStatus.choices)
    division = division_filter()
    participant = LookupFilter(field_name="participants", label=_("participating organisation"), model=Organisation)
    start_date = DateRangeFilter(label=_("start date"))

    class Meta:
        model = Event
        fields = ["q", "event_type", "status", "division", "participant", "start_date"]
