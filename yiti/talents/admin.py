from django.contrib import admin

from yiti.core.forms import MaskedModelForm
from yiti.talents.models import ContactLog, Programme, Talent


@admin.register(Talent)
class TalentAdmin(admin.ModelAdmin):
    form = MaskedModelForm  # phone, ID number and e-mail shown masked, as on the registry's own edit form
    list_display = ("name", "population", "organisation", "title_level")
    list_filter = ("population", "title_level")
    search_fields = ("name",)
    raw_id_fields = ("organisation", "division", "hometown", "discipline", "industry")


admin.site.register(Programme)
admin.site.register(ContactLog)
