import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import DateRangeFilter, LookupFilter, RegistryFilterSet, division_filter
from yiti.orgs.models import Organisation
from yiti.pairing.choices import PairStatus
from yiti.pairing.models import Pairing


class PairingFilterSet(RegistryFilterSet):
    search_related = ("community", "partner")

    status = django_filters.ChoiceFilter(label=_("status"), choices=PairStatus.choices)
    community = LookupFilter(label=_("street / community"), model=Organisation)
    partner = LookupFilter(label=_("paired university or department"), model=Organisation)
    division = division_filter()
    term_start = DateRangeFilter(label=_("term from"))

    class Meta:
        model = Pairing
        fields = ["q", "status", "community", "partner", "division", "term_start"]
