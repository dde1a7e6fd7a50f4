from django.contrib import admin

from yiti.core.forms import MaskedModelForm
from yiti.orgs.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = MaskedModelForm  # phone, ID number and e-mail shown masked, as on the registry's own edit form
    list_display = ("name", "org_type", "division", "ladder_stage")
    list_filter = ("org_type", "ladder_stage")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("division", "industry")
