from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "yiti.dashboard"
    label = "dashboard"
    verbose_name = _("Indicators and dashboards")

    def ready(self) -> None:
        self._ledger()
        self._reports()

    def _ledger(self) -> None:
        """§2: the menu entries of the indicator ledger (指标台账) and its monthly snapshots."""
        from yiti.core import extensions
        from yiti.core.navigation import MenuItem
        from yiti.core.registry import MenuGroup
        from yiti.dashboard.indicators import may_view
        from yiti.dashboard.targets import may_edit

        group = MenuGroup(_("Indicators and reports"), 60)
        extensions.add_menu_item(group, MenuItem(_("Indicator ledger"), "dashboard.Target", "dashboard:ledger", 10,
                                                 visible=may_view))
        extensions.add_menu_item(group, MenuItem(_("Annual targets"), "dashboard.Target", "dashboard:targets", 20,
                                                 visible=may_edit))
        extensions.add_menu_item(group, MenuItem(_("Monthly snapshots"), "dashboard.Snapshot", "dashboard:snapshots",
                                                 30, visible=may_view))

    def _reports(self) -> None:
        """§5: the work reports' menu entry, in the ledger's group."""
        from yiti.core import extensions
        from yiti.core.navigation import MenuItem
        from yiti.core.registry import MenuGroup
        from yiti.dashboard.reports import is_reader

        extensions.add_menu_item(MenuGroup(_("Indicators and reports"), 60),
                                 MenuItem(_("Work reports"), "dashboard.WorkReport", "reports:index", 40,
                                          visible=is_reader))
