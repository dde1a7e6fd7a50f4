from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo dataset and demo accounts (`yiti demo-data`, `yiti demo-admin`): no models.

    It sits above every registry app, so that core and accounts need not know about demo data."""

    name = "yiti.demo"
    label = "demo"
    verbose_name = _("Demo data")
