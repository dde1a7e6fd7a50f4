"""Roll-ups (督办汇总): per county or per lead department, for a week or a month.

| figure      | the tasks it counts                                              | the list it links to (Task filter set)                       |
|-------------|------------------------------------------------------------------|--------------------------------------------------------------|
| assigned    | assigned in the period                                           | `assigned_on_after`, `assigned_on_before`                    |
| on_time     | done (已办结/已销号) in the period, on or before the deadline    | `on_time=true`, `done_on_after`, `done_on_before`            |
| overdue     | open now, past the deadline, the deadline in the period          | `overdue=true`, `deadline_after`, `deadline_before`          |
| closed      | closed (已销号) in the period                                     | `status=closed`, `closed_on_after`, `closed_on_before`       |
| avg_days    | average days from assignment to closing of those closed tasks    | the closed list                                              |

plus the group's own parameter (`division=<id>` or `lead_department=<id>`). Two queries per page whatever the
number of tasks: one grouped count, one for the closing times.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from yiti.core.models import Division
from yiti.supervision.choices import OPEN_STATUSES, TaskStatus

GROUPS = {"county": ("division", "division__name", "division"),
          "department": ("lead_department", "lead_department__name", "lead_department")}
PERIODS = ("week", "month")
FIGURES = ("assigned", "on_time", "overdue", "closed", "avg_days")


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The week (Monday to Sunday) or the calendar month containing `day`."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def shift(period: str, day: date, steps: int) -> date:
    """A day of the period `steps` periods away (−1: the previous week or month)."""
    start, end = period_bounds(period, day)
    if period == "week":
        return start + timedelta(days=7 * steps)
    for _ in range(abs(steps)):
        start = (end + timedelta(days=1)) if steps > 0 else (start - timedelta(days=1)).replace(day=1)
        start, end = period_bounds(period, start)
    return start


def conditions(start: date, end: date, today: date) -> dict[str, tuple[Q, dict[str, str]]]:
    """For each figure: the tasks it counts and the list filter that gives exactly those."""
    s, e = start.isoformat(), end.isoformat()
    done = Q(status__in=[TaskStatus.DONE, TaskStatus.CLOSED], done_on__isnull=False)
    closed = Q(status=TaskStatus.CLOSED, closed_on__gte=start, closed_on__lte=end)
    closed_params = {"status": TaskStatus.CLOSED.value, "closed_on_after": s, "closed_on_before": e}
    return {
        "assigned": (Q(assigned_on__gte=start, assigned_on__lte=end),
                     {"assigned_on_after": s, "assigned_on_before": e}),
        "on_time": (done & Q(done_on__gte=start, done_on__lte=end) & Q(done_on__lte=F("deadline")),
                    {"on_time": "true", "done_on_after": s, "done_on_before": e}),
        "overdue": (Q(status__in=list(OPEN_STATUSES), deadline__lt=today, deadline__gte=start, deadline__lte=end),
                    {"overdue": "true", "deadline_after": s, "deadline_before": e}),
        "closed": (closed, closed_params),
        "avg_days": (closed, closed_params),
    }


@dataclass
class Cell:
    value: float | int | None
    url: str


@dataclass
class Row:
    key: int | None
    name: str
    cells: dict[str, Cell] = field(default_factory=dict)


def list_url(params: dict[str, Any]) -> str:
    try:
        base = reverse("supervision:task_list")
    except NoReverseMatch:  # before the registry's pages exist
        base = "/supervision/"
    return f"{base}?{urlencode(params)}"


def counties_of(division_ids: set[int]) -> dict[int, tuple[int, str] | None]:
    """Each division's county (itself, or the county above a township), or None above county level (the
    city: a city-wide task). The list's `division` filter includes the places below, so a county's row counts
    them too."""
    found: dict[int, tuple[int, str] | None] = {}
    known: dict[int, tuple[int | None, str, str]] = {}
    todo = set(division_ids)
    while todo:
        rows = Division.objects.filter(pk__in=todo).values_list("pk", "parent_id", "level", "name")
        known.update({pk: (parent, level, name) for pk, parent, level, name in rows})
        todo = {parent for parent, level, _name in known.values()
                if parent is not None and parent not in known and level not in ("county", "city", "province")}
    for pk in division_ids:
        at: int | None = pk
        while at is not None and at in known and known[at][1] not in ("county", "city", "province"):
            at = known[at][0]
        found[pk] = (at, known[at][2]) if at is not None and at in known and known[at][1] == "county" else None
    return found


def rollup(tasks: QuerySet, by: str, period: str, day: date, today: date) -> tuple[list[Row], Row]:
    """The rows of the roll-up (one per county or lead department with any figure) and the total row.

    By county, tasks above county level (city-wide) make a row of their own without links: the list's division
    filter cannot select "the city but none of its counties"; they are in the total, which links exactly."""
    group, name_field, param = GROUPS[by]
    start, end = period_bounds(period, day)
    conds = conditions(start, end, today)
    counted = [f for f in FIGURES if f != "avg_days"]
    # one grouped count per figure: each condition is a date range on an indexed column, so each query reads
    # only its range (one query with the conditions ORed scans the whole table)
    per_group: dict[Any, dict[str, Any]] = {}
    for figure in counted:
        for key, name, n in (tasks.filter(conds[figure][0]).order_by().values(group)
                             .annotate(n=Count("pk")).values_list(group, name_field, "n")):
            per_group.setdefault(key, {group: key, name_field: name, **dict.fromkeys(counted, 0)})[figure] = n
    counts = list(per_group.values())
    spans_by: dict[Any, list[int]] = defaultdict(list)
    for key, assigned_on, closed_on in tasks.filter(conds["closed"][0]).order_by().values_list(
            group, "assigned_on", "closed_on"):
        spans_by[key].append((closed_on - assigned_on).days)

    # bucket the groups: by department as they are; by county, each division into its county
    bucket: dict[Any, tuple[int, str] | None]
    if by == "county":
        bucket = dict(counties_of({r[group] for r in counts if r[group] is not None}))
    else:
        bucket = {r[group]: (r[group], r[name_field] or "") for r in counts}
    names: dict[Any, str] = {}
    totals_by: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(counted, 0))
    for r in counts:
        key, name = bucket.get(r[group]) or (None, "")
        names[key] = name
        for f in counted:
            totals_by[key][f] += r[f]
    spans: dict[Any, list[int]] = defaultdict(list)
    for k, days in spans_by.items():
        key, _name = bucket.get(k) or (None, "")
        spans[key].extend(days)

    def cells(key: Any, values: Any, days: list[int], linked: bool = True) -> dict[str, Cell]:
        extra = {param: key} if key is not None else {}
        found = {f: Cell(values[f], list_url({**extra, **conds[f][1]}) if linked else "") for f in counted}
        found["avg_days"] = Cell(round(sum(days) / len(days), 1) if days else None,
                                 list_url({**extra, **conds["avg_days"][1]}) if linked else "")
        return found

    # counties in the order of their codes (榆次区, 太谷区, 榆社县 …), as every other page lists them
    codes = dict(Division.objects.filter(pk__in=[k for k in totals_by if k is not None]).values_list("pk", "code")) \
        if by == "county" else {}
    rows = [Row(key, names[key], cells(key, totals_by[key], spans.get(key, [])))
            for key in sorted((k for k in totals_by if k is not None), key=lambda k: (codes.get(k, ""), names[k] or "", k))]
    if None in totals_by:  # city-wide tasks by county (or tasks without lead department: none, it is required)
        rows.append(Row(None, gettext("City level"), cells(None, totals_by[None], spans.get(None, []), False)))
    totals = {f: sum(values[f] for values in totals_by.values()) for f in counted}
    total = Row(None, "", cells(None, totals, [d for ds in spans.values() for d in ds]))
    return rows, total
