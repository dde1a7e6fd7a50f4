from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.accounts.models import Department
from yiti.activities.choices import EventStatus, EventType
from yiti.core.history import track
from yiti.core.models import BaseModel, Division
from yiti.orgs.models import Organisation
from yiti.talents.models import Talent

OUTCOME_FIELDS = ("intentions_signed", "projects_introduced", "talents_introduced")


class Event(BaseModel):
    """An activity: a recruitment drive (双招双引), a job fair, a doctoral lecture, a training, a commissioners' day."""

    event_type = models.CharField(_("event type"), max_length=30, choices=EventType.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED,
                              db_index=True)
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # The county that holds the event: its scope. Other counties taking part are in `counties`.
    division = models.ForeignKey(Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    counties = models.ManyToManyField(Division, verbose_name=_("participating counties"), blank=True,
                                      related_name="+")
    departments = models.ManyToManyField(Department, verbose_name=_("organising departments"), blank=True,
                                         related_name="events")
    organisers = models.ManyToManyField(Organisation, verbose_name=_("organising organisations"), blank=True,
                                        related_name="organised_events")
    participants = models.ManyToManyField(Organisation, verbose_name=_("participating organisations"), blank=True,
                                          related_name="events")
    talents = models.ManyToManyField(Talent, verbose_name=_("participating talents"), blank=True,
                                     related_name="events")
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    intentions_signed = models.PositiveIntegerField(_("intentions signed"), default=0)
    projects_introduced = models.PositiveIntegerField(_("projects introduced"), default=0)
    talents_introduced = models.PositiveIntegerField(_("talents introduced"), default=0)
    description = models.TextField(_("description"), blank=True)

    search_fields = ("title", "place", "description")
    lookup_search_fields = ("title",)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["division", "start_date"])]

    def __str__(self) -> str:
        return self.title

    def lookup_label(self) -> str:
        return f"{self.title}（{self.start_date:%Y-%m-%d}）" if self.start_date else self.title

    @property
    def is_job_fair(self) -> bool:
        return self.event_type == EventType.JOB_FAIR

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = ValidationError(_("The end date lies before the start date."), code="end_before_start")
        if self.status == EventStatus.HELD and self.start_date and self.start_date > today:
            errors["status"] = ValidationError(
                _("An event that starts after today (%(today)s) cannot have been held."), code="held_in_future",
                params={"today": today.isoformat()})
        if self.start_date and self.start_date > today or self.status == EventStatus.CANCELLED:
            for name in OUTCOME_FIELDS:
                if getattr(self, name):
                    errors[name] = ValidationError(
                        _("Outcomes are counted only for an event that has taken place."), code="outcome_too_early")
        if errors:
            raise ValidationError(errors)


track(Event, m2m_fields={"counties", "departments", "organisers", "participants", "talents"})
