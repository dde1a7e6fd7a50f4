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

        self._recommendations()

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
