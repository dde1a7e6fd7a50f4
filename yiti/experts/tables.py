import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from yiti.core.tables import RegistryTable
from yiti.experts.models import ExpertRole


class ExpertRoleTable(RegistryTable):
    talent = tables.Column(linkify=lambda record: record.get_absolute_url(), order_by=("talent__name",))
    organisation = tables.Column(_("organisation"), accessor="talent__organisation", order_by=("talent__organisation__name",))

    class Meta(RegistryTable.Meta):
        model = ExpertRole
        fields = ("talent", "role", "organisation", "capacity", "status", "start_date", "end_date")
