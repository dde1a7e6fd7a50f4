from django.db import models
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed pair")
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


# The kinds of organisation on each side: "a street pairs with a university, a community links to a department".
COMMUNITY_TYPES = ("community",)
PARTNER_TYPES = ("university", "institute", "government")
