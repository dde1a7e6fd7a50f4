from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yiti.core.admin import EvidenceAdmin
from yiti.security.models import AccountSecurity, AuthEvent


@admin.register(AuthEvent)
class AuthEventAdmin(EvidenceAdmin):
    """Read-only: authentication events are evidence, nobody edits or deletes them here."""

    list_display = ("timestamp", "event", "username", "user", "remote_addr")
    list_filter = ("event",)
    search_fields = ("username", "remote_addr")
    date_hierarchy = "timestamp"
    list_select_related = ("user",)


@admin.register(AccountSecurity)
class AccountSecurityAdmin(admin.ModelAdmin):
    list_display = ("user", "password_changed_at", "must_change_password")
    list_filter = ("must_change_password",)
    search_fields = ("user__username", "user__last_name", "user__first_name")
    readonly_fields = ("user", "password_changed_at")
    actions = ["require_password_change"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Require a password change at next login"))
    def require_password_change(self, request, queryset):
        count = queryset.update(must_change_password=True)
        self.message_user(
            request,
            ngettext(
                "%(count)d account must change its password at next login.",
                "%(count)d accounts must change their password at next login.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
