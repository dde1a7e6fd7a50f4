"""Lights (红黄绿灯) and escalation of supervision tasks, computed for a day in Asia/Shanghai.

- An open task (交办, 已接收, 办理中) is **red** from the day after its deadline, **yellow** from
  `YITI_SUPERVISION_YELLOW_DAYS` (3) days before its deadline to the deadline itself, **green** before that.
- A task that is done or closed (已办结, 已销号) has left the lights: it is green with no `red_since`
  (whether it was done on time is `done_on` ≤ `deadline`, not a light). A returned task is open again
  and gets its light back.
- `red_since` is the first overdue day (deadline + 1), so the count of red days does not depend on when
  the job ran. A task red for `YITI_SUPERVISION_ESCALATE_DAYS` (7) days is **escalated**: it goes on
  the upper department's (lead department's parent) and the leaders' lists. `escalated` means "on those
  lists now": it is cleared when the task is no longer red (deadline extended, done, closed).

Everything here is set-based (a few UPDATEs for the whole city), so `yiti supervise` stays fast.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from yiti.supervision.choices import OPEN_STATUSES, Light
from yiti.supervision.models import Task

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Today in Asia/Shanghai, whatever the server's or Django's time zone."""
    return timezone.now().astimezone(SHANGHAI).date()


def yellow_days() -> int:
    return int(getattr(settings, "YITI_SUPERVISION_YELLOW_DAYS", 3))


def escalate_days() -> int:
    return int(getattr(settings, "YITI_SUPERVISION_ESCALATE_DAYS", 7))


def light_for(status: str, deadline: date, day: date) -> tuple[str, date | None, bool]:
    """(light, red_since, escalated) of one task on `day` — the rule `recompute` applies in SQL."""
    if status not in OPEN_STATUSES:
        return Light.GREEN, None, False
    if deadline < day:
        red_since = deadline + timedelta(days=1)
        return Light.RED, red_since, (day - red_since).days >= escalate_days()
    if deadline <= day + timedelta(days=yellow_days()):
        return Light.YELLOW, None, False
    return Light.GREEN, None, False


def apply(task: Task, day: date | None = None) -> bool:
    """Set one task's light fields (not saved); True when something changed. For services that change a
    task's deadline or status and want its light right at once rather than at the next `yiti supervise`."""
    light, red_since, escalated = light_for(task.status, task.deadline, day or today())
    changed = (task.light, task.red_since, task.escalated) != (light, red_since, escalated)
    task.light, task.red_since, task.escalated = light, red_since, escalated
    return changed


@dataclass
class Recomputed:
    changed: int = 0  # tasks whose light, red_since or escalation changed
    yellow: list[int] = field(default_factory=list)  # tasks that turned yellow today
    red: list[int] = field(default_factory=list)  # tasks that turned red today
    escalated: list[int] = field(default_factory=list)  # tasks escalated today


def recompute(day: date | None = None) -> Recomputed:
    """Bring every task's light to `day` (default: today in Shanghai). Running it twice changes nothing."""
    day = day or today()
    result = Recomputed()
    open_ = Q(status__in=list(OPEN_STATUSES))
    tasks = Task.objects.all()
    escalate_before = day - timedelta(days=escalate_days())  # red_since on or before this: escalated

    # done and closed: out of the lights
    result.changed += tasks.exclude(open_).exclude(light=Light.GREEN, red_since=None, escalated=False).update(
        light=Light.GREEN, red_since=None, escalated=False)
    # green: the deadline is more than N days away
    green = tasks.filter(open_, deadline__gt=day + timedelta(days=yellow_days()))
    result.changed += green.exclude(light=Light.GREEN, red_since=None, escalated=False).update(
        light=Light.GREEN, red_since=None, escalated=False)
    # yellow: deadline within N days (today included)
    yellow = tasks.filter(open_, deadline__gte=day, deadline__lte=day + timedelta(days=yellow_days()))
    turning = yellow.exclude(light=Light.YELLOW)
    result.yellow = list(turning.values_list("pk", flat=True))
    result.changed += yellow.exclude(light=Light.YELLOW, red_since=None, escalated=False).update(
        light=Light.YELLOW, red_since=None, escalated=False)
    # red: overdue. red_since = deadline + 1, written per distinct deadline (a few hundred at most)
    red = tasks.filter(open_, deadline__lt=day)
    result.red = list(red.exclude(light=Light.RED).values_list("pk", flat=True))
    for deadline in red.values_list("deadline", flat=True).distinct().order_by("deadline"):
        since = deadline + timedelta(days=1)
        result.changed += red.filter(deadline=deadline).exclude(light=Light.RED, red_since=since).update(
            light=Light.RED, red_since=since)
    # escalation: red for M days or more
    newly = red.filter(escalated=False, deadline__lt=escalate_before)
    result.escalated = list(newly.values_list("pk", flat=True))
    result.changed += newly.update(escalated=True)
    result.changed += red.filter(escalated=True, deadline__gte=escalate_before).update(escalated=False)
    return result
