from django.utils.translation import gettext_lazy as _

from yiti.activities.filtersets import EventFilterSet
from yiti.activities.forms import EventForm
from yiti.activities.models import Event
from yiti.activities.tables import EventTable
from yiti.core.access import ACTIONS
from yiti.core.navigation import ORGANISATIONS_AND_PLATFORMS
from yiti.core.registry import ImportOptions, Menu, Registry

registry = Registry(
    model=Event,
    filterset=EventFilterSet,
    table=EventTable,
    form=EventForm,
    division_path="division",
    # An organisation's contact sees the events their organisation took part in, and changes none.
    organisation_path="participants",
    role_actions={"staff": frozenset(ACTIONS), "org_contact": frozenset({"view"}), "leader": frozenset({"view"})},
    menu=Menu(ORGANISATIONS_AND_PLATFORMS, _("Activities"), 40),
    related_titles={"participants": _("Activities taken part in"), "organisers": _("Activities organised")},
    select_related=("division",),
    detail_fields=(
        "event_type", "title", "status", "start_date", "end_date", "place", "division", "counties", "departments",
        "organisers", "participants", "talents", "attendance", "intentions_signed", "projects_introduced",
        "talents_introduced", "description", "created_by", "created_at", "updated_at",
    ),
    imports=ImportOptions(keys=(("title", "start_date"),), notes_field="description"),
    text_fields=(),
    api_writable=True,
)
