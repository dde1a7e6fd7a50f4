import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiti.core.access import user_may
from yiti.core.display import detail_rows
from yiti.core.forms import errors_text
from yiti.core.navigation import TALENT_DATABASE
from yiti.core.registry import ImportOptions, Menu, Registry
from yiti.core.views import record_for, render_detail
from yiti.experts import services
from yiti.experts.filtersets import ExpertRoleFilterSet
from yiti.experts.forms import AssignmentForm, ExpertRoleForm
from yiti.experts.models import ExpertRole
from yiti.experts.tables import ExpertRoleTable


def assignment_context(request, role: ExpertRole) -> dict:
    today = datetime.date.today()
    # The expert's discipline and expertise (kept on the talent) right after the talent's name.
    fields = detail_rows(role, list(registry.detail_fields), request)
    fields[1:1] = detail_rows(role.talent, ["discipline", "expertise"], request)
    return {
        "fields": fields,
        "assignments": role.assignments.select_related("organisation"),
        "load": services.active_assignments(role, today).count(),
        "assignment_form": AssignmentForm(user=request.user) if user_may(request.user, ExpertRole, "change") else None,
    }


@require_POST
def add_assignment(request, pk: int):
    role = record_for(request, ExpertRole, pk)
    form = AssignmentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.assign(role, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
    if form.errors:
        messages.error(request, _("The assignment was not saved: %(errors)s") % {"errors": errors_text(form)})
        return render_detail(request, registry, role, assignment_form=form)  # keeps what was typed
    messages.success(request, _("Assignment saved."))
    return HttpResponseRedirect(role.get_absolute_url() + "#assignments")


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
    extra_urls=[path("<int:pk>/assignments/add/", add_assignment, name="expertrole_add_assignment")],
    imports=ImportOptions(keys=(("talent", "role"),), notes_field="notes"),
)
