"""Tasks raised from records (督办事项自动生成) and closed when their condition ends.

Five conditions, each a queryset of the records in that condition on a day (Asia/Shanghai):

| condition         | source    | key            | the record is in the condition while …                                   |
|-------------------|-----------|----------------|---------------------------------------------------------------------------|
| `not_started`     | agreement | agreement:<pk> | 已签约 and signed ≥ N days ago, N per kind (`YITI_SUPERVISION_NOT_STARTED_DAYS`, 90) |
| `funds_late`      | agreement | agreement:<pk> | 已启动 and started ≥ `YITI_SUPERVISION_FUNDS_DAYS` (180) days ago, funds not arrived |
| `need_expired`    | need      | need:<pk>      | still 已发布 after its deadline                                            |
| `renewal_due`     | platform  | platform:<pk>  | 已认定/运行中 and past its renewal date                                      |
| `contact_overdue` | matching  | item:<pk>      | a published matching item still 已推送 after its contact deadline            |
| `benefit_overdue` | other     | org:/talent:<pk> | a benefit ledger line (yiti.policies) unpaid after its 60-working-day deadline |

A record in a condition with no live task (any status but 已销号) for (condition, key) gets one, unless a
task for it was already assigned since the condition began (the same episode, closed by hand: not raised
again); the database allows one open task per (condition, key). A live task whose record has left the
condition (started, funds arrived, need handled, platform renewed, contact made, record deleted) is closed:
status 已销号 with a closing report written by the system saying why, `done_on` = `closed_on` = that day.

Who: the lead department is the county department (kind 县区) of the record's county, the assigning office
the city department (kind 市级); a record with no county (or a county with no department) is led by the city
department itself. The responsible person is the matching item's officer; otherwise nobody by name — the
lead department's staff are told. The task's deadline is `YITI_SUPERVISION_AUTO_TASK_DAYS` (15) days after
it was raised.

Set-based: per condition one query for the records, one for the existing tasks, one bulk insert and one
update; nothing per record.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from yiti.accounts.models import Department, DepartmentKind
from yiti.agreements.choices import Step
from yiti.agreements.models import Agreement
from yiti.core.models import Division
from yiti.matching.choices import Stage
from yiti.matching.models import MatchingItem
from yiti.needs.choices import NeedStatus
from yiti.needs.models import Need
from yiti.platforms.choices import PlatformStatus
from yiti.platforms.models import Platform
from yiti.supervision import bulk
from yiti.supervision.choices import Light, ReportKind, Source, TaskStatus
from yiti.supervision.models import Report, Task

DEFAULT_NOT_STARTED_DAYS = 90


def not_started_days() -> dict[str, int]:
    """Days after signing without 启动, per agreement kind (a kind not named: 90)."""
    return dict(getattr(settings, "YITI_SUPERVISION_NOT_STARTED_DAYS", {}))


def funds_days() -> int:
    return int(getattr(settings, "YITI_SUPERVISION_FUNDS_DAYS", 180))


def task_days() -> int:
    return int(getattr(settings, "YITI_SUPERVISION_AUTO_TASK_DAYS", 15))


@dataclass(frozen=True)
class Found:
    """A record in a condition on the day."""

    key: str
    title: str
    began: date  # the first day of the condition
    division_id: int | None
    organisation_id: int | None = None
    responsible_id: int | None = None


@dataclass(frozen=True)
class Condition:
    code: str
    source: str
    label: Any  # the task's title: label + the record's name (a lazy msgid, written in the site's language)
    ended: Any  # the closing report's text
    find: Callable[[date], list[Found]]


def _not_started(day: date) -> list[Found]:
    days = not_started_days()
    by_kind = Q()
    from yiti.agreements.choices import AgreementKind

    for kind in AgreementKind.values:
        by_kind |= Q(kind=kind, signed_date__lte=day - timedelta(days=days.get(kind, DEFAULT_NOT_STARTED_DAYS)))
    rows = Agreement.objects.filter(by_kind, status=Step.SIGNED).values_list("pk", "title", "kind", "signed_date",
                                                                            "division_id")
    return [Found(f"agreement:{pk}", title, signed + timedelta(days=days.get(kind, DEFAULT_NOT_STARTED_DAYS)),
                  division) for pk, title, kind, signed, division in rows]


def _funds_late(day: date) -> list[Found]:
    rows: Iterable[Any] = (Agreement.objects.filter(status=Step.STARTED)
            .annotate(started=Min("evidence__date", filter=Q(evidence__step=Step.STARTED)))
            .filter(started__lte=day - timedelta(days=funds_days()))
            .values_list("pk", "title", "started", "division_id"))
    return [Found(f"agreement:{pk}", title, started + timedelta(days=funds_days()), division)
            for pk, title, started, division in rows]


def _need_expired(day: date) -> list[Found]:
    rows: Iterable[Any] = Need.objects.filter(status=NeedStatus.PUBLISHED, deadline__lt=day).values_list(
        "pk", "title", "deadline", "enterprise__division_id", "enterprise_id")
    return [Found(f"need:{pk}", title, deadline + timedelta(days=1), division, enterprise)
            for pk, title, deadline, division, enterprise in rows]


def _renewal_due(day: date) -> list[Found]:
    rows: Iterable[Any] = Platform.objects.filter(status__in=[PlatformStatus.ACCREDITED, PlatformStatus.OPERATING],
                                   renewal_due__lt=day).values_list("pk", "name", "renewal_due", "division_id",
                                                                    "host_id")
    return [Found(f"platform:{pk}", name, due + timedelta(days=1), division, host)
            for pk, name, due, division, host in rows]


def _contact_overdue(day: date) -> list[Found]:
    rows: Iterable[Any] = MatchingItem.objects.filter(published_at__isnull=False, stage=Stage.PUSHED,
                                       contact_deadline__lt=day).values_list(
        "pk", "need__title", "addressee__name", "contact_deadline", "division_id", "enterprise_id", "officer_id")
    return [Found(f"item:{pk}", f"{need or ''} → {addressee or ''}", deadline + timedelta(days=1), division,
                  enterprise, officer)
            for pk, need, addressee, deadline, division, enterprise, officer in rows]


def _benefit_overdue(day: date) -> list[Found]:
    # issue 16 (r16/policies): a benefit ledger line still unpaid after its 60-working-day deadline; one task per
    # beneficiary (its organisation or talent), closed when none of its lines is overdue any more.
    from yiti.policies.services import overdue

    rows: Iterable[Any] = overdue(day).order_by("due_on").values_list(
        "organisation_id", "talent_id", "organisation__name", "talent__name", "due_on", "division_id")
    found: dict[str, Found] = {}
    for org, talent, org_name, talent_name, due, division in rows:
        key = f"org:{org}" if org else f"talent:{talent}"
        found.setdefault(key, Found(key, org_name or talent_name or "", due + timedelta(days=1), division, org))
    return list(found.values())


CONDITIONS: tuple[Condition, ...] = (
    Condition("not_started", Source.AGREEMENT, gettext_lazy("Agreement not started in time"),
              gettext_lazy("The agreement was started or terminated: the condition has ended, closed by the system."),
              _not_started),
    Condition("funds_late", Source.AGREEMENT, gettext_lazy("Agreement funds late after the start"),
              gettext_lazy("The funds arrived or the agreement landed or was terminated: the condition has ended, "
                           "closed by the system."),
              _funds_late),
    Condition("need_expired", Source.NEED, gettext_lazy("Need past its deadline still published"),
              gettext_lazy("The need's status changed or its deadline was extended: the condition has ended, "
                           "closed by the system."),
              _need_expired),
    Condition("renewal_due", Source.PLATFORM, gettext_lazy("Platform past its renewal date"),
              gettext_lazy("The platform was renewed or its status changed: the condition has ended, closed by the "
                           "system."),
              _renewal_due),
    Condition("contact_overdue", Source.MATCHING, gettext_lazy("Matching item past its contact deadline"),
              gettext_lazy("The matching item was contacted or ended: the condition has ended, closed by the "
                           "system."),
              _contact_overdue),
    # issue 16 (r16/policies): overdue benefit payments (政策兑现逾期未兑付)
    Condition("benefit_overdue", Source.OTHER, gettext_lazy("Benefit payment overdue"),
              gettext_lazy("The overdue benefits were paid or ended: the condition has ended, closed by the system."),
              _benefit_overdue),
)


class Departments:
    """The city department and each county's department, looked up once per run."""

    def __init__(self) -> None:
        self.city = (Department.objects.filter(kind=DepartmentKind.CITY, parent=None).order_by("pk").first()
                     or Department.objects.filter(kind=DepartmentKind.CITY).order_by("pk").first())
        self.county = dict(Department.objects.filter(kind=DepartmentKind.COUNTY).order_by("-pk")
                           .values_list("division_id", "pk"))
        self.division_of = dict(Department.objects.filter(kind=DepartmentKind.COUNTY)
                                .values_list("pk", "division_id"))
        self._parents: dict[int, int | None] = {}

    def lead(self, division_id: int | None) -> int:
        """The county department of a division (or of the county above a township); else the city's."""
        seen = 0
        while division_id is not None and seen < 4:
            if division_id in self.county:
                return self.county[division_id]
            if division_id not in self._parents:
                self._parents[division_id] = Division.objects.filter(pk=division_id).values_list(
                    "parent_id", flat=True).first()
            division_id, seen = self._parents[division_id], seen + 1
        assert self.city is not None, "no city department: nothing is raised (see run)"
        return self.city.pk

    def prefetch(self, division_ids: set[int]) -> None:
        missing = division_ids - set(self.county) - set(self._parents)
        self._parents.update(Division.objects.filter(pk__in=missing).values_list("pk", "parent_id"))


