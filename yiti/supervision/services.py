"""The supervision ladder (督办): 交办 → 已接收 → 办理中 → 已办结 → 已销号, or 退回 from 已办结 to 办理中;
分解 of a task into sub-tasks per county; progress reports with attachments.

Who may take a step is a rule of the ladder and is checked here, not by the page: the lead department
receives (接收), starts, reports and completes (办结, with a completion report); the co-operating departments
and the responsible person report progress too; the assigning office alone closes (销号, with an evaluation)
or returns (退回, with a reason). A leader reads only. Every function takes plain values, raises a
`ValidationError` with a stable code (keyed by the form field it concerns where there is one) and writes in
one transaction: a refusal writes nothing, not even an attachment file.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yiti.accounts.models import Department
from yiti.agreements.services import check_attachment
from yiti.core.access import role_allows
from yiti.supervision.choices import OPEN_STATUSES, Evaluation, ReportKind, TaskStatus
from yiti.supervision.models import Attachment, Report, Task

# A task's source record, "<kind>:<id>" (the keys of yiti.matching.documents, plus agreements and matching items).
SOURCE_KEY = re.compile(r"^(agreement|need|platform|item|result|talent|org):([1-9]\d{0,17})$")
FINISHED_STATUSES = (TaskStatus.DONE, TaskStatus.CLOSED)

# The steps of a task's page, the statuses each is open in, and who takes it (see `allowed_steps`).
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "receive": ((TaskStatus.ASSIGNED,), "lead"),
    "start": ((TaskStatus.RECEIVED,), "lead"),
    "report": ((TaskStatus.RECEIVED, TaskStatus.IN_PROGRESS), "worker"),
    "complete": ((TaskStatus.IN_PROGRESS,), "lead"),
    "close": ((TaskStatus.DONE,), "assigning"),
    "return_task": ((TaskStatus.DONE,), "assigning"),
    "split": (OPEN_STATUSES, "lead_or_assigning"),
}


def _error(errors: dict[str, list[ValidationError]], key: str, message: str, code: str) -> None:
    errors.setdefault(key, []).append(ValidationError(message, code=code))


def _raise(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


# ---- the task's own values (the edit form and the import) -----------------------------------------------

def check_task(values: dict[str, Any], task: Task | None = None) -> None:
    """The rules of a task's values, for the edit form, the import and the services below; only the values given
    are checked. Codes: "deadline_before_assigned", "future" (assigned after today), "source_key" (not a record
    key), "source_missing" (no such record), "lead_also_co" (the lead department listed as co-operating too)."""
    errors: dict[str, list[ValidationError]] = {}
    assigned, deadline = values.get("assigned_on"), values.get("deadline")
    if task is not None:
        assigned = assigned if "assigned_on" in values else task.assigned_on
        deadline = deadline if "deadline" in values else task.deadline
    today = timezone.localdate()
    if values.get("assigned_on") and values["assigned_on"] > today:
        # "future" carries its date and today as params: forms reword it to name the field (name_the_field).
        errors.setdefault("assigned_on", []).append(ValidationError(
            _("The assignment date %(value)s lies after today (%(today)s): a task is assigned on the day it is "
              "handed over."), code="future", params={"value": values["assigned_on"].isoformat(),
                                                      "today": today.isoformat()}))
    if assigned and deadline and deadline < assigned:
        _error(errors, "deadline", _("The deadline %(deadline)s lies before the assignment date %(assigned)s.")
               % {"deadline": deadline.isoformat(), "assigned": assigned.isoformat()}, "deadline_before_assigned")
    key = (values.get("source_key") or "").strip()
    if key:
        match = SOURCE_KEY.match(key)
        if match is None:
            _error(errors, "source_key", _("“%(key)s” is not a record key: write the kind and the number, such as "
                                           "agreement:12, need:7, platform:3 or item:41.") % {"key": key}, "source_key")
        elif not source_exists(match.group(1), int(match.group(2))):
            _error(errors, "source_key", _("There is no record %(key)s.") % {"key": key}, "source_missing")
    lead = values.get("lead_department")
    co = values.get("co_departments")
    if lead is not None and co and _pk(lead) in {_pk(d) for d in co}:
        _error(errors, "co_departments", _("The lead department %(department)s is listed among the co-operating "
                                           "departments too; leave it out there.") % {"department": lead},
               "lead_also_co")
    _raise(errors)


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def source_models() -> dict[str, Any]:
    """Kind of a source key → its model. Imported here: these apps sit beside supervision, not below it."""
    from yiti.agreements.models import Agreement
    from yiti.matching.models import MatchingItem
    from yiti.needs.models import Need
    from yiti.orgs.models import Organisation
    from yiti.platforms.models import Platform
    from yiti.results.models import Result
    from yiti.talents.models import Talent

    return {"agreement": Agreement, "need": Need, "platform": Platform, "item": MatchingItem, "result": Result,
            "talent": Talent, "org": Organisation}


def source_exists(kind: str, pk: int) -> bool:
    return source_models()[kind]._default_manager.filter(pk=pk).exists()


def _write(task: Task, values: dict[str, Any], co_departments: Any) -> Task:
    check_task(values if co_departments is None else {**values, "co_departments": co_departments}, task)
    for name, value in values.items():
        setattr(task, name, value)
    task.source_key = (task.source_key or "").strip()
    task.full_clean(exclude=["search_text"])
    task.save()
    if co_departments is not None:
        task.co_departments.set(co_departments)
    return task


@transaction.atomic
def create_task(*, user: Any, co_departments: Any = (), **values: Any) -> Task:
    """交办: a new task on the first rung of the ladder (whatever status the values carry)."""
    return _write(Task(created_by=user, status=TaskStatus.ASSIGNED), values, co_departments)


@transaction.atomic
def update_task(task: Task, *, co_departments: Any = None, **values: Any) -> Task:
    """Change the values given; never the status, which moves only along the ladder below."""
    values.pop("status", None)
    return _write(task, values, co_departments)


def import_check(values: dict) -> dict[str, str]:
    """`check_task` for a spreadsheet row, as the import reports errors: field → message."""
    try:
        check_task(values)
    except ValidationError as exc:
        return {name: " ".join(m for e in errors for m in e.messages) for name, errors in exc.error_dict.items()}
    return {}


def assigned_on_import(tasks: list[Task], user: Any) -> None:
    """Imported tasks start at 交办 like those entered by hand: a spreadsheet cannot put a task further up the
    ladder (each later step has its own date, its department and, from 已办结 on, its report)."""
    if tasks:
        Task.objects.filter(pk__in=[t.pk for t in tasks]).exclude(status=TaskStatus.ASSIGNED).update(
            status=TaskStatus.ASSIGNED)
        for task in tasks:
            task.status = TaskStatus.ASSIGNED


# ---- who may take which step ---------------------------------------------------------------------------

def _works(user: Any) -> bool:
    """Whether the user's role takes steps at all (office staff; a leader or a contact does not)."""
    return bool(user is not None and user.is_authenticated and (user.is_superuser or role_allows(user, Task, "change")))


