from django.contrib import admin

from yiti.experts.models import Assignment, ExpertRole


@admin.register(ExpertRole)
class ExpertRoleAdmin(admin.ModelAdmin):
    list_display = ("talent", "role", "capacity", "status")
    list_filter = ("role", "status")
    raw_id_fields = ("talent",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("role", "organisation", "start_date", "end_date")
    raw_id_fields = ("role", "organisation")
