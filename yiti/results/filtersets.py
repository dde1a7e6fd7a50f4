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
from yiti.orgs.models import Organisation
from yiti.results.choices import TRL_CHOICES, ResultStatus, ResultType, TransferMode
from yiti.results.models import Result
from yiti.talents.models import Talent


class ResultFilterSet(RegistryFilterSet):
    search_related = ("owner",)

    result_type = django_filters.ChoiceFilter(label=_("result type"), choices=ResultType.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ResultStatus.choices)
    transfer_mode = django_filters.ChoiceFilter(label=_("transfer mode"), choices=TransferMode.choices)
    trl_min = django_filters.ChoiceFilter(field_name="trl", lookup_expr="gte", label=_("readiness at least"),
                                          choices=TRL_CHOICES)
    owner = LookupFilter(label=_("owner organisation"), model=Organisation)
    member = LookupFilter(field_name="team_members", label=_("team member"), model=Talent)
    division = division_filter("owner__division")
    discipline = discipline_filter()
    industry = industry_filter()
    created_at = DateRangeFilter(label=_("created at"))

    class Meta:
        model = Result
        fields = ["q", "result_type", "status", "transfer_mode", "trl_min", "owner", "member", "division",
                  "discipline", "industry", "created_at"]
