from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import RegistryForm
from yiti.core.lookups import LookupField
from yiti.core.models import Discipline, Industry
from yiti.needs.models import Need
from yiti.orgs.models import Organisation


class NeedForm(RegistryForm):
    # Only enterprises: RegistryForm applies the model field's limit_choices_to (and tells the suggestions).
    enterprise = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"), label=_("enterprise"))
    industry = GroupedCodeChoiceField(Industry.objects.all(), required=False, label=_("industry"))
    discipline = GroupedCodeChoiceField(Discipline.objects.all(), required=False, label=_("discipline"))

    class Meta:
        model = Need
        fields = ["enterprise", "need_type", "title", "description", "keywords", "industry", "discipline", "budget",
                  "published_date", "deadline", "status", "contact_name", "phone", "open_call"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "published_date": forms.DateInput(),
                   "deadline": forms.DateInput()}
