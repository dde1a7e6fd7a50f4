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
