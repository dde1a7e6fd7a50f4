from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.accounts.models import Department
from yiti.activities.models import Event
from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import RegistryForm
from yiti.core.lookups import LookupMultipleField
from yiti.core.models import Division
from yiti.orgs.models import Organisation
from yiti.talents.models import Talent


class EventForm(RegistryForm):
    division = GroupedCodeChoiceField(Division.objects.all(), label=_("division"))
    counties = forms.ModelMultipleChoiceField(Division.objects.filter(level="county"), required=False,
                                              label=_("participating counties"))
    departments = forms.ModelMultipleChoiceField(Department.objects.all(), required=False,
                                                 label=_("organising departments"))
    organisers = LookupMultipleField(Organisation.objects.all(), natural_keys=("name", "credit_code"), required=False,
                                     label=_("organising organisations"))
    participants = LookupMultipleField(Organisation.objects.all(), natural_keys=("name", "credit_code"),
                                       required=False, label=_("participating organisations"))
    talents = LookupMultipleField(Talent.objects.all(), natural_keys=("name",), required=False,
                                  label=_("participating talents"))

    class Meta:
        model = Event
        fields = ["event_type", "title", "status", "start_date", "end_date", "place", "division", "counties",
                  "departments", "organisers", "participants", "talents", "attendance", "intentions_signed",
                  "projects_introduced", "talents_introduced", "description"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}