def _in(user: Any, department_ids: Iterable[int | None]) -> bool:
    return bool(user.department_id) and user.department_id in set(department_ids)


def _side_ok(task: Task, user: Any, side: str) -> bool:
    if user.is_superuser:
        return True
    if side == "lead":
        return _in(user, [task.lead_department_id])
    if side == "assigning":
        return _in(user, [task.assigning_department_id])
    if side == "lead_or_assigning":
        return _in(user, [task.lead_department_id, task.assigning_department_id])
    # "worker": the lead department, the co-operating departments and the responsible person
    if task.responsible_id is not None and task.responsible_id == user.pk:
        return True
    return _in(user, [task.lead_department_id, *task.co_departments.values_list("pk", flat=True)])


def may_edit(task: Task, user: Any) -> bool:
    """Whether `user` may change the task's own values (the edit form): the rule of `editable`, for one task."""
    if user is None:
        return False
    rule = editable(user)
    return rule is None or task.assigning_department_id == getattr(user, "department_id", None)


def editable(user: Any) -> Q | None:
    """The tasks `user` may edit or delete, beyond their scope (the registry's write rule, so the list's 编辑/删除
    links, the edit and delete pages and the detail page agree): those their department assigned. The city-wide
    office, which coordinates every task, superusers, and accounts whose access is an object grant alone (given
    by the security administrator, honoured as given) are not narrowed (None)."""
    if user.is_superuser or getattr(user, "role", "") != "staff" or getattr(user, "scope", "") == "city":
        return None
    department = getattr(user, "department_id", None)
    return Q(assigning_department_id=department) if department else Q(pk__in=[])


