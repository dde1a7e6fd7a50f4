from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "yiti.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Matching plugs into registries through yiti.core.extensions (detail sections, list buttons, URLs);
        # core never imports this app.
        from yiti.core import extensions
        from yiti.matching import signals  # noqa: F401  (records' saves feed the index's pending changes)
        from yiti.matching.visibility import needs_addressed_to

        # A need is readable by the university / expert contact a published matching item is addressed to.
        extensions.add_visibility("needs.need", needs_addressed_to)

        from yiti.core.navigation import SYSTEM, MenuItem
        from yiti.matching.index_views import may_manage_index

        # index: the matching index's state and rebuild, for the city office and administrators
        extensions.add_menu_item(SYSTEM, MenuItem(_("Matching index"), "matching.IndexJob", "matching:index_status", 40,
                                                  visible=may_manage_index))

        self._recommendations()
        self._lists()
        self._coverage()

    def _recommendations(self) -> None:
        """§2: the recommendation panels on record pages, their URLs under each registry, the API route."""
        from yiti.core import extensions
        from yiti.core.api import api
        from yiti.core.navigation import MenuItem
        from yiti.core.registry import MenuGroup
        from yiti.matching.api import build_router
        from yiti.matching.feedback import may_see_reasons
        from yiti.matching.panels import panel_urls, section

        extensions.add_urls(panel_urls)
        extensions.add_detail_section(section)
        extensions.add_menu_item(MenuGroup(_("Matching"), 50),
                                 MenuItem(_("Why recommendations did not fit"), "matching.Feedback",
                                          "matching:reasons", 90, visible=may_see_reasons))
        if not getattr(api, "_yiti_recommendations", False):  # ready() may run twice in tests
            api.add_router("/needs/", build_router())
            api._yiti_recommendations = True  # type: ignore[attr-defined]

    def _lists(self) -> None:
        """§3: the 供需对接 menu entries of matching lists (对接清单, 我的对接, 逾期未联系)."""
        from yiti.core import extensions
        from yiti.core.navigation import MenuItem
        from yiti.core.registry import MenuGroup
        from yiti.matching.menu import is_contact, is_reader

        # 供需对接, between the four databases and System (the same group as the recommendation entries).
        matching = MenuGroup(_("Matching"), 50)
        extensions.add_menu_item(matching, MenuItem(_("Matching lists"), "matching.MatchingList", "matching:lists",
                                                    10, visible=is_reader))
        extensions.add_menu_item(matching, MenuItem(_("My matching"), "matching.MatchingItem", "matching:mine", 20,
                                                    visible=is_contact))
        extensions.add_menu_item(matching, MenuItem(_("Overdue contacts"), "matching.MatchingItem",
                                                    "matching:overdue", 30, visible=is_reader))

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
