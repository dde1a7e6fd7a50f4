"""What 政策兑现 keeps: the policy registry with its public guide, benefit items and rules (as data), the
screening runs of 免申即享 with their eligible records, and the benefit ledger (docs/policies.md)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiti.accounts.models import Department
from yiti.core.history import track
from yiti.core.jobs import Job
from yiti.core.models import BaseModel, Division
from yiti.orgs.models import Organisation
from yiti.policies.choices import BenefitStatus, Channel, Outcome, PolicyKind, Subject
from yiti.talents.models import Talent


class Policy(BaseModel):
    """A policy (政策) and the guide the public expects (办事指南)."""

    title = models.CharField(_("title"), max_length=200)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuing_department = models.CharField(_("issuing department"), max_length=100)
    # The jurisdiction that issued it (the city, or a county): the record's scope.
    division = models.ForeignKey(Division, verbose_name=_("division"), on_delete=models.PROTECT, related_name="+")
    # The office that confirms, approves and pays its benefits (docs/policies.md, "Who may do what").
    granting_department = models.ForeignKey(Department, verbose_name=_("granting office"), on_delete=models.PROTECT,
                                            related_name="+")
    kind = models.CharField(_("policy kind"), max_length=20, choices=PolicyKind.choices, default=PolicyKind.QUICK,
                            db_index=True)
    subject = models.CharField(_("whom it is about"), max_length=20, choices=Subject.choices,
                               default=Subject.ORGANISATION)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    target_group = models.TextField(_("applies to"), blank=True)
    conditions_text = models.TextField(_("conditions"), blank=True)
    standard = models.TextField(_("standard"), blank=True)
    handling_office = models.CharField(_("handled by"), max_length=100, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    time_limit = models.CharField(_("time limit"), max_length=100, blank=True)
    # The eligibility rules (yiti.policies.rules): a list of {"field", "op", "value"}, all of which must hold.
    rules = models.JSONField(_("eligibility rules"), default=list, blank=True)

    search_fields = ("title", "doc_number", "issuing_department", "target_group", "conditions_text")
    lookup_search_fields = ("title", "doc_number")

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    def get_rules_text(self) -> str:
        """The rules as the edit form and the export write them, one condition a line (rules.to_text)."""
        from yiti.policies import rules

        if isinstance(self.rules, str):
            return self.rules
        return rules.to_text(self.subject, self.rules or [])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from yiti.policies import rules

        errors: dict[str, ValidationError] = {}
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            errors["effective_to"] = ValidationError(_("The end of the effective period lies before its start."),
                                                     code="period_order")
        try:
            if isinstance(self.rules, str):  # the edit form's or a spreadsheet's text, one condition a line
                self.rules = rules.parse_text(self.subject, self.rules)
            else:
                self.rules = rules.check_conditions(self.subject, self.rules or [])
        except ValidationError as exc:
            errors["rules"] = exc
        if errors:
            raise ValidationError(errors)


class BenefitItem(models.Model):
    """One benefit of a policy (一次性创业补贴 1,000–5,000 元; 贴息 50 %)."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("name"), max_length=100)
    amount_min = models.DecimalField(_("minimum amount"), null=True, blank=True, validators=[MinValueValidator(0)],
                                     max_digits=14, decimal_places=2)
    amount_max = models.DecimalField(_("maximum amount"), null=True, blank=True, validators=[MinValueValidator(0)],
                                     max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)  # blank: yuan
    interest_share = models.DecimalField(_("interest subsidy share (%)"), max_digits=5, decimal_places=2, null=True,
                                         blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("benefit item")
        verbose_name_plural = _("benefit items")
        ordering = ["policy", "id"]

    def __str__(self) -> str:
        return self.name

    def amount_text(self) -> str:
        def money(value: Decimal | None) -> str:
            return f"{value:,.0f}" if value is not None else ""

        from django.utils.translation import gettext

        unit = self.unit or gettext("yuan")
        parts = []
        if self.amount_min is not None and self.amount_max is not None and self.amount_min != self.amount_max:
            parts.append(f"{money(self.amount_min)}–{money(self.amount_max)} {unit}")
        elif self.amount_max is not None:
            parts.append(f"≤ {money(self.amount_max)} {unit}")
        if self.interest_share is not None:
            parts.append(gettext("interest subsidy %(share)s %%") % {"share": f"{self.interest_share:g}"})
        return "; ".join(parts)


class Screening(Job):
    """A 免申即享 run: one policy over every organisation or talent in the user's scope."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Screening")
        DONE = "done", _("Screened")
        FAILED = "failed", _("Not screened")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="screenings")
    day = models.DateField(_("evaluated on"))
    scanned = models.PositiveIntegerField(_("records screened"), default=0)
    eligible = models.PositiveIntegerField(_("eligible"), default=0)
    incomplete = models.PositiveIntegerField(_("data missing"), default=0)
    RUNNING = (Status.RUNNING,)
    INTERRUPTED = _("The screening was interrupted; start it again.")

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-id"]

    def get_absolute_url(self) -> str:
        return reverse("policies:screening", args=[self.pk])


class Hit(models.Model):
    """A record a screening found eligible (or eligible but for missing data), with the explanation."""

    screening = models.ForeignKey(Screening, verbose_name=_("screening"), on_delete=models.CASCADE,
                                  related_name="hits")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    talent = models.ForeignKey(Talent, verbose_name=_("talent"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    name = models.CharField(_("name"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, db_index=True)
    explanation = models.JSONField(_("explanation"), default=list)

    class Meta:
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")
        ordering = ["outcome", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Benefit(models.Model):
    """One line of the benefit ledger (兑现台账): an application or a confirmed screening hit, its approval, the
    amount and the payment, due `YITI_BENEFIT_PAYMENT_WORKING_DAYS` (60) working days after the application."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="benefits")
    item = models.ForeignKey(BenefitItem, verbose_name=_("benefit item"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    talent = models.ForeignKey(Talent, verbose_name=_("talent"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    # The beneficiary's county (the ledger's scope for county officers) at the time of the application.
    division = models.ForeignKey(Division, verbose_name=_("division"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("ledger source"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=BenefitStatus.choices,
                              default=BenefitStatus.APPLIED, db_index=True)
    applied_on = models.DateField(_("applied on"))
    requested_amount = models.DecimalField(_("amount applied for"), null=True, blank=True, max_digits=14, decimal_places=2)
    due_on = models.DateField(_("payment due"), db_index=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    amount = models.DecimalField(_("amount approved"), null=True, blank=True, max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefit ledger")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(organisation__isnull=False, talent__isnull=True)
                                   | Q(organisation__isnull=True, talent__isnull=False),
                                   name="policies_benefit_one_beneficiary"),
            # one live ledger line per policy and beneficiary: a second screening does not pay twice
            models.UniqueConstraint(fields=["policy", "organisation"], name="policies_one_benefit_per_org",
                                    condition=Q(organisation__isnull=False) & ~Q(status=BenefitStatus.REJECTED)),
            models.UniqueConstraint(fields=["policy", "talent"], name="policies_one_benefit_per_talent",
                                    condition=Q(talent__isnull=False) & ~Q(status=BenefitStatus.REJECTED)),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.beneficiary}"

    def get_absolute_url(self) -> str:
        return reverse("policies:benefit", args=[self.pk])

    @property
    def beneficiary(self) -> Organisation | Talent | None:
        return self.organisation or self.talent


track(Policy)
track(BenefitItem)
track(Benefit)
