from django.urls import path
from django.utils.translation import gettext_lazy as _

from yiti.activities.fairs import event_views
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
    detail_template="activities/event_detail.html",
    # A job fair's funnel, registrations and check-in (yiti/activities/fairs).
    detail_extra=event_views.fair_context,
    actions=(event_views.register_talent,),
    extra_urls=[
        path("<int:pk>/checkin/", event_views.checkin, name="event_checkin"),
        path("<int:pk>/registrations/<int:registration>/qr.svg", event_views.registration_qr,
             name="event_registration_qr"),
        path("<int:pk>/registrations/<int:registration>/cancel/", event_views.cancel_registration,
             name="event_cancel_registration"),
    ],
    api_writable=True,
)