def allowed_steps(task: Task, user: Any) -> set[str]:
    """The steps `user` may take on `task` now (the forms its page offers them)."""
    if not _works(user):
        return set()
    found = {name for name, (statuses, side) in STEPS.items()
             if task.status in statuses and _side_ok(task, user, side)}
    if task.parent_id is not None:
        found.discard("split")  # one level of sub-tasks: a county's part is not split again
    return found


SIDE_MESSAGES = {  # (msgid, code)
    "lead": (gettext_noop("Only the lead department (%(department)s) takes this step."), "not_lead_department"),
    "assigning": (gettext_noop("Only the assigning office (%(department)s) closes or returns a task."), "not_assigning_office"),
    "lead_or_assigning": (gettext_noop("Only the lead department (%(department)s) or the assigning office splits "
                                       "a task."),
                          "not_lead_department"),
    "worker": (gettext_noop("Only the lead department (%(department)s), the co-operating departments and the "
                            "responsible person report progress."), "not_working_on_task"),
}


def check_step(task: Task, user: Any, step: str) -> None:
    """Refuse a step the user may not take now: a read-only role, another department, the wrong rung."""
    statuses, side = STEPS[step]
    if not _works(user):
        raise ValidationError(_("Your account reads supervision tasks only; it takes no step of the ladder."),
                              code="read_only")
    if task.status not in statuses:
        raise ValidationError(_("This step cannot be taken on a task that is “%(status)s”.")
                              % {"status": task.get_status_display()}, code="wrong_status")
    if not _side_ok(task, user, side):
        message, code = SIDE_MESSAGES[side]
        department = task.assigning_department if side == "assigning" else task.lead_department
        raise ValidationError(_(message) % {"department": department}, code=code)


def _locked(task: Task) -> Task:
    """The task's row, locked until the transaction ends, as it is now (another user may have moved it)."""
    return Task.objects.select_for_update().select_related("lead_department", "assigning_department").get(pk=task.pk)


def _check_date(errors: dict, date: datetime.date | None, earliest: datetime.date | None, earliest_label: str,
                key: str = "date") -> None:
    today = timezone.localdate()
    if date is None:
        _error(errors, key, _("Give the date."), "required")
    elif date > today:
        errors.setdefault(key, []).append(ValidationError(_("The date %(value)s lies after today (%(today)s)."),
                                                          code="future", params={"value": date.isoformat(),
                                                                                 "today": today.isoformat()}))
    elif earliest is not None and date < earliest:
        _error(errors, key, _("The date %(date)s lies before %(what)s (%(earliest)s).")
               % {"date": date.isoformat(), "what": earliest_label, "earliest": earliest.isoformat()}, "too_early")


