from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiti.accounts.models import Department, User
from yiti.agreements.forms import MultipleFileField
from yiti.core.filtersets import GroupedCodeChoiceField
from yiti.core.forms import CheckboxGrid, NamedErrorsMixin, RegistryForm, style_widgets
from yiti.core.lookups import LookupField
from yiti.core.models import Division
from yiti.orgs.models import Organisation
from yiti.supervision import services
from yiti.supervision.choices import Evaluation
from yiti.supervision.models import Task


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)  # "刘洋（晋中市委人才办）"


class TaskForm(RegistryForm):
    """交办 and edits of a task's own values; its status moves only along the ladder (services)."""

    division = GroupedCodeChoiceField(Division.objects.all(), label=_("division"),
                                      help_text=_("The county the task belongs to; the city for a city-wide task."))
    organisation = LookupField(Organisation.objects.all(), natural_keys=("name", "credit_code"), required=False,
                               label=_("organisation concerned"))
    assigning_department = DepartmentChoiceField(Department.objects.all(), label=_("assigning office"),
                                                 help_text=_("The office that checks the completion and closes the "
                                                             "task."))
    lead_department = DepartmentChoiceField(Department.objects.all(), label=_("lead department"))
    co_departments = forms.ModelMultipleChoiceField(Department.objects.all(), required=False,
                                                    label=_("co-operating departments"))
    responsible = PersonChoiceField(User.objects.filter(role="staff", is_active=True).order_by("department", "pk"),
                                    required=False, label=_("responsible person"))

    class Meta:
        model = Task
        fields = ["title", "source", "source_key", "description", "division", "organisation", "assigning_department",
                  "lead_department", "co_departments", "responsible", "assigned_on", "deadline"]
        labels = {"deadline": _("time limit")}
        widgets = {"assigned_on": forms.DateInput(), "deadline": forms.DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"source_key": _("Optional: the record the task comes from, as agreement:12, need:7, "
                                      "platform:3 or item:41 (matching item).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            department = getattr(self.user, "department", None)
            self.initial.setdefault("assigning_department", department.pk if department else None)
            self.initial.setdefault("assigned_on", timezone.localdate())
            if department is not None and not self.initial.get("division"):
                self.initial["division"] = department.division_id

    def clean(self):
        data = super().clean()
        # Who may change the task is the registry's write rule (services.editable): the edit page of a task another
        # office assigned is not found, so the form never sees one.
        # The service's rules, checked here too so that they show beside their fields.
        values = {name: data[name] for name in ("assigned_on", "deadline", "source_key", "lead_department",
                                                "co_departments") if name in data}
        try:
            services.check_task(values, self.instance if self.instance.pk else None)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, errors)
        return data

    def save_record(self):
        values = {name: self.cleaned_data[name] for name in self._meta.fields}
        if self.instance.pk is None:
            return services.create_task(user=self.user, **values)
        return services.update_task(self.instance, **values)


def _date_field(label, initial_today: bool = True) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(), initial=timezone.localdate if initial_today else None)


class StepForm(NamedErrorsMixin, forms.Form):
    """Base of the ladder's small forms on a task's page; each error names its field ("销号评价为必填项")."""

    def __init__(self, *args, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        style_widgets(self)


class ReceiveForm(StepForm):
    date = _date_field(_("received on"))


class StartForm(StepForm):
    pass


class ReportForm(StepForm):
    """A progress report; the completion report has the same fields."""

    date = _date_field(_("date"))
    text = forms.CharField(label=_("progress"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    # Empty files reach the service, whose message names the file.
    files = MultipleFileField(label=_("attachments"), required=False, allow_empty_file=True)  # type: ignore[assignment]


class CompleteForm(ReportForm):
    date = _date_field(_("done on"))
    text = forms.CharField(label=_("completion report"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(StepForm):
    date = _date_field(_("closed on"))
    evaluation = forms.ChoiceField(label=_("evaluation"), choices=[("", _("Choose …")), *Evaluation.choices])
    text = forms.CharField(label=_("remarks"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StepForm):
    date = _date_field(_("returned on"))
    reason = forms.CharField(label=_("reason for returning"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class SplitDepartmentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return obj.name if obj.name.startswith(obj.division.name) else f"{obj.division.name} · {obj.name}"


class SplitForm(StepForm):
    """分解: the county departments that each get a sub-task, with its assignment date and deadline."""

    departments = SplitDepartmentsField(Department.objects.none(), label=_("county departments"),
                                        widget=CheckboxGrid)
    assigned_on = _date_field(_("assigned on"))
    deadline = forms.DateField(label=_("time limit"), widget=forms.DateInput(),
                               help_text=_("The parent task's deadline unless you change it."))

    def __init__(self, *args, task: Task | None = None, **kwargs):
        super().__init__(*args, task=task, **kwargs)
        if task is not None:
            taken = task.subtasks.values_list("lead_department_id", flat=True)
            self.fields["departments"].queryset = services.split_departments(task).exclude(pk__in=taken)  # type: ignore[attr-defined]
            self.fields["deadline"].initial = task.deadline
