from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    RECRUITMENT_DRIVE = "recruitment_drive", _("Recruitment drive (双招双引)")
    JOB_FAIR = "job_fair", _("Job fair")
    DOCTORAL_LECTURE = "doctoral_lecture", _("Doctoral lecture")
    TRAINING = "training", _("Training")
    COMMISSIONER_DAY = "commissioner_day", _("Sci-tech commissioner service day")
    OTHER = "other", _("Other activity")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
