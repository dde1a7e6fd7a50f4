from django.contrib import admin


class EvidenceAdmin(admin.ModelAdmin):
    """Read-only admin for audit evidence (reveals, logins): nobody adds, edits or deletes it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
