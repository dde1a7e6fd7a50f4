import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiti.activities.choices import EventType
from yiti.activities.fairs.choices import RegistrationStatus, Stage
from yiti.activities.models import Event
from yiti.core.history import track
from yiti.core.models import BaseModel, Discipline
from yiti.core.validators import not_in_future
from yiti.orgs.choices import OrgType
from yiti.orgs.models import Organisation
from yiti.talents.models import Talent

# Check-in codes: no 0/O, 1/I/L, so that a code read out or typed from a printout is not misread.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Position(BaseModel):
    """A position an enterprise offers at a job fair (招聘岗位)."""

    fair = models.ForeignKey(Event, verbose_name=_("job fair"), on_delete=models.PROTECT, related_name="positions",
                             limit_choices_to={"event_type": EventType.JOB_FAIR})
    enterprise = models.ForeignKey(Organisation, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="fair_positions", limit_choices_to={"org_type": OrgType.ENTERPRISE})
    title = models.CharField(_("position title"), max_length=100)
    headcount = models.PositiveIntegerField(_("number of openings"), default=1)
    requirements = models.TextField(_("requirements"), blank=True)
    discipline = models.ForeignKey(Discipline, verbose_name=_("discipline"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    salary_min = models.PositiveIntegerField(_("monthly salary from (yuan)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("monthly salary to (yuan)"), null=True, blank=True)

    search_fields = ("title", "requirements")
    lookup_search_fields = ("title",)
    lookup_select_related = ("enterprise",)

    class Meta:
        verbose_name = _("job fair position")
        verbose_name_plural = _("job fair positions")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def lookup_label(self) -> str:
        return f"{self.title}（{self.enterprise}）"

    def clean(self) -> None:
        errors = {}
        if self.headcount is not None and self.headcount < 1:
            errors["headcount"] = ValidationError(_("A position offers at least one opening."), code="no_openings")
        if self.salary_min is not None and self.salary_max is not None and self.salary_max < self.salary_min:
            errors["salary_max"] = ValidationError(_("The upper end of the salary lies below its lower end."),
                                                   code="salary_range")
        if self.fair_id and self.fair.event_type != EventType.JOB_FAIR:
            errors["fair"] = ValidationError(_("Positions are offered at job fairs only."), code="not_a_fair")
        if errors:
            raise ValidationError(errors)


class Registration(models.Model):
    """A talent's registration for a job fair, with the code its QR carries for check-in at the door."""

    fair = models.ForeignKey(Event, verbose_name=_("job fair"), on_delete=models.CASCADE,
                             related_name="registrations")
    talent = models.ForeignKey(Talent, verbose_name=_("talent"), on_delete=models.PROTECT,
                               related_name="fair_registrations")
    code = models.CharField(_("check-in code"), max_length=16, unique=True, default=new_code)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED, db_index=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked in by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("job fair registration")
        verbose_name_plural = _("job fair registrations")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["fair", "talent"], name="fair_registration_once")]

    def __str__(self) -> str:
        return f"{self.talent}（{self.code}）"

    def checkin_url(self) -> str:
        return reverse("activities:event_checkin", args=[self.fair_id]) + f"?code={self.code}"


class Intention(models.Model):
    """A hiring intention between a talent and a position: 意向 → 面试 → 录用 / 未录用."""

    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.CASCADE,
                                 related_name="intentions")
    talent = models.ForeignKey(Talent, verbose_name=_("talent"), on_delete=models.PROTECT,
                               related_name="fair_intentions")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INTENT, db_index=True)
    intent_date = models.DateField(_("intention on"), validators=[not_in_future])
    interview_date = models.DateField(_("interviewed on"), null=True, blank=True, validators=[not_in_future])
    decided_date = models.DateField(_("decided on"), null=True, blank=True, validators=[not_in_future])
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hiring intention")
        verbose_name_plural = _("hiring intentions")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["position", "talent"], name="fair_intention_once")]

    def __str__(self) -> str:
        return f"{self.talent} × {self.position}"


track(Position)
track(Registration)
track(Intention)
