from django import forms
from django.utils.translation import gettext_lazy as _

from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import RegistryForm
from yiti.core.lookups import LookupField, LookupMultipleField
from yiti.core.models import Division, Industry
from yiti.orgs.models import Organisation
from yiti.platforms.models import Platform


class PlatformForm(RegistryForm):
    host = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"), label=_("host organisation"))
    partners = LookupMultipleField(Organisation.objects.all(), natural_keys=("name", "credit_code"), required=False,
                                   label=_("partner organisations"))
    division = GroupedCodeChoiceField(Division.objects.all(), required=False, label=_("division"))
    industry = GroupedCodeChoiceField(Industry.objects.all(), required=False, label=_("industry"))

    class Meta:
        model = Platform
        fields = ["name", "platform_type", "level", "status", "host", "partners", "division", "industry",
                  "applied_date", "listed_date", "accredited_date", "renewal_due", "description"]
        widgets: dict[str, forms.Widget] = {
            f: forms.DateInput() for f in ("applied_date", "listed_date", "accredited_date", "renewal_due")
        }
        widgets["description"] = forms.Textarea(attrs={"rows": 3})
