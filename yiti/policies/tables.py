import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yiti.core.tables import RegistryTable
from yiti.policies.models import Benefit, Policy

LIGHT_CLASS = {"red": "bg-red", "yellow": "bg-yellow", "green": "bg-green"}
LIGHT_LABEL = {"red": _("Red: overdue"), "yellow": _("Yellow: deadline near"), "green": _("Green")}


class PolicyTable(RegistryTable):
    title = tables.Column(linkify=True)
    division = tables.Column(order_by=("division__code",))

    class Meta(RegistryTable.Meta):
        model = Policy
        fields = ("title", "doc_number", "issuing_department", "kind", "subject", "division", "effective_from",
                  "effective_to")


def light_badge(benefit: Benefit) -> str:
    from yiti.policies.services import light

    colour = light(benefit)
    return format_html('<span class="badge text-white {}" data-light="{}">{}</span>', LIGHT_CLASS[colour], colour,
                       LIGHT_LABEL[colour])


class BenefitTable(tables.Table):
    policy = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=("policy__title",))
    beneficiary = tables.Column(verbose_name=_("beneficiary"), empty_values=(), orderable=False)
    light = tables.Column(verbose_name=_("light"), empty_values=(), orderable=False)

    class Meta:
        model = Benefit
        fields = ("policy", "beneficiary", "status", "channel", "applied_on", "requested_amount", "amount",
                  "due_on", "paid_on", "light")
        attrs = {"class": "table table-vcenter table-hover card-table table-sm"}
        empty_text = _("No records match.")

    def render_beneficiary(self, record: Benefit) -> str:
        return str(record.beneficiary or "—")

    def render_light(self, record: Benefit) -> str:
        return light_badge(record)
