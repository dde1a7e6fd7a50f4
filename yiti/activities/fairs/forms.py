from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.activities.choices import EventType
from yiti.activities.fairs.choices import NEXT_STAGES, Stage
from yiti.activities.fairs.models import Intention, Position
from yiti.activities.models import Event
from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import RegistryForm, style_widgets
from yiti.core.lookups import LookupField
from yiti.core.models import Discipline
from yiti.orgs.models import Organisation
from yiti.talents.models import Talent


class PositionForm(RegistryForm):
    fair = LookupField(Event.objects.filter(event_type=EventType.JOB_FAIR), natural_keys=("title",),
                       label=_("job fair"))
    enterprise = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"), label=_("enterprise"))
    discipline = GroupedCodeChoiceField(Discipline.objects.all(), required=False, label=_("discipline"))

    class Meta:
        model = Position
        fields = ["fair", "enterprise", "title", "headcount", "requirements", "discipline", "salary_min",
                  "salary_max"]
        widgets = {"requirements": forms.Textarea(attrs={"rows": 3})}


def _talents(user) -> object:
    return Talent.objects.restrict(user, "view")  # type: ignore[attr-defined]


class RegisterForm(forms.Form):
    """Register a talent for a job fair (the event's page)."""

    talent = LookupField(Talent.objects.none(), natural_keys=("name",), label=_("talent"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["talent"]
        field.queryset = _talents(user)  # type: ignore[attr-defined]
        style_widgets(self)


class IntentionForm(forms.Form):
    """A hiring intention reached between a talent and the position (the position's page)."""

    talent = LookupField(Talent.objects.none(), natural_keys=("name",), label=_("talent"))
    date = forms.DateField(label=_("intention on"), widget=forms.DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = _talents(user)  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()
        style_widgets(self)


class AdvanceForm(forms.Form):
    """The next step of one of the position's intentions."""

    intention = forms.ModelChoiceField(Intention.objects.none(), label=_("hiring intention"))
    stage = forms.ChoiceField(label=_("stage"), choices=[(s, s.label) for s in (Stage.INTERVIEW, Stage.HIRED,
                                                                                 Stage.NOT_HIRED)])
    date = forms.DateField(label=_("date"), widget=forms.DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, position=None, **kwargs):
        super().__init__(*args, **kwargs)
        open_stages = [s for s, nxt in NEXT_STAGES.items() if nxt]
        self.fields["intention"].queryset = (  # type: ignore[attr-defined]
            Intention.objects.filter(position=position, stage__in=open_stages).select_related("talent", "position"))
        self.fields["date"].initial = timezone.localdate()
        style_widgets(self)
