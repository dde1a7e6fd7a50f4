"""督办事项: the supervision task registry — its declaration, the ladder's steps on a task's page (detail
actions, rules in `services`), the attachments' download and the source record's link."""

from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiti.agreements.services import max_attachment_bytes
from yiti.core.access import ROLE_ACTIONS, user_may
from yiti.core.actions import DetailAction
from yiti.core.display import detail_rows
from yiti.core.registry import ImportOptions, Menu, MenuGroup, Registry
from yiti.core.views import record_for
from yiti.supervision import forms, services
from yiti.supervision.choices import OPEN_STATUSES, TaskStatus
from yiti.supervision.filtersets import TaskFilterSet
from yiti.supervision.models import Attachment, Task
from yiti.supervision.tables import TaskTable, light_badge

# The 督办 group of the left menu: the task list here; 我的待办 and 汇总 join it (yiti.supervision.apps).
SUPERVISION = MenuGroup(gettext_lazy("Supervision"), 55)


def _step(name: str, path_: str, form, service, success, failure) -> DetailAction:
    # The task must be visible to the user (its departments see it beyond their scope) and the role must work on
    # tasks (a leader reads only); which department takes the step is the ladder's rule, checked by the service.
    return DetailAction(name=name, path=path_, form=form, service=service, context_name=f"{name}_form",
                        anchor="ladder" if name != "split" else "subtasks", permission="view", role_action="change",
                        form_kwargs=lambda request, task: {"task": task},
                        success_message=success, failure_message=failure)


STEP_ACTIONS = (
    _step("receive", "receive/", forms.ReceiveForm, services.receive, gettext_lazy("Task received."),
          gettext_lazy("The task was not received: %(errors)s")),
    _step("start", "start/", forms.StartForm, services.start, gettext_lazy("Work on the task has started."),
          gettext_lazy("The task was not started: %(errors)s")),
    _step("report", "reports/add/", forms.ReportForm, services.report_progress,
          gettext_lazy("Progress report recorded."), gettext_lazy("The progress report was not recorded: %(errors)s")),
    _step("complete", "complete/", forms.CompleteForm, services.complete,
          gettext_lazy("Completion reported: the assigning office now checks it and closes the task."),
          gettext_lazy("The task was not completed: %(errors)s")),
    _step("close", "close/", forms.CloseForm, services.close, gettext_lazy("Task closed."),
          gettext_lazy("The task was not closed: %(errors)s")),
    _step("return_task", "return/", forms.ReturnForm, services.return_task,
          gettext_lazy("Task returned to the lead department."), gettext_lazy("The task was not returned: %(errors)s")),
    _step("split", "split/", forms.SplitForm, services.split, gettext_lazy("Sub-tasks created."),
          gettext_lazy("The task was not split: %(errors)s")),
)
LADDER = (TaskStatus.ASSIGNED, TaskStatus.RECEIVED, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CLOSED)


def source_link(task: Task, user) -> str:
    """The record a task comes from, as a link to its page — named and linked only if the user may view it."""
    if not task.source_key:
        return "—"
    match = services.SOURCE_KEY.match(task.source_key)
    if match is None:
        return task.source_key
    kind, pk = match.group(1), int(match.group(2))
    model = services.source_models()[kind]
    if kind == "item":
        found = model.objects.visible(user).filter(pk=pk).first()
        url = reverse("matching:item_detail", args=[pk]) if found else ""
        label = f"{model._meta.verbose_name} #{pk}"
    else:
        found = model._default_manager.restrict(user, "view").filter(pk=pk).first()
        url, label = (found.get_absolute_url(), str(found)) if found is not None else ("", "")
    if found is None:
        return _("%(kind)s #%(pk)s (not in your scope, or deleted)") % {"kind": model._meta.verbose_name, "pk": pk}
    return format_html('<a href="{}">{}</a>', url, label)


def parent_link(task: Task, user) -> str:
    """The parent task, linked when the user may view it (a county's officer may not see the city's task)."""
    parent = task.parent
    if parent is None:
        return "—"
    if Task.objects.restrict(user, "view").filter(pk=parent.pk).exists():
        return format_html('<a href="{}">{}</a>', parent.get_absolute_url(), parent)
    return str(parent)


