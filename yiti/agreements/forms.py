from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yiti.agreements import services
from yiti.agreements.choices import Step
from yiti.agreements.models import Agreement
from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import RegistryForm, style_widgets
from yiti.core.lookups import LookupMultipleField
from yiti.core.models import Division
from yiti.needs.models import Need
from yiti.orgs.models import Organisation


class AgreementForm(RegistryForm):
    parties = LookupMultipleField(Organisation.objects.all(), natural_keys=("name", "credit_code"),
                                  label=_("parties"))
    needs = LookupMultipleField(Need.objects.all(), natural_keys=("title",), required=False,
                                label=_("enterprise needs answered"))
    division = GroupedCodeChoiceField(Division.objects.all(), required=False, label=_("division"))

    class Meta:
        model = Agreement
        fields = ["title", "kind", "parties", "division", "signed_date", "item_count", "committed_funds", "needs",
                  "description"]
        widgets = {"signed_date": forms.DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        # The agreement's rules live in the service; checked here too so that they show beside the fields.
        values = {name: data[name] for name in ("parties", "signed_date") if name in data}
        try:
            services.check_agreement(values, self.instance)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                self.add_error(name, errors)
        return data

    def save_record(self):
        values = {name: self.cleaned_data[name] for name in self._meta.fields}
        if self.instance.pk is None:
            return services.create_agreement(user=self.user, **values)
        return services.update_agreement(self.instance, **values)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the ladder service (type by name and content, size)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class LadderForm(forms.Form):
    """The progress form: one row per rung still ahead, then 终止. Filling the first row records the next
    rung; filling several consecutive rows records a late entry of several rungs, each with its own
    date and evidence. Row fields are named "<step>_<field>", as the ladder service's errors are keyed."""

    ROW_FIELDS = ("date", "note", "reference", "amount", "files")

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = [*services.remaining_rungs(agreement.status), Step.TERMINATED] if services.next_steps(
            agreement) else []
        for step in self.steps:
            self.fields[f"{step}_date"] = forms.DateField(
                label=_("date"), required=False, widget=forms.DateInput())
            self.fields[f"{step}_note"] = forms.CharField(
                label=_("evidence"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"{step}_reference"] = forms.CharField(
                label=_("document reference"), required=False, max_length=100)
            if step == Step.FUNDS_ARRIVED:
                self.fields[f"{step}_amount"] = forms.DecimalField(
                    label=_("amount arrived (yuan)"), required=False, max_digits=14, decimal_places=2,
                    min_value=Decimal("0.01"))
            # Empty files reach the service, whose message names the file.
            self.fields[f"{step}_files"] = MultipleFileField(label=_("attachments"), required=False,
                                                             allow_empty_file=True)
        style_widgets(self)

    def rows(self):
        """(step label, bound fields of the row) for the template."""
        for step in self.steps:
            yield step.label, [self[f"{step}_{name}"] for name in self.ROW_FIELDS if f"{step}_{name}" in self.fields]

    def entries(self) -> list[services.StepEntry]:
        """The filled rows, in ladder order, as plain values for the service."""
        data = self.cleaned_data
        found = []
        for step in self.steps:
            values = {name: data.get(f"{step}_{name}") for name in self.ROW_FIELDS}
            if not any(values.values()):
                continue
            found.append(services.StepEntry(step=step, date=values["date"], note=values["note"] or "",
                                            reference=values["reference"] or "", amount=values["amount"],
                                            files=values["files"] or []))
        return found

    def errors_text(self) -> str:
        """The errors as one line naming the step and the field: "资金到位·到位金额（元）: …"."""
        parts = []
        for key, errors in self.errors.items():
            text = " ".join(str(e) for e in errors)
            if key in self.fields:
                step = Step(key.rsplit("_", 1)[0])
                parts.append(f"{step.label}·{self.fields[key].label}: {text}")
            else:
                parts.append(text)
        return "；".join(parts)
