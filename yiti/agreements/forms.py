import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.agreements import services
from yiti.agreements.models import Agreement, Evidence
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

    def clean_parties(self):
        parties = self.cleaned_data["parties"]
        if parties.count() < 2:
            raise ValidationError(_("An agreement has at least two parties."))
        return parties

    def clean_signed_date(self):
        signed = self.cleaned_data["signed_date"]
        if signed > datetime.date.today():
            raise ValidationError(_("The signing date cannot lie in the future."))
        if self.instance.pk:
            first = self.instance.evidence.exclude(step="signed").order_by("date").values_list("date", flat=True).first()
            if first and signed > first:
                raise ValidationError(_("The signing date cannot lie after the evidence of later steps (%(date)s).")
                                      % {"date": first.isoformat()})
        return signed

    def save_record(self):
        if self.instance.pk is None:
            return services.create_agreement(self, self.user)
        record = super().save_record()
        record.evidence.filter(step="signed").update(date=record.signed_date)
        return record


class StepForm(forms.ModelForm):
    """Records the next step of an agreement with its evidence."""

    class Meta:
        model = Evidence
        fields = ["step", "date", "note", "reference"]
        widgets = {"date": forms.DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        step = self.fields["step"]
        assert isinstance(step, forms.ChoiceField)
        step.choices = [(s.value, s.label) for s in services.next_steps(agreement)]
        self.fields["date"].initial = timezone.localdate()
        style_widgets(self)
