from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "yiti.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Matching plugs into registries through yiti.core.extensions (detail sections, list buttons, URLs);
        # core never imports this app.
        from yiti.matching import signals  # noqa: F401  (records' saves feed the index's pending changes)

        self._coverage()

    def _coverage(self) -> None:
        """§4: the 供需对接 menu entry of commissioner coverage (科技特派员全覆盖)."""
        from yiti.core import extensions
        from yiti.core.navigation import MenuItem
        from yiti.core.registry import MenuGroup
        from yiti.matching.coverage import is_reader

        # 供需对接, the group the matching lists' entries use (r14/lists); the same MenuGroup value merges.
        extensions.add_menu_item(MenuGroup(_("Matching"), 50),
                                 MenuItem(_("Commissioner coverage"), "matching.CoverageRun", "matching:coverage", 40,
                                          visible=is_reader))
