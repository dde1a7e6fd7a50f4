from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import NamedErrorsMixin, RegistryForm, style_widgets
from yiti.core.lookups import LookupField
from yiti.core.models import Discipline, Division, Industry
from yiti.orgs.models import Organisation
from yiti.talents.models import ContactLog, Talent


class TalentForm(RegistryForm):
    division = GroupedCodeChoiceField(Division.objects.all(), required=False, label=_("managing division"))
    hometown = GroupedCodeChoiceField(Division.objects.all(), required=False, label=_("hometown"))
    organisation = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"), required=False,
                               label=_("organisation"))
    discipline = GroupedCodeChoiceField(Discipline.objects.all(), required=False, label=_("discipline"))
    industry = GroupedCodeChoiceField(Industry.objects.all(), required=False, label=_("industry field"))

    class Meta:
        model = Talent
        fields = ["name", "gender", "birth_year", "population", "category", "division", "hometown", "organisation",
                  "returned_on", "position", "degree", "title_level", "discipline", "industry", "expertise", "programmes",
                  "id_number", "mobile", "email", "liaison", "consent_to_recommend", "profile_public", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "programmes": forms.CheckboxSelectMultiple,
                   "returned_on": forms.DateInput()}


class ContactLogForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = ContactLog
        fields = ["date", "channel", "summary"]
        widgets = {"date": forms.DateInput(), "summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
