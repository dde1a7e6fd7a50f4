from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "yiti.dashboard"
    label = "dashboard"
    verbose_name = _("Indicators and dashboards")

    def ready(self) -> None:
        self._reports()

    def _reports(self) -> None:
        """§5: the work reports' menu entry, in the Statistics group the dashboards share."""
        from yiti.core import extensions
        from yiti.core.navigation import MenuItem
        from yiti.core.registry import MenuGroup
        from yiti.dashboard.reports import is_reader

        extensions.add_menu_item(MenuGroup(_("Statistics"), 45),
                                 MenuItem(_("Work reports"), "dashboard.WorkReport", "reports:index", 30,
                                          visible=is_reader))
