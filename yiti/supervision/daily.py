"""The daily supervision run: raise and close automatic tasks, recompute lights and escalation, notify.

`yiti supervise` runs it once; the worker (`yiti db_worker`) runs it every day at 00:05 Asia/Shanghai
through the task below, which queues its own next run (`schedule`). Every step is idempotent, so a second
run the same day — by cron, by hand, by the worker — changes nothing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils.translation import gettext

from yiti.supervision import auto, lights, notify

RUN_AT = time(0, 5)  # Asia/Shanghai: just after midnight, when the day's lights change


@dataclass
class Summary:
    day: date
    raised: int
    closed: int
    changed: int
    escalated: int
    notified: int

    def line(self) -> str:
        return gettext("Supervision %(day)s: %(raised)d raised, %(closed)d closed automatically, %(changed)d lights "
                       "changed, %(escalated)d escalated, %(notified)d notifications sent") % {
            "day": self.day, "raised": self.raised, "closed": self.closed, "changed": self.changed,
            "escalated": self.escalated, "notified": self.notified}


def run(day: date | None = None) -> Summary:
    day = day or lights.today()
    made = auto.run(day)
    with transaction.atomic():
        recomputed = lights.recompute(day)
    sent = notify.sweep()
    return Summary(day=day, raised=sum(made.raised.values()), closed=sum(made.closed.values()),
                   changed=recomputed.changed, escalated=len(recomputed.escalated), notified=sum(sent.values()))


def next_run(now: datetime) -> datetime:
    """The next 00:05 in Asia/Shanghai after `now`."""
    local = now.astimezone(lights.SHANGHAI)
    at = datetime.combine(local.date(), RUN_AT, tzinfo=lights.SHANGHAI)
    return at if at > local else at + timedelta(days=1)


def schedule() -> bool:
    """Queue the next daily run on the worker unless one is queued already; False when the task backend
    cannot run a task later (YITI_TASKS=immediate): then cron runs `yiti supervise`."""
    from django.utils import timezone
    from django_tasks import default_task_backend

    from yiti.supervision.tasks import supervise_daily

    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    path = supervise_daily.module_path
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return True
    supervise_daily.using(run_after=next_run(timezone.now())).enqueue()
    return True
