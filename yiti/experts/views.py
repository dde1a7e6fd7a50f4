from django.utils import timezone
from django.utils.translation import gettext_lazy

from yiti.core.actions import DetailAction
from yiti.core.display import detail_rows
from yiti.core.navigation import TALENT_DATABASE
from yiti.core.registry import ImportOptions, Menu, Pool, Registry
from yiti.experts import services
from yiti.experts.filtersets import ExpertRoleFilterSet
from yiti.experts.forms import AssignmentForm, ExpertRoleForm
from yiti.experts.models import ExpertRole
from yiti.experts.tables import ExpertRoleTable

add_assignment = DetailAction(
    name="add_assignment", path="assignments/add/", form=AssignmentForm, service=services.assign,
    context_name="assignment_form", anchor="assignments",
    form_kwargs=lambda request, role: {"user": request.user},
    success_message=gettext_lazy("Assignment saved."),
    failure_message=gettext_lazy("The assignment was not saved: %(errors)s"),
)


def assignment_context(request, role: ExpertRole) -> dict:
    today = timezone.localdate()
    # The expert's discipline and expertise (kept on the talent) right after the talent's name.
    fields = detail_rows(role, list(registry.detail_fields), request)
    fields[1:1] = detail_rows(role.talent, ["discipline", "expertise"], request)
    return {
        "fields": fields,
        "assignments": role.assignments.select_related("organisation"),
        "load": services.active_assignments(role, today).count(),
        "assignment_form": add_assignment.blank_form(request, role),
    }


registry = Registry(
    model=ExpertRole,
    filterset=ExpertRoleFilterSet,
    table=ExpertRoleTable,
    form=ExpertRoleForm,
    division_path="talent__division",
    organisation_path="talent__organisation",
    menu=Menu(TALENT_DATABASE, gettext_lazy("Expert roles"), 20),
    batch_status="status",
    select_related=("talent", "talent__organisation", "talent__discipline"),
    detail_fields=("talent", "role", "capacity", "status", "start_date", "end_date", "notes", "created_at"),
    detail_template="experts/expertrole_detail.html",
    detail_extra=assignment_context,
    actions=(add_assignment,),
    imports=ImportOptions(keys=(("talent", "role"),), notes_field="notes"),
    # Active roles of experts whose profile is public; outside the scope without notes and assignments.
    pool=Pool(records=services.pooled_roles, fields=("talent", "role", "capacity", "status", "start_date", "end_date"),
              extra_rows=services.role_profile_rows, broad=True),
)
