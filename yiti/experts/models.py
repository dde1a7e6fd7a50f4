from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core.history import track
from yiti.core.models import BaseModel
from yiti.experts.choices import RoleStatus, RoleType
from yiti.orgs.models import Organisation
from yiti.talents.models import Talent


class ExpertRole(BaseModel):
    """A role a talent holds in the expert database, with how many assignments they can carry."""

    # The talent's name and expertise: "李" finds the expert roles of every 李 without a join. Not the notes: experts
    # are in the city-wide pool, and a keyword must not find another county's expert by text it may not read.
    search_fields = ("talent__name", "talent__expertise", "talent__position")
    talent = models.ForeignKey(Talent, verbose_name=_("talent"), on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=RoleType.choices, db_index=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=3, help_text=_("How many enterprises or villages this expert can serve at once.")
    )
    status = models.CharField(_("status"), max_length=10, choices=RoleStatus.choices, default=RoleStatus.ACTIVE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Whether the role is in the city-wide pool (active, and the talent's profile public): derived, kept by the
    # database's triggers (yiti/experts/pool.py) on every write; restrict() reads it as one column.
    in_pool = models.BooleanField(_("in the city-wide pool"), default=False, editable=False)

    class Meta:
        verbose_name = _("expert role")
        verbose_name_plural = _("expert roles")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.talent.name}（{self.get_role_display()}）"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": ValidationError(_("The end date lies before the start date."),
                                                               code="end_before_start")})
        if self.role == RoleType.VICE_PRESIDENT and self.capacity > 1:
            raise ValidationError({"capacity": ValidationError(
                _("A vice-president for S&T is seconded to one enterprise at a time."), code="vice_president_capacity")})


class Assignment(models.Model):
    """A commissioner's assignment to a village or enterprise, or a secondment, with its term."""

    role = models.ForeignKey(ExpertRole, verbose_name=_("expert role"), on_delete=models.CASCADE,
                             related_name="assignments")
    organisation = models.ForeignKey(Organisation, verbose_name=_("served organisation"), on_delete=models.PROTECT,
                                     related_name="expert_assignments")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.role} → {self.organisation}"


track(ExpertRole)
track(Assignment)
