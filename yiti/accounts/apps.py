from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yiti.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The System group of the left menu: accounts (Django's admin) and the audit trail.
        from yiti.core import extensions
        from yiti.core.navigation import SYSTEM, MenuItem

        extensions.add_menu_item(SYSTEM, MenuItem(_("Accounts and departments"), "accounts.User",
                                                  "admin:accounts_user_changelist", 10))
        extensions.add_menu_item(SYSTEM, MenuItem(_("Audit trail"), "auditlog.LogEntry", "audit_changes", 20))
