from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyKind(models.TextChoices):
    """How a benefit reaches its beneficiary: found by the office (免申即享) or applied for (快申快享)."""

    AUTOMATIC = "automatic", _("Granted without application")
    QUICK = "quick", _("Quick application")


class Subject(models.TextChoices):
    """Whom a policy's rules are about."""

    ORGANISATION = "organisation", _("Organisations")
    TALENT = "talent", _("Talents")


class Channel(models.TextChoices):
    SCREENING = "screening", _("Found by screening")
    APPLICATION = "application", _("Application")


class BenefitStatus(models.TextChoices):
    """The ledger's ladder: 待审批 → 已审批 → 已兑付, or 不予兑现."""

    APPLIED = "applied", _("Awaiting approval")
    APPROVED = "approved", _("Approved, awaiting payment")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


OPEN_BENEFIT = (BenefitStatus.APPLIED, BenefitStatus.APPROVED)


class Outcome(models.TextChoices):
    """A screened record: every condition passed, or none failed but some data is missing."""

    ELIGIBLE = "eligible", _("Eligible")
    INCOMPLETE = "incomplete", _("Data missing")
