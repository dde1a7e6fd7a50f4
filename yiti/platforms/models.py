from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core.history import track
from yiti.core.models import BaseModel, Division, Industry
from yiti.core.validators import not_in_future
from yiti.orgs.models import Organisation
from yiti.platforms.choices import PlatformLevel, PlatformStatus, PlatformType


class Platform(BaseModel):
    """An innovation platform: key lab, workstation, incubator, industry college …"""

    name = models.CharField(_("name"), max_length=200)
    platform_type = models.CharField(_("platform type"), max_length=30, choices=PlatformType.choices, db_index=True)
    level = models.CharField(_("level"), max_length=20, choices=PlatformLevel.choices, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=PlatformStatus.choices,
                              default=PlatformStatus.APPLYING, db_index=True)
    host = models.ForeignKey(Organisation, verbose_name=_("host organisation"), on_delete=models.PROTECT,
                             related_name="hosted_platforms")
    partners = models.ManyToManyField(Organisation, verbose_name=_("partner organisations"), blank=True,
                                      related_name="partner_platforms")
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    applied_date = models.DateField(_("applied on"), null=True, blank=True, validators=[not_in_future])
    listed_date = models.DateField(_("listed on"), null=True, blank=True, validators=[not_in_future])
    accredited_date = models.DateField(_("accredited on"), null=True, blank=True, validators=[not_in_future])
    renewal_due = models.DateField(_("renewal due"), null=True, blank=True, db_index=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = ("name", "description")
    lookup_search_fields = ("name",)
    lookup_select_related = ("host",)

    def lookup_label(self) -> str:
        return f"{self.name}（{self.host}）"

    class Meta:
        verbose_name = _("innovation platform")
        verbose_name_plural = _("innovation platforms")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        order = [("applied_date", self.applied_date), ("listed_date", self.listed_date),
                 ("accredited_date", self.accredited_date)]
        known = [(n, d) for n, d in order if d]
        for (_n1, d1), (n2, d2) in zip(known, known[1:], strict=False):
            if d2 < d1:
                errors[n2] = ValidationError(_("This date lies before the previous step of the platform."),
                                             code="date_order")
        if self.accredited_date and self.renewal_due and self.renewal_due < self.accredited_date:
            errors["renewal_due"] = ValidationError(_("The renewal date lies before the accreditation date."),
                                                     code="renewal_before_accredited")
        if self.status in (PlatformStatus.ACCREDITED, PlatformStatus.OPERATING) and not self.accredited_date:
            errors["accredited_date"] = ValidationError(
                _("An accredited or operating platform needs its accreditation date."), code="accredited_date_needed")
        if errors:
            raise ValidationError(errors)


track(Platform, m2m_fields={"partners"})
