"""The forms of the matching-list pages: they read input into plain values for `yiti.matching.lists`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.agreements.choices import AgreementKind
from yiti.core.forms import CheckboxGrid, NamedErrorsMixin, style_widgets
from yiti.core.lookups import LookupField
from yiti.core.models import Division
from yiti.matching import lists
from yiti.matching.choices import Answer, FailReason, ListKind, RejectReason, Stage
from yiti.needs.choices import NeedStatus, NeedType
from yiti.needs.models import Need
from yiti.orgs.choices import OrgType
from yiti.orgs.models import Organisation
from yiti.results.models import Result
from yiti.talents.choices import ContactChannel
from yiti.talents.services import offerable


class _Styled(NamedErrorsMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def _choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class RunForm(_Styled):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("list kind"), choices=ListKind.choices, widget=forms.RadioSelect,
                             initial=ListKind.NEEDS)
    division = forms.TypedChoiceField(label=_("division"), coerce=int, empty_value=None, required=False)
    need_types = forms.MultipleChoiceField(label=_("need type"), choices=NeedType.choices, required=False,
                                           widget=CheckboxGrid)
    statuses = forms.MultipleChoiceField(label=_("status"), choices=NeedStatus.choices, required=False,
                                         widget=CheckboxGrid, initial=[NeedStatus.PUBLISHED])
    date_from = forms.DateField(label=_("published from"), required=False)
    date_to = forms.DateField(label=_("published until"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = lists.run_divisions(user)
        if allowed is None:
            # The counties that have organisations (the platform serves one city).
            counties = Division.objects.filter(pk__in=Organisation.objects.values("division")).order_by("code")
            choices: list[tuple[Any, Any]] = [("", _("whole city"))]
            choices += [(d.pk, d.name) for d in counties]
        else:
            choices = [(d.pk, d.name) for d in allowed]
        self._choices("division", choices)
        self.fields["division"].required = allowed is not None

    def scope(self) -> lists.Scope:
        data = self.cleaned_data
        statuses = data["statuses"] if data["kind"] == ListKind.NEEDS else []
        return lists.Scope(kind=data["kind"], division_id=data["division"], need_types=data["need_types"],
                           statuses=statuses, date_from=data["date_from"], date_to=data["date_to"])


class RejectForm(_Styled):
    reason = forms.ChoiceField(label=_("reason"), choices=[("", "—"), *RejectReason.choices], required=False)
    text = forms.CharField(label=_("explanation"), max_length=200, required=False)


class AddForm(_Styled):
    """A candidate put on a list by hand: the record, and an expert or an organisation."""

    record = forms.CharField(label=_("record"), max_length=300)
    expert = forms.CharField(label=_("expert"), max_length=300, required=False)
    organisation = forms.CharField(label=_("organisation"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == ListKind.NEEDS:
            self.fields["record"] = LookupField(Need.objects.restrict(user, "view"), label=_("enterprise need"),
                                                natural_keys=("title",))
            self.fields["expert"] = LookupField(offerable(user), label=_("expert"), required=False,
                                                natural_keys=("name",))
            self.fields["organisation"] = LookupField(
                Organisation.objects.restrict(user, "view").exclude(org_type=OrgType.ENTERPRISE),
                label=_("university / institute"), required=False)
        else:
            self.fields["record"] = LookupField(Result.objects.restrict(user, "view"), label=_("research result"),
                                                natural_keys=("title",))
            del self.fields["expert"]
            self.fields["organisation"] = LookupField(
                Organisation.objects.restrict(user, "view").filter(org_type=OrgType.ENTERPRISE),
                label=_("enterprise"))
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind == ListKind.NEEDS and not self.errors and bool(data.get("expert")) == bool(
                data.get("organisation")):
            raise forms.ValidationError(_("Give either an expert or a university / institute."), code="one_candidate")
        return data

    def candidate(self) -> Any:
        return self.cleaned_data.get("expert") or self.cleaned_data.get("organisation")


class PublishForm(_Styled):
    officer = forms.TypedChoiceField(label=_("responsible officer"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, mlist: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officers = {u.pk: u for u in lists.officers_for(mlist)}
        self._choices("officer", [(u.pk, str(u)) for u in self.officers.values()])
        self.fields["officer"].initial = user.pk


class FollowUpForm(_Styled):
    officer = forms.TypedChoiceField(label=_("responsible officer"), coerce=int)
    deadline = forms.DateField(label=_("contact deadline"))

    def __init__(self, *args: Any, mlist: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officers = {u.pk: u for u in lists.officers_for(mlist)}
        self._choices("officer", [(u.pk, str(u)) for u in self.officers.values()])


class ContactForm(_Styled):
    date = forms.DateField(label=_("date"))
    channel = forms.ChoiceField(label=_("channel"), choices=ContactChannel.choices)
    summary = forms.CharField(label=_("summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class StageForm(_Styled):
    stage = forms.ChoiceField(label=_("stage"), choices=[(s.value, s.label) for s in Stage
                                                         if s not in (Stage.PUSHED, Stage.SIGNED)])
    fail_reason = forms.ChoiceField(label=_("reason not reached"), choices=[("", "—"), *FailReason.choices],
                                    required=False)


class SignForm(_Styled):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=AgreementKind.choices, initial=AgreementKind.ENTERPRISE)
    signed_date = forms.DateField(label=_("signed on"))
    committed_funds = forms.DecimalField(label=_("committed funds (10k yuan)"), max_digits=12, decimal_places=2,
                                         min_value=0, required=False)


class AnswerForm(_Styled):
    answer = forms.ChoiceField(label=_("answer"), choices=Answer.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("reason"), max_length=200, required=False)