def _check_text(errors: dict, text: str | None, key: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        _error(errors, key, message, "required")
    return text


def _check_files(errors: dict, files: Sequence[Any]) -> None:
    for upload in files:
        try:
            check_attachment(upload.name, upload.size, upload)
        except ValidationError as exc:
            errors.setdefault("files", []).extend(exc.error_list)


@contextmanager
def _files_removed_on_failure():
    """Attachment files written inside the block are deleted again if it fails: the database rolls back its
    rows, and the disk must not keep files no row names."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def _report(task: Task, kind: str, date: datetime.date, text: str, user: Any, files: Sequence[Any] = (),
            written: list[str] | None = None) -> Report:
    report = Report.objects.create(task=task, kind=kind, date=date, text=text, author=user)
    for upload in files:
        upload.seek(0)
        attachment = Attachment(report=report, name=Path(upload.name).name[:200], size=upload.size, uploaded_by=user)
        attachment.file.save(upload.name, File(upload), save=False)
        if written is not None:
            written.append(str(attachment.file.name))
        attachment.save()
    return report


def _save(task: Task, *fields: str) -> None:
    task.save(update_fields=[*fields, "updated_at"])


# ---- the ladder ----------------------------------------------------------------------------------------

@transaction.atomic
def receive(task: Task, *, user: Any, date: datetime.date | None = None) -> Task:
    """已接收: the lead department acknowledges the task (on `date`, today by default)."""
    task = _locked(task)
    check_step(task, user, "receive")
    date = date or timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}
    _check_date(errors, date, task.assigned_on, _("the assignment date"))
    _raise(errors)
    task.status, task.received_on = TaskStatus.RECEIVED, date
    _save(task, "status", "received_on")
    return task


@transaction.atomic
def start(task: Task, *, user: Any) -> Task:
    """办理中: the lead department starts work (a progress report on a received task does the same)."""
    task = _locked(task)
    check_step(task, user, "start")
    task.status = TaskStatus.IN_PROGRESS
    _save(task, "status")
    return task


def report_progress(task: Task, *, user: Any, date: datetime.date | None, text: str,
                    files: Sequence[Any] = ()) -> Report:
    """A progress report (date not in the future, text, attachments); on a received task work has begun, so it
    moves to 办理中."""
    with _files_removed_on_failure() as written, transaction.atomic():
        task = _locked(task)
        check_step(task, user, "report")
        errors: dict[str, list[ValidationError]] = {}
        _check_date(errors, date, task.assigned_on, _("the assignment date"))
        text = _check_text(errors, text, "text", _("Describe the progress."))
        _check_files(errors, files)
        _raise(errors)
        assert date is not None
        report = _report(task, ReportKind.PROGRESS, date, text, user, files, written)
        if task.status == TaskStatus.RECEIVED:
            task.status = TaskStatus.IN_PROGRESS
            _save(task, "status")
        return report


def open_subtasks(task: Task) -> list[Task]:
    return list(task.subtasks.filter(status__in=OPEN_STATUSES).select_related("division").order_by("division__code"))


def subtask_progress(task: Task) -> tuple[int, int]:
    """(finished, total) of a task's sub-tasks: 已办结 or 已销号 out of all of them."""
    statuses = list(task.subtasks.values_list("status", flat=True))
    return sum(s in FINISHED_STATUSES for s in statuses), len(statuses)


def complete(task: Task, *, user: Any, date: datetime.date | None, text: str, files: Sequence[Any] = ()) -> Report:
    """已办结: the lead department's completion report (text, optional attachments). Refused while a sub-task
    is open."""
    with _files_removed_on_failure() as written, transaction.atomic():
        task = _locked(task)
        check_step(task, user, "complete")
        still_open = open_subtasks(task)
        if still_open:
            counties = "、".join(dict.fromkeys(str(t.division) for t in still_open))
            raise ValidationError(
                _("%(n)s sub-tasks are still open (%(counties)s): the task can be completed once every sub-task is "
                  "done.") % {"n": len(still_open), "counties": counties}, code="subtasks_open")
        errors: dict[str, list[ValidationError]] = {}
        _check_date(errors, date, task.received_on or task.assigned_on, _("the date the task was received"))
        text = _check_text(errors, text, "text", _("Write the completion report: what was done and with what result."))
        _check_files(errors, files)
        _raise(errors)
        assert date is not None
        report = _report(task, ReportKind.COMPLETION, date, text, user, files, written)
        task.status, task.done_on = TaskStatus.DONE, date
        _save(task, "status", "done_on")
        return report


def completion_report(task: Task) -> Report | None:
    """The completion report the task now stands on: the last one, unless a return came after it."""
    last = task.reports.filter(kind__in=(ReportKind.COMPLETION, ReportKind.RETURN)).order_by("-pk").first()
    return last if last is not None and last.kind == ReportKind.COMPLETION else None


@transaction.atomic
def close(task: Task, *, user: Any, date: datetime.date | None, evaluation: str, text: str = "") -> Report:
    """已销号: the assigning office closes the task with an evaluation (好/较好/一般/差). Refused without a
    completion report."""
    task = _locked(task)
    check_step(task, user, "close")
    if completion_report(task) is None:
        raise ValidationError(_("The task has no completion report: it cannot be closed. Return it to the lead "
                                "department instead."), code="no_completion_report")
    errors: dict[str, list[ValidationError]] = {}
    if evaluation not in Evaluation.values:
        _error(errors, "evaluation", _("Choose the evaluation: good, fairly good, fair or poor."), "evaluation")
    _check_date(errors, date, task.done_on, _("the date the task was done"))
    _raise(errors)
    assert date is not None
    label = Evaluation(evaluation).label
    note = (text or "").strip()
    report = _report(task, ReportKind.CLOSING, date,
                     _("Closed with the evaluation “%(evaluation)s”.") % {"evaluation": label}
                     + (f" {note}" if note else ""), user)
    task.status, task.closed_on, task.evaluation = TaskStatus.CLOSED, date, evaluation
    _save(task, "status", "closed_on", "evaluation")
    return report


@transaction.atomic
def return_task(task: Task, *, user: Any, date: datetime.date | None, reason: str) -> Report:
    """退回: the assigning office sends a completed task back to 办理中, with the reason."""
    task = _locked(task)
    check_step(task, user, "return_task")
    errors: dict[str, list[ValidationError]] = {}
    reason = _check_text(errors, reason, "reason", _("Give the reason for returning the task."))
    _check_date(errors, date, task.done_on, _("the date the task was done"))
    _raise(errors)
    assert date is not None
    report = _report(task, ReportKind.RETURN, date, reason, user)
    task.status, task.done_on = TaskStatus.IN_PROGRESS, None
    _save(task, "status", "done_on")
    return report


# ---- 分解 -----------------------------------------------------------------------------------------------

def split_departments(task: Task) -> Any:
    """The departments a task may be split to: those of a county within the task's division that do the work —
    not a node with departments below it (the county "榆次区" above 榆次区科技局)."""
    prefix = task.division.descendant_codes_prefix()
    return (Department.objects.filter(division__level="county", division__code__startswith=prefix,
                                      children__isnull=True)
            .select_related("division").order_by("division__code", "name"))


@transaction.atomic
def split(task: Task, *, user: Any, departments: Sequence[Any], assigned_on: datetime.date | None = None,
          deadline: datetime.date | None = None) -> list[Task]:
    """分解: one sub-task per chosen county department, led by it, in its county, assigned by the parent's lead
    department (which checks and closes them) and due by the parent's deadline unless another is given."""
    task = _locked(task)
    check_step(task, user, "split")
    if task.parent_id is not None:
        raise ValidationError(_("A sub-task is not split again."), code="nested")
    assigned_on = assigned_on or timezone.localdate()
    deadline = deadline or task.deadline
    errors: dict[str, list[ValidationError]] = {}
    if not departments:
        _error(errors, "departments", _("Choose at least one county department."), "required")
    allowed = {d.pk for d in split_departments(task)}
    taken = set(task.subtasks.values_list("lead_department_id", flat=True))
    chosen = list(Department.objects.filter(pk__in=[_pk(d) for d in departments]).select_related("division")
                  .order_by("division__code", "name"))
    for department in chosen:
        if department.pk not in allowed:
            _error(errors, "departments", _("%(department)s is not a department of a county within %(division)s.")
                   % {"department": department, "division": task.division}, "not_county")
        elif department.pk in taken:
            _error(errors, "departments", _("%(department)s already has a sub-task of this task.")
                   % {"department": department}, "duplicate")
    _check_date(errors, assigned_on, task.assigned_on, _("the parent task's assignment date"), key="assigned_on")
    if deadline < assigned_on:
        _error(errors, "deadline", _("The deadline %(deadline)s lies before the assignment date %(assigned)s.")
               % {"deadline": deadline.isoformat(), "assigned": assigned_on.isoformat()}, "deadline_before_assigned")
    _raise(errors)
    created = []
    for department in chosen:
        suffix = f"（{department.division.name}）"
        organisation = task.organisation if task.organisation and task.organisation.division_id == \
            department.division_id else None
        sub = Task(title=task.title[: 200 - len(suffix)] + suffix, source=task.source, source_key=task.source_key,
                   description=task.description, parent=task, division=department.division,
                   organisation=organisation, assigning_department_id=task.lead_department_id,
                   lead_department=department, assigned_on=assigned_on, deadline=deadline,
                   status=TaskStatus.ASSIGNED, created_by=user)
        sub.save()
        created.append(sub)
    return created

