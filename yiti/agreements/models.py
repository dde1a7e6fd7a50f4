from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiti.agreements.choices import AgreementKind, Step
from yiti.core.attachments import Attachment as BaseAttachment
from yiti.core.attachments import attachment_path  # noqa: F401  (named by the migrations)
from yiti.core.history import track
from yiti.core.models import BaseModel, Division
from yiti.core.validators import not_in_future
from yiti.needs.models import Need
from yiti.orgs.models import Organisation


class Agreement(BaseModel):
    """A cooperation agreement (校地/校企/省校) supervised until its projects land."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices, db_index=True)
    parties = models.ManyToManyField(Organisation, verbose_name=_("parties"), related_name="agreements")
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    signed_date = models.DateField(_("signed on"), db_index=True, validators=[not_in_future])
    item_count = models.PositiveIntegerField(_("number of items"), default=1)
    committed_funds = models.DecimalField(_("committed funds (10k yuan)"), max_digits=12, decimal_places=2,
                                          null=True, blank=True, validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=20, choices=Step.choices, default=Step.SIGNED,
                              editable=False, db_index=True)
    needs = models.ManyToManyField(Need, verbose_name=_("enterprise needs answered"), blank=True,
                                   related_name="agreements")
    description = models.TextField(_("description"), blank=True)

    search_fields = ("title", "description")
    lookup_search_fields = ("title",)

    def lookup_label(self) -> str:
        return f"{self.title}（{self.signed_date:%Y-%m-%d}）"

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_date", "-id"]

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    """Dated evidence that an agreement reached a step (a start-up meeting, a bank receipt …)."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE,
                                  related_name="evidence")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    date = models.DateField(_("date"), validators=[not_in_future])
    note = models.TextField(_("evidence"))
    reference = models.CharField(_("document reference"), max_length=100, blank=True)
    # 资金到位: the amount that arrived, in yuan (committed funds are in 10k yuan, as the forms of record use).
    amount = models.DecimalField(_("amount arrived (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.agreement} · {self.get_step_display()}"


class Attachment(BaseAttachment):
    """A file proving a step (a scanned contract, a bank receipt); served only to users who may see the agreement."""

    upload_folder = "agreements/evidence"

    evidence = models.ForeignKey(Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE,
                                 related_name="attachments")

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement_attachment", args=[self.evidence.agreement_id, self.pk])


track(Agreement, m2m_fields={"parties", "needs"})
track(Evidence)
track(Attachment, exclude_fields=["file"])
