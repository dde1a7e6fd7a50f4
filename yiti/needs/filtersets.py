import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import (
    DateRangeFilter,
    LookupFilter,
    RegistryFilterSet,
    discipline_filter,
    division_filter,
    industry_filter,
)
from yiti.needs.choices import NeedStatus, NeedType
from yiti.needs.models import Need
from yiti.orgs.models import Organisation


class NeedFilterSet(RegistryFilterSet):
    search_related = ("enterprise",)

    need_type = django_filters.ChoiceFilter(label=_("need type"), choices=NeedType.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=NeedStatus.choices)
    enterprise = LookupFilter(label=_("enterprise"), model=Organisation, natural_keys=("name", "credit_code"))
    division = division_filter("enterprise__division")
    industry = industry_filter()
    discipline = discipline_filter()
    published_date = DateRangeFilter(label=_("published on"))
    deadline = DateRangeFilter(label=_("deadline"))
    budget_min = django_filters.NumberFilter(field_name="budget", lookup_expr="gte", label=_("budget at least"))

    class Meta:
        model = Need
        fields = ["q", "need_type", "status", "enterprise", "division", "industry", "discipline", "published_date",
                  "deadline", "budget_min"]
