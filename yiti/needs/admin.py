from django.contrib import admin

from yiti.core.forms import MaskedModelForm
from yiti.needs.models import Need


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    form = MaskedModelForm  # phone, ID number and e-mail shown masked, as on the registry's own edit form
    list_display = ("title", "need_type", "enterprise", "status", "deadline")
    list_filter = ("need_type", "status")
    search_fields = ("title",)
    raw_id_fields = ("enterprise", "industry", "discipline")
