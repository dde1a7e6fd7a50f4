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
from yiti.talents.choices import TITLE_LEVEL_CHOICES, Category, Degree, Population
from yiti.talents.models import Programme, Talent


class TalentFilterSet(RegistryFilterSet):
    search_related = ("organisation",)

    population = django_filters.ChoiceFilter(label=_("population"), choices=Population.choices)
    category = django_filters.ChoiceFilter(label=_("category"), choices=Category.choices)
    division = division_filter(label=_("managing division"))
    hometown = division_filter("hometown", label=_("hometown"))
    organisation = LookupFilter(label=_("organisation"), model=Organisation)
    title_level = django_filters.ChoiceFilter(label=_("title level"), choices=TITLE_LEVEL_CHOICES)
    degree = django_filters.ChoiceFilter(label=_("highest degree"), choices=Degree.choices)
    discipline = discipline_filter()
    industry = industry_filter()
    programmes = django_filters.ModelChoiceFilter(label=_("talent programmes"), queryset=Programme.objects.all())
    consent_to_recommend = django_filters.BooleanFilter(label=_("consents to be recommended"))
    created_at = DateRangeFilter(label=_("created at"))

    class Meta:
        model = Talent
        fields = ["q", "population", "category", "division", "hometown", "organisation", "title_level", "degree",
                  "discipline", "industry", "programmes", "consent_to_recommend", "created_at"]
