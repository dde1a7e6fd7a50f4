import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.activities.fairs.models import Position
from yiti.activities.models import Event
from yiti.core.filtersets import LookupFilter, RegistryFilterSet, discipline_filter
from yiti.orgs.models import Organisation


class PositionFilterSet(RegistryFilterSet):
    search_related = ("enterprise",)

    fair = LookupFilter(label=_("job fair"), model=Event, natural_keys=("title",))
    enterprise = LookupFilter(label=_("enterprise"), model=Organisation)
    discipline = discipline_filter()
    salary_min = django_filters.NumberFilter(field_name="salary_max", lookup_expr="gte",
                                             label=_("monthly salary at least (yuan)"))

    class Meta:
        model = Position
        fields = ["q", "fair", "enterprise", "discipline", "salary_min"]
