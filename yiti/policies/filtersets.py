import django_filters
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import DateRangeFilter, RegistryFilterSet, division_filter
from yiti.policies.choices import BenefitStatus, Channel, PolicyKind, Subject
from yiti.policies.models import Benefit, Policy


class PolicyFilterSet(RegistryFilterSet):
    kind = django_filters.ChoiceFilter(label=_("policy kind"), choices=PolicyKind.choices)
    subject = django_filters.ChoiceFilter(label=_("whom it is about"), choices=Subject.choices)
    division = division_filter()
    effective_from = DateRangeFilter(label=_("effective from"))

    class Meta:
        model = Policy
        fields = ["q", "kind", "subject", "division", "effective_from"]


class BenefitFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=BenefitStatus.choices)
    channel = django_filters.ChoiceFilter(label=_("ledger source"), choices=Channel.choices)
    policy = django_filters.ModelChoiceFilter(label=_("policy"), queryset=Policy.objects.order_by("title"))
    due_on = DateRangeFilter(label=_("payment due"))

    class Meta:
        model = Benefit
        fields = ["status", "channel", "policy", "due_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from yiti.core.forms import style_widgets

        style_widgets(self.form)
