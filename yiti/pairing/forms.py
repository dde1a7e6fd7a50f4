from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import NamedErrorsMixin, RegistryForm, style_widgets
from yiti.core.lookups import LookupField
from yiti.core.models import Division
from yiti.orgs.models import Organisation
from yiti.pairing.models import Pairing, ServiceLog


class PairingForm(RegistryForm):
    # Only the kinds each side accepts: RegistryForm applies the model field's limit_choices_to.
    community = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"),
                            label=_("street / community"))
    partner = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"),
                          label=_("paired university or department"))
    division = GroupedCodeChoiceField(Division.objects.all(), required=False, label=_("division"))

    class Meta:
        model = Pairing
        fields = ["community", "partner", "division", "status", "term_start", "term_end", "community_needs",
                  "partner_services", "note"]
        widgets = {"term_start": forms.DateInput(), "term_end": forms.DateInput(),
                   "community_needs": forms.Textarea(attrs={"rows": 4}),
                   "partner_services": forms.Textarea(attrs={"rows": 4}), "note": forms.Textarea(attrs={"rows": 2})}


class ServiceLogForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = ServiceLog
        fields = ["date", "content", "people_served", "outcome"]
        widgets = {"date": forms.DateInput(), "outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ProposalForm(forms.Form):
    """Who to propose partners for, and how many communities each partner takes on."""

    capacity = forms.IntegerField(label=_("communities per partner"), min_value=1, max_value=50, initial=2)
    same_county_only = forms.BooleanField(label=_("partners of the community's own county only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
