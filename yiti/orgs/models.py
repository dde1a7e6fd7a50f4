from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core.fields import EncryptedCharField
from yiti.core.history import track
from yiti.core.models import BaseModel, Division, Industry
from yiti.core.validators import clean_credit_code, clean_phone, not_in_future
from yiti.orgs.choices import KeyField, LadderStage, OrgType

ENTERPRISE_ONLY_FIELDS = ("ladder_stage", "in_reserve_pool", "is_leading", "key_field")


class Organisation(BaseModel):
    """A university, institute, enterprise, department, community, hospital or other body (单位)."""

    search_fields = ("name", "short_name", "credit_code", "address", "description")
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    org_type = models.CharField(_("type"), max_length=20, choices=OrgType.choices, db_index=True)
    division = models.ForeignKey(
        Division, verbose_name=_("division"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)  # encrypted at rest
    ladder_stage = models.CharField(
        _("cultivation stage"), max_length=20, choices=LadderStage.choices, blank=True, db_index=True
    )
    in_reserve_pool = models.BooleanField(_("in reserve pool"), default=False)
    is_leading = models.BooleanField(_("leading S&T enterprise"), default=False)
    key_field = models.CharField(_("key field"), max_length=30, choices=KeyField.choices, blank=True)
    # 成立日期: something that happened, so never after today (policies name it: "成立日期 ≥ 2021-01-01").
    founded_on = models.DateField(_("founding date"), null=True, blank=True, validators=[not_in_future])
    description = models.TextField(_("description"), blank=True)

    lookup_search_fields = ("name", "short_name", "credit_code")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_enterprise(self) -> bool:
        return self.org_type == OrgType.ENTERPRISE

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.credit_code:
            try:
                self.credit_code = clean_credit_code(self.credit_code)
            except ValidationError as exc:
                errors["credit_code"] = exc
        else:
            self.credit_code = None
        if self.phone:
            try:
                self.phone = clean_phone(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc
        if not self.is_enterprise:
            for name in ENTERPRISE_ONLY_FIELDS:
                if getattr(self, name):
                    errors[name] = ValidationError(
                        _("Only enterprises have this field; the type of this organisation is %(type)s."),
                        params={"type": self.get_org_type_display()}, code="enterprise_only",
                    )
        if errors:
            raise ValidationError(errors)


track(Organisation, mask_fields=["phone"])
