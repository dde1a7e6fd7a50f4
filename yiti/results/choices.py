from django.db import models
from django.utils.translation import gettext_lazy as _

from yiti.core import code_data


class ResultType(models.TextChoices):
    PATENT = "patent", _("Patent")
    TECHNOLOGY = "technology", _("Technology")
    SOFTWARE = "software", _("Software")
    PLANT_VARIETY = "plant_variety", _("New plant variety")
    STANDARD = "standard", _("Standard")
    PROJECT = "project", _("Research project")
    OTHER = "other", _("Other")


class TransferMode(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    LICENCE = "licence", _("Licence")
    JOINT_DEVELOPMENT = "joint_development", _("Joint development")
    EQUITY = "equity", _("Equity investment")


class ResultStatus(models.TextChoices):
    AVAILABLE = "available", _("Available for transfer")
    IN_TALKS = "in_talks", _("In talks")
    TRANSFERRED = "transferred", _("Transferred")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Technology readiness levels 1–9 (GB/T 22900-2022), from the package's code table.
TRL_CHOICES = [(t.level, f"{t.level} {t.name}") for t in code_data.trl_levels()]
