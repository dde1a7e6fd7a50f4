from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.core.forms import NamedErrorsMixin, RegistryForm, style_widgets
from yiti.core.lookups import LookupField
from yiti.experts.models import Assignment, ExpertRole
from yiti.orgs.models import Organisation
from yiti.talents.models import Talent


class ExpertRoleForm(RegistryForm):
    talent = LookupField(Talent.objects.all(), natural_keys=("name", "id_number"), label=_("talent"))

    class Meta:
        model = ExpertRole
        fields = ["talent", "role", "capacity", "status", "start_date", "end_date", "notes"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput(),
                   "notes": forms.Textarea(attrs={"rows": 2})}


class AssignmentForm(NamedErrorsMixin, forms.ModelForm):
    organisation = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"),
                               label=_("served organisation"))

    class Meta:
        model = Assignment
        fields = ["organisation", "start_date", "end_date", "notes"]
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.restrict(user, "view", pooled=False)
        style_widgets(self)
