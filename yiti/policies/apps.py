from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "yiti.policies"
    label = "policies"
    verbose_name = _("Policies and benefits")

    def ready(self) -> None:
        # The benefit ledger is a page of this app beside the policy registry, placed in the menu through
        # yiti.core.extensions (core never imports this app).
        from yiti.core import extensions
        from yiti.core.navigation import MenuItem
        from yiti.policies.services import may_see_ledger
        from yiti.policies.views import POLICIES, policy_section

        extensions.add_detail_section(policy_section)

        extensions.add_menu_item(POLICIES, MenuItem(_("Benefit ledger"), "policies.Benefit", "policies:benefits", 20,
                                                    visible=may_see_ledger))
