import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from yiti.core.tables import RegistryTable
from yiti.experts.models import ExpertRole


class ExpertRoleTable(RegistryTable):
    talent = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=("talent__name",))
    organisation = tables.Column(_("organisation"), accessor="talent__organisation", order_by=("talent__organisation__name",))
    # What the expert knows is what an office looks for when it picks one.
    discipline = tables.Column(_("discipline"), accessor="talent__discipline", order_by=("talent__discipline__code",))
    expertise = tables.Column(_("expertise keywords"), accessor="talent__expertise", orderable=False)

    class Meta(RegistryTable.Meta):
        model = ExpertRole
        fields = ("talent", "role", "organisation", "discipline", "expertise", "capacity", "status", "start_date",
                  "end_date")

    def render_expertise(self, value):
        short = Truncator(value).chars(24)
        return format_html('<span title="{}">{}</span>', value, short) if short != value else value
