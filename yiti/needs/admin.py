from django.contrib import admin

from yiti.needs.models import Need


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("title", "need_type", "enterprise", "status", "deadline")
    list_filter = ("need_type", "status")
    search_fields = ("title",)
    raw_id_fields = ("enterprise", "industry", "discipline")
