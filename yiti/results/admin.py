from django.contrib import admin

from yiti.results.models import Result


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ("title", "result_type", "owner", "trl", "status")
    list_filter = ("result_type", "status", "transfer_mode")
    search_fields = ("title",)
    raw_id_fields = ("owner", "leader", "team_members", "discipline", "industry")
