from django.contrib import admin

from yiti.agreements.models import Agreement, Evidence


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "signed_date", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("parties", "needs", "division")
    inlines = [EvidenceInline]
