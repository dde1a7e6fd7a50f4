from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    LOCALITY = "locality", _("University–locality")
    ENTERPRISE = "enterprise", _("University–enterprise")
    PROVINCE = "province", _("Province–university")


class Step(models.TextChoices):
    """The ladder an agreement climbs until its project lands, in order; or it is terminated."""

    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Project started")
    FUNDS_ARRIVED = "funds_arrived", _("Funds arrived")
    LANDED = "landed", _("Landed")
    TERMINATED = "terminated", _("Terminated")


LADDER = [Step.SIGNED, Step.STARTED, Step.FUNDS_ARRIVED, Step.LANDED]
FINAL_STEPS = {Step.LANDED, Step.TERMINATED}
