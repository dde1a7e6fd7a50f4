"""In-app notifications (催办) and their e-mail copies.

Each notification names its event ("red:12:2026-12-01", "escalated:12:2026-12-02", "remind:12:2026-12-05"):
a user gets one notification per event (the unique constraint on (user, event)), so running the daily job
twice, or a signal and the job both noticing the same change, never notifies twice.

Who is told:
- on assignment, when yellow, when red (催办), on return and on a manual 催办: the responsible person and the
  active office staff acting for the lead department (its own; for a county department, also those of the
  offices under it: `acting_for`);
- on escalation: the staff acting for the upper department (the lead department's parent) and every leader.

E-mail: a copy goes to recipients with an address when `YITI_NOTIFY_BY_EMAIL` is on, which settings.py sets
when `YITI_EMAIL_HOST` is given (the SMTP server; Django's EMAIL_* settings are read from YITI_EMAIL_*).
A failed send is logged and leaves the in-app notification standing.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from yiti.accounts.models import Department, DepartmentKind, Role
from yiti.supervision import bulk
from yiti.supervision.choices import OPEN_STATUSES, TaskStatus
from yiti.supervision.models import Notification, Task

logger = logging.getLogger(__name__)
User = get_user_model()


def task_url(task_id: int) -> str:
    try:
        return reverse("supervision:task_detail", args=[task_id])
    except NoReverseMatch:  # the registry's pages are not mounted (a test without them)
        return ""


def acting_for(department_ids: Iterable[int]) -> dict[int, set[int]]:
    """The departments whose staff act for each department: itself and, for a county department (县区, which
    has no desk of its own in the demo's tree), every department under it (its 科技局, 人才办 …). A city or
    office department acts through its own staff only: a city-led task is not every county's."""
    ids = set(department_ids)
    counties = set(Department.objects.filter(pk__in=ids, kind=DepartmentKind.COUNTY).values_list("pk", flat=True))
    children: dict[int, list[int]] = defaultdict(list)
    if counties:
        for pk, parent in Department.objects.exclude(parent=None).values_list("pk", "parent_id"):
            children[parent].append(pk)
    tree = {}
    for root in ids:
        found, todo = {root}, [root] if root in counties else []
        while todo:
            for child in children[todo.pop()]:
                if child not in found:
                    found.add(child)
                    todo.append(child)
        tree[root] = found
    return tree


def staff_of(department_ids: Iterable[int]) -> dict[int, set[int]]:
    """The active office staff acting for each department (`acting_for`)."""
    tree = acting_for(department_ids)
    members: dict[int, set[int]] = defaultdict(set)
    everyone = set().union(*tree.values()) if tree else set()
    for user, dept in User.objects.filter(is_active=True, role=Role.STAFF, department__in=everyone).values_list(
            "pk", "department_id"):
        members[dept].add(user)
    return {root: set().union(*(members[d] for d in subtree)) for root, subtree in tree.items()}


def leaders() -> set[int]:
    return set(User.objects.filter(is_active=True, role=Role.LEADER).values_list("pk", flat=True))


def send(pairs: Iterable[tuple[int, int, str, str]]) -> int:
    """Create the notifications (user, task, event, text) that do not exist yet; returns how many were new.
    Set-based: one query for the existing ones, one bulk insert (conflicts ignored: a concurrent run)."""
    wanted = {(user, event): (task, text) for user, task, event, text in pairs}
    if not wanted:
        return 0
    existing: set[tuple[int, str]] = set()
    task_ids = sorted({task for task, _text in wanted.values()})
    for start in range(0, len(task_ids), 500):  # by task: the task's foreign-key index finds them
        existing.update(Notification.objects.filter(task_id__in=task_ids[start:start + 500])
                        .values_list("user_id", "event"))
    url_of = task_urls()
    rows = [{"user_id": user, "task_id": task, "event": event, "text": text[:300], "url": url_of(task)}
            for (user, event), (task, text) in wanted.items() if (user, event) not in existing]
    # plain rows (yiti.supervision.bulk), conflicts ignored: a concurrent run may have told the same user
    bulk.insert(Notification, rows, ignore_conflicts=True)
    if rows and getattr(settings, "YITI_NOTIFY_BY_EMAIL", False):
        email([Notification(**row) for row in rows])
    return len(rows)


def task_urls() -> Any:
    """task id → its page's address, reversed once (reverse() for each of 50,000 notifications took seconds)."""
    marker = 987654321
    found = task_url(marker)
    if str(marker) not in found:
        return task_url
    head, tail = found.split(str(marker), 1)
    return lambda task_id: f"{head}{task_id}{tail}"


def email(notifications: list[Notification]) -> None:
    """Send each new notification to its user's address (users without one get the in-app notice only)."""
    addresses = dict(User.objects.filter(pk__in={n.user_id for n in notifications}).exclude(email="")
                     .values_list("pk", "email"))
    sent = []
    for n in notifications:
        if n.user_id not in addresses:
            continue
        link = f"\n\n{settings.YITI_SITE_URL.rstrip('/')}{n.url}" if n.url and getattr(
            settings, "YITI_SITE_URL", "") else ""
        try:
            send_mail(gettext("[Supervision] %(text)s") % {"text": n.text}, f"{n.text}{link}", None,
                      [addresses[n.user_id]])
        except Exception:  # an SMTP failure must not stop the job; the in-app notice stands
            logger.exception("supervision: e-mail to user %s failed", n.user_id)
            continue
        sent.append((n.user_id, n.event))
    if sent:
        q = Q()
        for user, event in sent:
            q |= Q(user_id=user, event=event)
        Notification.objects.filter(q).update(emailed=True)


def _task_rows(task_ids: Iterable[int]) -> list[dict[str, Any]]:
    # a queryset of ids stays a subquery (no 10,000 parameters)
    ids = task_ids if hasattr(task_ids, "query") else list(task_ids)
    rows: Iterable[Any] = Task.objects.filter(pk__in=ids).values(
        "pk", "title", "deadline", "red_since", "responsible_id", "lead_department_id",
        "lead_department__parent_id", "responsible__is_active")
    return list(rows)


def _handlers(rows: list[dict]) -> dict[int, set[int]]:
    """Each task's responsible person and lead department staff."""
    staff = staff_of({r["lead_department_id"] for r in rows})
    found = {}
    for r in rows:
        users = set(staff.get(r["lead_department_id"], ()))
        if r["responsible_id"] and r["responsible__is_active"]:
            users.add(r["responsible_id"])
        found[r["pk"]] = users
    return found


def to_handlers(task_ids: Iterable[int], event: str, text: Any, extra: dict | None = None) -> int:
    """Notify each task's handlers; `event` is a format with {pk}, {deadline} …, `text` a msgid with
    %(title)s, %(deadline)s … (written in the site's language: it is stored)."""
    rows = _task_rows(task_ids)
    handlers = _handlers(rows)
    with translation.override(settings.LANGUAGE_CODE):
        template = str(text)  # translated once
        texts = {r["pk"]: template % {**r, **(extra or {})} for r in rows}
    return send((user, r["pk"], event.format(**r), texts[r["pk"]]) for r in rows for user in handlers[r["pk"]])


def assigned(task_ids: Iterable[int]) -> int:
    return to_handlers(task_ids, "assigned:{pk}",
                       gettext_lazy("New supervision task: %(title)s (deadline %(deadline)s)"))


def yellow(task_ids: Iterable[int]) -> int:
    return to_handlers(task_ids, "yellow:{pk}:{deadline}",
                       gettext_lazy("Yellow: the supervision task “%(title)s” is due on %(deadline)s"))


def red(task_ids: Iterable[int]) -> int:
    return to_handlers(task_ids, "red:{pk}:{deadline}",
                       gettext_lazy("Reminder: the supervision task “%(title)s” is past its deadline %(deadline)s "
                                    "(red)"))


def escalated(task_ids: Iterable[int]) -> int:
    """The upper department's staff and the leaders, once per red period of the task."""
    rows = _task_rows(task_ids)
    upper = staff_of({r["lead_department__parent_id"] for r in rows if r["lead_department__parent_id"]})
    heads = leaders()
    pairs: list[tuple[int, int, str, str]] = []
    with translation.override(settings.LANGUAGE_CODE):
        template = gettext("Escalated: the supervision task “%(title)s” has been red since %(red_since)s, "
                           "%(days)d days or more")
    days = _days()
    for r in rows:
        users = heads | upper.get(r["lead_department__parent_id"], set())
        event = f"escalated:{r['pk']}:{r['red_since']}"
        text = template % {**r, "days": days}
        pairs.extend((user, r["pk"], event, text) for user in users)
    return send(pairs)


def _days() -> int:
    from yiti.supervision.lights import escalate_days

    return escalate_days()


def returned(task: Task, report_id: int, reason: str) -> int:
    return to_handlers([task.pk], f"returned:{{pk}}:{report_id}",
                       gettext_lazy("Returned: the supervision task “%(title)s” was returned. Reason: %(reason)s"),
                       {"reason": reason})


def may_remind(user, task: Task) -> bool:
    """A manual 催办 is the assigning office's: its staff (or city-wide staff), on an open task."""
    if task.status not in OPEN_STATUSES or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if getattr(user, "role", "") != Role.STAFF:
        return False
    return user.department_id == task.assigning_department_id or getattr(user, "scope", "") == "city"


@transaction.atomic
def remind(task: Task, user, day: date, note: str = "") -> int:
    """A manual 催办 by the assigning office: at most one per task per day. Returns how many were told."""
    if not may_remind(user, task):
        raise ValidationError(gettext("Only the assigning office may send a reminder on an open task."),
                              code="remind_not_allowed")
    task = Task.objects.select_for_update().get(pk=task.pk)  # two clicks at once: one reminder
    event = f"remind:{task.pk}:{day.isoformat()}"
    if Notification.objects.filter(task=task, event=event).exists():
        raise ValidationError(gettext("A reminder was sent on this task today: at most one per task per day."),
                              code="already_reminded")
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext("Reminder: please speed up the supervision task “%(title)s” (deadline %(deadline)s)") % {
            "title": task.title, "deadline": task.deadline}
        if note.strip():
            text = gettext("%(reminder)s. %(note)s") % {"reminder": text, "note": note.strip()[:100]}
    rows = _task_rows([task.pk])
    users = _handlers(rows)[task.pk]
    if not users:
        raise ValidationError(gettext("The task has no responsible person or lead department staff to notify."),
                              code="nobody_to_remind")
    return send((u, task.pk, event, text) for u in users)


def sweep() -> dict[str, int]:
    """The daily job's notifications: new assignments not yet told (tasks created by import or in bulk),
    tasks that are yellow, red or escalated now. Each is an event, so a second run sends nothing."""
    from yiti.supervision.choices import Light

    open_tasks = Task.objects.filter(status__in=list(OPEN_STATUSES))
    untold = open_tasks.filter(status=TaskStatus.ASSIGNED).exclude(
        pk__in=Notification.objects.filter(event__startswith="assigned:").exclude(task=None).values("task_id"))
    return {
        "assigned": assigned(untold.values_list("pk", flat=True)),
        "yellow": yellow(open_tasks.filter(light=Light.YELLOW).values_list("pk", flat=True)),
        "red": red(open_tasks.filter(light=Light.RED).values_list("pk", flat=True)),
        "escalated": escalated(open_tasks.filter(escalated=True).values_list("pk", flat=True)),
    }
