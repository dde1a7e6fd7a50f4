from django import forms

from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import RegistryForm
from yiti.core.models import Division, Industry
from yiti.orgs.models import Organisation


class OrganisationForm(RegistryForm):
    division = GroupedCodeChoiceField(Division.objects.all(), required=False)
    industry = GroupedCodeChoiceField(Industry.objects.all(), required=False)
    website = forms.URLField(assume_scheme="https", required=False)

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "org_type", "division", "credit_code", "industry", "address", "website",
                  "contact_name", "phone", "ladder_stage", "in_reserve_pool", "is_leading", "key_field",
                  "founded_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "founded_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("division", "industry", "website"):
            self.fields[name].label = Organisation._meta.get_field(name).verbose_name
