from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from yiti.accounts.models import Department, ObjectGrant, RevealEvent, User
from yiti.core.admin import EvidenceAdmin

# Fields only the security administrator may change: who may see and do what.
SECURITY_FIELDS = ("role", "scope", "department", "organisation", "may_reveal_personal_data")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "scope", "department", "is_active")
    list_filter = ("role", "scope", "is_active", "department")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role and data scope"), {"fields": SECURITY_FIELDS}),
    )
    raw_id_fields = ("organisation",)

    def get_readonly_fields(self, request, obj=None):
        fixed = ("is_superuser", "is_staff", "user_permissions", "groups", "last_login", "date_joined")
        if request.user.is_superuser:
            return ()
        if getattr(request.user, "role", "") == "secadmin":
            # Manages roles and scopes, not identities or passwords.
            return (*fixed, "username", "first_name", "last_name", "email", "is_active", "password")
        return (*fixed, *SECURITY_FIELDS)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "division")
    list_filter = ("kind",)


@admin.register(ObjectGrant)
class ObjectGrantAdmin(admin.ModelAdmin):
    list_display = ("name", "content_type", "actions")
    filter_horizontal = ("users",)


@admin.register(RevealEvent)
class RevealEventAdmin(EvidenceAdmin):
    list_display = ("timestamp", "user", "object_repr", "field", "remote_addr")
    list_filter = ("field",)
