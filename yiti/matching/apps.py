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
        from yiti.core.navigation import SYSTEM, MenuItem
        from yiti.matching import signals  # noqa: F401  (records' saves feed the index's pending changes)
        from yiti.matching.index_views import may_manage_index

        # index: the matching index's state and rebuild, for the city office and administrators
        extensions.add_menu_item(SYSTEM, MenuItem(_("Matching index"), "matching.IndexJob", "matching:index_status", 40,
                                                  visible=may_manage_index))
