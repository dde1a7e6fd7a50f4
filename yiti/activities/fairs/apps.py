from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FairsConfig(AppConfig):
    """Job fairs (招聘会): the positions enterprises offer at a fair (a registry of its own, imported from the
    enterprises' Excel), the talents' registrations with their check-in codes, and hiring intentions."""

    name = "yiti.activities.fairs"
    label = "fairs"
    verbose_name = _("Job fairs")
