from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")


class Stage(models.TextChoices):
    """A hiring intention's ladder: 意向 → 面试 → 录用 / 未录用 (未录用 may also follow 意向 directly)."""

    INTENT = "intent", _("Intention")
    INTERVIEW = "interview", _("Interview")
    HIRED = "hired", _("Hired")
    NOT_HIRED = "not_hired", _("Not hired")


# Where each stage may go next.
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    Stage.INTENT: (Stage.INTERVIEW, Stage.NOT_HIRED),
    Stage.INTERVIEW: (Stage.HIRED, Stage.NOT_HIRED),
    Stage.HIRED: (),
    Stage.NOT_HIRED: (),
}
