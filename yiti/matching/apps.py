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
        from yiti.core.navigation import MenuItem
        from yiti.core.registry import MenuGroup
        from yiti.matching import signals  # noqa: F401  (records' saves feed the index's pending changes)
        from yiti.matching.menu import is_contact, is_reader

        # 供需对接, between the four databases and System.
        matching = MenuGroup(_("Matching"), 50)
        extensions.add_menu_item(matching, MenuItem(_("Matching lists"), "matching.MatchingList", "matching:lists",
                                                    10, visible=is_reader))
        extensions.add_menu_item(matching, MenuItem(_("My matching"), "matching.MatchingItem", "matching:mine", 20,
                                                    visible=is_contact))
        extensions.add_menu_item(matching, MenuItem(_("Overdue contacts"), "matching.MatchingItem",
                                                    "matching:overdue", 30, visible=is_reader))
