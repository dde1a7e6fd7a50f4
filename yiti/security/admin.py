from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yiti.core.admin import EvidenceAdmin
from yiti.security.api_keys import issue, revoke
from yiti.security.models import AccountSecurity, ApiCall, ApiKey, ApiKeyGrant, AuthEvent


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


class ApiKeyGrantInline(admin.TabularInline):
    model = ApiKeyGrant
    extra = 1
    verbose_name = _("registry the key may call")
    verbose_name_plural = _("registries the key may call")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            from django.contrib.contenttypes.models import ContentType

            from yiti.core.registry import registries

            models = [registry.model for registry in registries().values()]
            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[ContentType.objects.get_for_model(model).pk for model in models])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KeyStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("in_use", _("In use")), ("expired", _("Expired")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "in_use":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """The security administrator issues keys to other systems, limits them to registries and actions, and revokes
    them; the key is shown once, when it is made. The auditor reads them."""

    list_display = ("name", "prefix", "account", "state_display", "expires_at", "last_used_at", "last_used_from")
    list_filter = (KeyStateFilter,)
    search_fields = ("name", "prefix", "account__username")
    readonly_fields = ("prefix", "created_at", "created_by", "revoked_at", "revoked_by", "last_used_at",
                       "last_used_from")
    autocomplete_fields = ("account",)  # found by user name or name, not typed as an id
    inlines = [ApiKeyGrantInline]
    actions = ["revoke_keys"]

    @admin.display(description=_("state"))
    def state_display(self, obj: ApiKey) -> str:
        return obj.state()

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the calls' trail names the key

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.revoked_at is not None:
            return [f.name for f in ApiKey._meta.fields]  # a revoked key stays as it was
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            token = issue(obj)
            super().save_model(request, obj, form, change)
            self.message_user(request, _("The key for %(name)s is %(token)s — copy it now: it is shown only once and "
                                         "cannot be read again.") % {"name": obj.name, "token": token},
                              messages.WARNING)
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke_keys(self, request, queryset):
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            revoke(key, request.user)
        self.message_user(request, ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", len(keys))
                          % {"count": len(keys)}, messages.SUCCESS)


@admin.register(ApiCall)
class ApiCallAdmin(EvidenceAdmin):
    """Read-only: the trail of other systems' calls."""

    list_display = ("timestamp", "key", "key_prefix", "method", "path", "status", "remote_addr", "duration_ms")
    list_filter = ("status", "method")
    search_fields = ("key_prefix", "path", "remote_addr")
    date_hierarchy = "timestamp"
    list_select_related = ("key",)
