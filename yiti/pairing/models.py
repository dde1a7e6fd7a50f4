"""校地融合: a street or community paired with a university, institute or department for a term, with what the
community needs, what the partner offers, and the services delivered (docs/pairing.md)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core.history import track
from yiti.core.models import BaseModel, Division
from yiti.core.validators import not_in_future
from yiti.orgs.models import Organisation
from yiti.pairing.choices import COMMUNITY_TYPES, PARTNER_TYPES, PairStatus


class Pairing(BaseModel):
    community = models.ForeignKey(Organisation, verbose_name=_("street / community"), on_delete=models.PROTECT,
                                  related_name="pairings_as_community",
                                  limit_choices_to={"org_type__in": list(COMMUNITY_TYPES)})
    partner = models.ForeignKey(Organisation, verbose_name=_("paired university or department"),
                                on_delete=models.PROTECT, related_name="pairings_as_partner",
                                limit_choices_to={"org_type__in": list(PARTNER_TYPES)})
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("The community's county; taken from the community when left empty."))
    status = models.CharField(_("status"), max_length=20, choices=PairStatus.choices, default=PairStatus.ACTIVE,
                              db_index=True)
    term_start = models.DateField(_("term from"), db_index=True)
    term_end = models.DateField(_("term to"), null=True, blank=True)
    community_needs = models.TextField(_("the community's needs"), blank=True,
                                       help_text=_("One per line: what the community asks of its partner."))
    partner_services = models.TextField(_("the partner's services"), blank=True,
                                        help_text=_("One per line: what the university or department offers."))
    note = models.TextField(_("note"), blank=True)

    search_fields = ("community__name", "partner__name", "community_needs", "partner_services")

    class Meta:
        verbose_name = _("university–community pair")
        verbose_name_plural = _("university–community pairs")
        ordering = ["-term_start", "-id"]
        constraints = [models.UniqueConstraint(fields=["community", "partner", "term_start"],
                                               name="pairing_unique_term")]

    def __str__(self) -> str:
        return f"{self.community} — {self.partner}"

    def clean(self) -> None:
        errors = {}
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = ValidationError(_("The term ends before it starts."), code="term_order")
        if self.community_id and self.partner_id and self.community_id == self.partner_id:
            errors["partner"] = ValidationError(_("A community cannot be paired with itself."), code="self_pair")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.division_id is None and self.community_id is not None:
            self.division_id = self.community.division_id
        super().save(*args, **kwargs)


class ServiceLog(models.Model):
    """One service the partner delivered to the community (a lecture, a consultation, a volunteer day …)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("pair"), on_delete=models.CASCADE, related_name="services")
    date = models.DateField(_("date"), validators=[not_in_future], db_index=True)
    content = models.CharField(_("service"), max_length=300)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("recorded by"), null=True, blank=True,
                                   editable=False, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pairing service")
        verbose_name_plural = _("pairing services")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.content}"


track(Pairing)
