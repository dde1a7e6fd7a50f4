
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.core.fields import EncryptedCharField
from yiti.core.history import track
from yiti.core.models import BaseModel, Discipline, Industry
from yiti.core.validators import clean_phone, not_in_future
from yiti.needs.choices import NeedStatus, NeedType
from yiti.orgs.choices import OrgType
from yiti.orgs.models import Organisation


class Need(BaseModel):
    """An enterprise need from the "four needs" list."""

    enterprise = models.ForeignKey(
        Organisation, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="needs",
        limit_choices_to={"org_type": OrgType.ENTERPRISE},
    )
    need_type = models.CharField(_("need type"), max_length=20, choices=NeedType.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discipline = models.ForeignKey(
        Discipline, verbose_name=_("discipline"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    budget = models.DecimalField(
        _("budget (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    published_date = models.DateField(_("published on"), default=timezone.localdate, db_index=True,
                                      validators=[not_in_future])
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.PUBLISHED, db_index=True
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)  # encrypted at rest
    # 公开征集: every staff account, leader and organisation contact may then view it (docs/access.md).
    open_call = models.BooleanField(
        _("open call"), default=False, db_index=True,
        help_text=_("Tick to make this need visible to everyone on the platform (universities, experts, "
                    "other counties)."))

    search_fields = ("title", "description", "keywords")
    lookup_search_fields = ("title",)
    lookup_select_related = ("enterprise",)

    def lookup_label(self) -> str:
        return f"{self.title}（{self.enterprise}）"

    class Meta:
        verbose_name = _("enterprise need")
        verbose_name_plural = _("enterprise needs")
        ordering = ["-published_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.enterprise_id and self.enterprise.org_type != OrgType.ENTERPRISE:
            errors["enterprise"] = ValidationError(
                _("%(org)s is not an enterprise; needs are published by enterprises."), params={"org": self.enterprise},
                code="not_enterprise",
            )
        if self.deadline and self.published_date and self.deadline < self.published_date:
            errors["deadline"] = ValidationError(_("The deadline lies before the publication date."),
                                                 code="deadline_before_published")
        if self.phone:
            try:
                self.phone = clean_phone(self.phone)
            except ValidationError as exc:
                errors["phone"] = exc
        if errors:
            raise ValidationError(errors)


track(Need, mask_fields=["phone"])
