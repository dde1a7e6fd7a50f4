from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleType(models.TextChoices):
    CONSULTING = "consulting", _("University S&T consulting expert")
    COMMISSIONER = "commissioner", _("Sci-tech commissioner")
    VICE_PRESIDENT = "vice_president", _("Vice-president for S&T (secondment)")


class RoleStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
