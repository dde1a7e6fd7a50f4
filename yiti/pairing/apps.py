from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PairingConfig(AppConfig):
    name = "yiti.pairing"
    label = "pairing"
    verbose_name = _("University–community pairing")

    def ready(self) -> None:
        from yiti.core.extensions import ListAction, add_list_action

        # 推荐结对 on the pairs' list: proposals from the assignment solver (yiti.pairing.services.propose).
        add_list_action(ListAction(label=_("Propose pairs"), view="proposals", needs=("add",),
                                   when=lambda registry: registry.model_name == "pairing"))