@dataclass
class Run:
    raised: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)


def run(day: date) -> Run:
    """Raise and close the automatic tasks for `day`. Running it twice on the same day changes nothing."""
    with translation.override(settings.LANGUAGE_CODE):  # titles and reports are stored in the site's language
        return _run(day)


def _run(day: date) -> Run:
    result = Run()
    departments = Departments()
    for condition in CONDITIONS:
        with transaction.atomic():
            raised, closed = _one(condition, day, departments)
        result.raised[condition.code] = raised
        result.closed[condition.code] = closed
    return result


def _one(condition: Condition, day: date, departments: Departments) -> tuple[int, int]:
    found = {f.key: f for f in condition.find(day)}
    tasks = Task.objects.filter(condition=condition.code)
    live = dict(tasks.exclude(status=TaskStatus.CLOSED).values_list("source_key", "pk"))
    last_assigned: dict[str, date] = {}
    for key, assigned_on in tasks.values_list("source_key", "assigned_on"):
        if key not in last_assigned or assigned_on > last_assigned[key]:
            last_assigned[key] = assigned_on
    # close the live tasks whose record left the condition
    ending = [pk for key, pk in live.items() if key not in found]
    closed = _close(ending, condition, day)
    # raise for records in the condition with no live task and none assigned in this episode
    new = [f for key, f in found.items()
           if key not in live and not (key in last_assigned and last_assigned[key] >= f.began)]
    if not new:
        return 0, closed
    if departments.city is None:
        return 0, closed  # no department tree yet (a fresh installation): nobody to assign to
    departments.prefetch({f.division_id for f in new if f.division_id})
    division_of_lead = dict(Department.objects.values_list("pk", "division_id"))
    label = str(condition.label)  # translated once, not once per task
    title_format = gettext("%(condition)s: %(record)s")
    description_format = gettext("Raised by the system from the record (%(condition)s, since %(began)s); closed by "
                                 "the system when the condition ends.")
    deadline = day + timedelta(days=task_days())
    rows = []
    for f in sorted(new, key=lambda f: f.key):
        lead = departments.lead(f.division_id)
        rows.append({
            "title": (title_format % {"condition": label, "record": f.title})[:200], "source": condition.source,
            "source_key": f.key, "condition": condition.code, "division_id": division_of_lead[lead],
            "organisation_id": f.organisation_id, "assigning_department_id": departments.city.pk,
            "lead_department_id": lead, "responsible_id": f.responsible_id, "assigned_on": day, "deadline": deadline,
            "status": TaskStatus.ASSIGNED.value, "light": Light.GREEN.value,
            "description": description_format % {"condition": label, "began": f.began}})
    # plain rows, not bulk_create: 40,000 model instances and their values prepared field by field were most of
    # the first run's time at scale 100 (docs/benchmarks.md)
    return bulk.insert(Task, rows), closed


def _close(task_ids: list[int], condition: Condition, day: date) -> int:
    closed = 0
    for start in range(0, len(task_ids), 500):
        chunk = task_ids[start:start + 500]
        batch: QuerySet = Task.objects.filter(pk__in=chunk).exclude(status=TaskStatus.CLOSED)
        ids = list(batch.values_list("pk", flat=True))
        batch.filter(done_on=None).update(done_on=day)
        closed += Task.objects.filter(pk__in=ids).update(status=TaskStatus.CLOSED, closed_on=day, light=Light.GREEN,
                                                         red_since=None, escalated=False)
        Report.objects.bulk_create([Report(task_id=pk, kind=ReportKind.CLOSING, date=day, text=str(condition.ended))
                                    for pk in ids])
    return closed
