from django.contrib import admin

from yiti.pairing.models import Pairing


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ("community", "partner", "status", "term_start", "term_end")
    list_filter = ("status",)
    raw_id_fields = ("community", "partner", "division")
