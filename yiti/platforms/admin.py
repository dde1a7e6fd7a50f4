from django.contrib import admin

from yiti.platforms.models import Platform


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "platform_type", "level", "status", "host")
    list_filter = ("platform_type", "level", "status")
    search_fields = ("name",)
    raw_id_fields = ("host", "partners", "division", "industry")
