import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import (
    DateRangeFilter,
    LookupFilter,
    RegistryFilterSet,
    division_filter,
    industry_filter,
)
from yiti.orgs.models import Organisation
from yiti.platforms.choices import PlatformLevel, PlatformStatus, PlatformType
from yiti.platforms.models import Platform


class PlatformFilterSet(RegistryFilterSet):
    search_related = ("host",)

    platform_type = django_filters.ChoiceFilter(label=_("platform type"), choices=PlatformType.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=PlatformLevel.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=PlatformStatus.choices)
    host = LookupFilter(label=_("host organisation"), model=Organisation)
    division = division_filter()
    industry = industry_filter()
    accredited_date = DateRangeFilter(label=_("accredited on"))
    renewal_due = DateRangeFilter(label=_("renewal due"))

    class Meta:
        model = Platform
        fields = ["q", "platform_type", "level", "status", "host", "division", "industry", "accredited_date",
                  "renewal_due"]
