from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.accounts.models import Department
from yiti.core.filtersets import DivisionChoiceField
from yiti.core.forms import RegistryForm, style_widgets
from yiti.core.lookups import LookupField
from yiti.core.models import Division
from yiti.orgs.models import Organisation
from yiti.policies.models import BenefitItem, Policy
from yiti.talents.models import Talent

RULES_HELP = _("One condition a line: field, operator, value — such as “cultivation stage in tech-based SME, "
               "high-tech enterprise” or “age ≤ 35”. Operators: = ≠ in, not in, > ≥ < ≤; several values are "
               "separated by commas. Every condition must hold.")


class PolicyForm(RegistryForm):
    division = DivisionChoiceField(Division.objects.all(), label=_("division"))
    granting_department = forms.ModelChoiceField(Department.objects.order_by("name"), label=_("granting office"))
    # The rules as text, one condition a line: Policy.clean reads it (rules.parse_text), as it reads an import's cell.
    rules = forms.CharField(label=_("eligibility rules"), required=False, help_text=RULES_HELP,
                            widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)

    class Meta:
        model = Policy
        fields = ["title", "doc_number", "issuing_department", "division", "granting_department", "kind", "subject",
                  "effective_from", "effective_to", "target_group", "conditions_text", "standard", "handling_office",
                  "office_phone", "time_limit", "rules"]
        widgets: dict[str, forms.Widget] = {f: forms.DateInput() for f in ("effective_from", "effective_to")}
        widgets.update({f: forms.Textarea(attrs={"rows": 3})
                        for f in ("target_group", "conditions_text", "standard")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["rules"] = self.instance.get_rules_text()

    def clean_rules(self) -> str:
        return self.cleaned_data.get("rules") or ""


class ItemForm(forms.ModelForm):
    class Meta:
        model = BenefitItem
        fields = ["name", "amount_min", "amount_max", "unit", "interest_share"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("policy", None)
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ApplyForm(forms.Form):
    organisation = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"), required=False,
                               label=_("organisation"))
    talent = LookupField(Talent.objects.all(), natural_keys=("name",), required=False, label=_("talent"))
    item = forms.ModelChoiceField(BenefitItem.objects.none(), required=False, label=_("benefit item"))
    requested_amount = forms.DecimalField(label=_("amount applied for"), required=False, min_value=0,
                                          max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("notes"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, policy: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("organisation", "talent"):
            field = self.fields[name]
            field.queryset = field.queryset.restrict(user, "view", pooled=False)  # type: ignore[attr-defined]
        if policy is not None:
            self.fields["item"].queryset = policy.items.all()  # type: ignore[attr-defined]
            self.fields.pop("talent" if policy.subject == "organisation" else "organisation")
        style_widgets(self)


class CheckForm(forms.Form):
    """Which record to evaluate a policy for."""

    organisation = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"), required=False,
                               label=_("organisation"))
    talent = LookupField(Talent.objects.all(), natural_keys=("name",), required=False, label=_("talent"))

    def __init__(self, *args: Any, policy: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("organisation", "talent"):
            field = self.fields[name]
            field.queryset = field.queryset.restrict(user, "view")  # type: ignore[attr-defined]
        if policy is not None:
            self.fields.pop("talent" if policy.subject == "organisation" else "organisation")
        style_widgets(self)


class ApproveForm(forms.Form):
    amount = forms.DecimalField(label=_("amount approved"), min_value=0, max_digits=14, decimal_places=2)
    approved_on = forms.DateField(label=_("approved on"), required=False, widget=forms.DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
