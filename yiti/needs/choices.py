from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedType(models.TextChoices):
    """The "four needs" list (四需清单)."""

    TECHNOLOGY = "technology", _("Technology need")
    TALENT = "talent", _("Talent need")
    PROJECT = "project", _("Cooperation project need")
    PLATFORM = "platform", _("Platform or service need")


class NeedStatus(models.TextChoices):
    """Status ladder of a need, in order."""

    PUBLISHED = "published", _("Published")
    MATCHED = "matched", _("Matched")
    IN_TALKS = "in_talks", _("In talks")
    SIGNED = "signed", _("Agreement signed")
    CLOSED = "closed", _("Closed")
