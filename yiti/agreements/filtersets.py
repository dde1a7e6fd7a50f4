import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.agreements.choices import AgreementKind, Step
from yiti.agreements.models import Agreement
from yiti.core.filtersets import DateRangeFilter, LookupFilter, RegistryFilterSet, division_filter
from yiti.orgs.models import Organisation


class AgreementFilterSet(RegistryFilterSet):

    kind = django_filters.ChoiceFilter(label=_("kind"), choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=Step.choices)
    party = LookupFilter(field_name="parties", label=_("party"), model=Organisation)
    division = division_filter()
    signed_date = DateRangeFilter(label=_("signed on"))

    class Meta:
        model = Agreement
        fields = ["q", "kind", "status", "party", "division", "signed_date"]