DETAIL_FIELDS = ("title", "status", "light", "source", "source_key", "division", "organisation",
                 "assigning_department", "lead_department", "co_departments", "responsible", "assigned_on",
                 "deadline", "received_on", "done_on", "closed_on", "evaluation", "escalated", "parent",
                 "description", "created_by", "created_at", "updated_at")


def task_context(request, task: Task) -> dict:
    user = request.user
    fields = detail_rows(task, list(DETAIL_FIELDS), request)
    special = {"light": light_badge(task), "source_key": source_link(task, user), "parent": parent_link(task, user)}
    labels = {"deadline": _("time limit")}  # 办结时限, where other registries' deadlines read 截止日期
    fields = [(labels.get(name, label), special.get(name, value))
              for name, (label, value) in zip(DETAIL_FIELDS, fields, strict=True)]
    steps = services.allowed_steps(task, user)
    # A refused step comes back bound to the user's input instead (yiti.core.actions.render_detail).
    step_forms = {action.context_name: action.form(task=task) if action.name in steps else None  # type: ignore[call-arg]
                  for action in STEP_ACTIONS}
    subtasks = (Task.objects.restrict(user, "view").filter(parent=task)
                .select_related("division", "lead_department").order_by("division__code", "pk"))
    finished, total = services.subtask_progress(task)
    position = LADDER.index(TaskStatus(task.status))
    # Edit and delete buttons for the assigning office only (services.may_edit); the lead department works
    # through the ladder's steps below.
    may_edit = services.may_edit(task, user)
    return {
        "may_change": may_edit and user_may(user, Task, "change"),
        "may_delete": may_edit and user_may(user, Task, "delete"),
        "fields": fields,
        "ladder": [(TaskStatus(s).label, n == position) for n, s in enumerate(LADDER)],
        "waiting_for": waiting_for(task, steps),
        "reports": task.reports.select_related("author__department", "author__organisation")
        .prefetch_related("attachments").order_by("date", "pk"),
        "subtasks": [(sub, light_badge(sub)) for sub in subtasks],
        "progress": {"finished": finished, "total": total},
        "attachment_limit": filesizeformat(max_attachment_bytes()),
        "is_open": task.status in OPEN_STATUSES,
        **step_forms,
    }


def waiting_for(task: Task, steps: set[str]) -> str:
    """Who acts next, for a user who cannot: "等待牵头单位（榆次区科技局）接收"."""
    if steps - {"split"}:
        return ""
    if task.status == TaskStatus.ASSIGNED:
        return _("Waiting for the lead department (%(department)s) to receive the task.") % {
            "department": task.lead_department}
    if task.status in (TaskStatus.RECEIVED, TaskStatus.IN_PROGRESS):
        return _("The lead department (%(department)s) is working on the task.") % {"department": task.lead_department}
    if task.status == TaskStatus.DONE:
        return _("Waiting for the assigning office (%(department)s) to close or return the task.") % {
            "department": task.assigning_department}
    return ""


def attachment(request, pk: int, attachment_pk: int):
    """A report's file, to users who may view the task (its scope, or its departments): a logged 404 otherwise."""
    task = record_for(request, Task, pk, "view")
    found = get_object_or_404(Attachment, pk=attachment_pk, report__task=task)
    return found.download()


registry = Registry(
    model=Task,
    filterset=TaskFilterSet,
    table=TaskTable,
    form=forms.TaskForm,
    division_path="division",
    organisation_path="organisation",
    menu=Menu(SUPERVISION, gettext_lazy("Supervision tasks"), 10),
    # Organisation contacts have no access to tasks (a task is the offices' work, not the enterprise's);
    # staff work on them within their scope, leaders read them.
    role_actions={**ROLE_ACTIONS, "org_contact": frozenset()},
    # Edited and deleted by the assigning office only; the lead department works through the ladder's steps.
    write_rule=services.editable,
    select_related=("division", "lead_department"),
    detail_fields=DETAIL_FIELDS,
    detail_template="supervision/task_detail.html",
    detail_extra=task_context,
    # Sub-tasks are listed by the task's own page with their progress; not again as a related list.
    related_titles={"parent": None},
    actions=STEP_ACTIONS,
    extra_urls=[path("<int:pk>/attachments/<int:attachment_pk>/", attachment, name="task_attachment")],
    imports=ImportOptions(keys=(("title", "assigned_on"),), notes_field="description", check=services.import_check,
                          after_create=services.assigned_on_import),
)
