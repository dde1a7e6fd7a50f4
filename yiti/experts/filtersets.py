import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import DateRangeFilter, LookupFilter, RegistryFilterSet, division_filter
from yiti.experts.choices import RoleStatus, RoleType
from yiti.experts.models import ExpertRole
from yiti.talents.models import Talent


class ExpertRoleFilterSet(RegistryFilterSet):

    role = django_filters.ChoiceFilter(label=_("role"), choices=RoleType.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=RoleStatus.choices)
    talent = LookupFilter(label=_("talent"), model=Talent)
    division = division_filter("talent__division", label=_("managing division"))
    start_date = DateRangeFilter(label=_("start date"))

    class Meta:
        model = ExpertRole
        fields = ["q", "role", "status", "talent", "division", "start_date"]
