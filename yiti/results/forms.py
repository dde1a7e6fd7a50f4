from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import RegistryForm
from yiti.core.lookups import LookupField, LookupMultipleField
from yiti.core.models import Discipline, Industry
from yiti.orgs.models import Organisation
from yiti.results.models import Result
from yiti.talents.models import Talent


class ResultForm(RegistryForm):
    owner = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"),
                        label=_("owner organisation"))
    leader = LookupField(Talent.objects.all(), natural_keys=("name", "id_number"), required=False,
                         label=_("team leader"))
    team_members = LookupMultipleField(Talent.objects.all(), natural_keys=("name", "id_number"), required=False,
                                       label=_("team members"))
    discipline = GroupedCodeChoiceField(Discipline.objects.all(), required=False, label=_("discipline"))
    industry = GroupedCodeChoiceField(Industry.objects.all(), required=False, label=_("industry"))

    class Meta:
        model = Result
        fields = ["title", "result_type", "owner", "leader", "team_members", "identifier", "year", "project_category", "discipline",
                  "industry", "trl", "transfer_mode", "asking_price", "keywords", "description", "status", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
