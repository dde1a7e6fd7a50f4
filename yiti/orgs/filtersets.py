import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import DateRangeFilter, RegistryFilterSet, division_filter, industry_filter
from yiti.orgs.choices import KeyField, LadderStage, OrgType
from yiti.orgs.models import Organisation


class OrganisationFilterSet(RegistryFilterSet):

    org_type = django_filters.ChoiceFilter(label=_("type"), choices=OrgType.choices)
    division = division_filter()
    industry = industry_filter()
    ladder_stage = django_filters.ChoiceFilter(label=_("cultivation stage"), choices=LadderStage.choices)
    key_field = django_filters.ChoiceFilter(label=_("key field"), choices=KeyField.choices)
    in_reserve_pool = django_filters.BooleanFilter(label=_("in reserve pool"))
    is_leading = django_filters.BooleanFilter(label=_("leading S&T enterprise"))
    created_at = DateRangeFilter(label=_("created at"))

    class Meta:
        model = Organisation
        fields = ["q", "org_type", "division", "industry", "ladder_stage", "key_field", "in_reserve_pool",
                  "is_leading", "created_at"]
