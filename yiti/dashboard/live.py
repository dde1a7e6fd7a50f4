"""The dashboards' figures kept ready (issue 15 §6): no leader waits for a cold figure.

The worker (`yiti db_worker`) computes the office's whole-city figures of the current year every
`YITI_DASHBOARD_REFRESH_MINUTES` (5) minutes (`tasks.refresh_figures`, which queues its own next run, as the
supervision's daily job does) and stores them in one `FigureSet` row: each indicator for the city and every
county (one grouped query per indicator: `indicators.city_and_counties`), the year-to-date trends of the last 12
months for the city and every county, the agreement ladder and the matching funnel.

Who reads them: a user for whom those figures are exactly theirs — `records(ind, user)` is every record
(`restrict` returns the whole table: superusers, leaders, city-wide office staff whose role may view every
registry behind the indicators), or, for one county's figures, a county officer whose scope is that county on the
same division path as the indicator's. The figure then equals its drill-down (as of `computed_at`; the pages say
when the figures were computed). Anyone else, another year, or a set older than `max_age()` (the worker stopped):
the figures are computed for the request, as before (`charts.py`, kept a minute per user).

The chain starts by itself: a request that finds no fresh set queues a refresh when the task backend can run
tasks later (the worker), and is answered from the records meanwhile. `yiti figures` computes the set
at once (and `--schedule` queues the chain).
"""

import datetime
import time
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from yiti.dashboard import indicators as ledger

REFRESH_MINUTES = 5
READ_SECONDS = 20  # a process keeps the set it read this long before looking for a newer one


def refresh_minutes() -> int:
    return int(getattr(settings, "YITI_DASHBOARD_REFRESH_MINUTES", REFRESH_MINUTES))


def max_age() -> datetime.timedelta:
    """A set older than this is not shown (the worker has stopped): three refresh intervals."""
    return datetime.timedelta(minutes=3 * refresh_minutes())


# ---- computing the set ------------------------------------------------------------------------------------

def _pair(total: Decimal, per_county: dict[int, Decimal]) -> dict[str, str]:
    return {"": str(total), **{str(c): str(v) for c, v in per_county.items()}}


def _ytd(ind: ledger.Indicator, ends: list[datetime.date], within: dict[int, int]) -> dict[str, list[str]] | None:
    """County id ("" for the city) → the year-to-date figure at each month end, from one query grouped by the
    record's division with one conditional count (or sum) per month end (`charts.year_to_date` for the city and
    each county). None when the
    indicator's past cannot be recomputed (no date, or dated by related rows or by a span)."""
    from yiti.dashboard.charts import _distinct, dated_between, dated_by_day, ytd_aggregates

    if not dated_by_day(ind) or _distinct(ind):
        return None
    qs = ledger.records(ind, None).order_by().filter(dated_between(ind, datetime.date(ends[0].year, 1, 1), ends[-1]))
    if ind.sum_field and ind.many:
        qs = qs.model._default_manager.filter(pk__in=qs.values("pk"))
    keys = ["", *{str(c) for c in within.values()}]
    out = {key: [Decimal(0)] * len(ends) for key in keys}
    for row in qs.values(ind.county_path).annotate(**ytd_aggregates(ind, ends)).values_list(
            ind.county_path, *[f"p{i}" for i in range(len(ends))]):
        division_id, figures = row[0], row[1:]
        for key in ("", str(within[division_id])) if division_id in within else ("",):
            out[key] = [a + Decimal(v or 0) for a, v in zip(out[key], figures, strict=True)]
    return {key: [str(v) for v in values] for key, values in out.items()}


def compute(year: int, today: datetime.date) -> dict[str, Any]:
    """The office's whole-city figures of `year` (see the module's text), as JSON (numbers as strings)."""
    from yiti.agreements.models import Agreement
    from yiti.dashboard.charts import agreement_ladder_of, month_ends
    from yiti.matching import lists
    from yiti.matching.models import MatchingItem

    within = ledger.county_map(ledger.counties())
    ends = month_ends(today)
    figures: dict[str, tuple[Decimal, dict[int, Decimal]]] = {}
    alltime: dict[str, tuple[Decimal, dict[int, Decimal]]] = {}
    values: dict[str, dict[str, str]] = {}
    stock: dict[str, dict[str, str]] = {}  # year None, for a trend that cannot be recomputed (charts.trend_points)
    ytd: dict[str, dict[str, list[str]]] = {}
    def all_years(ind: ledger.Indicator) -> tuple[Decimal, dict[int, Decimal]]:
        if ind.code not in alltime:
            if not ind.has_year:
                alltime[ind.code] = figures[ind.code]
            elif ind.ratio_of is not None:
                num, den = (all_years(ledger.get(c)) for c in ind.ratio_of)
                alltime[ind.code] = ledger.ratio_of_parts(num, den)
            else:
                alltime[ind.code] = ledger.city_and_counties(ind, None, None, within)
        return alltime[ind.code]

    for ind in ledger.INDICATORS.values():
        if ind.ratio_of is not None:
            num, den = (figures[c] for c in ind.ratio_of)
            figures[ind.code] = ledger.ratio_of_parts(num, den)
        else:
            figures[ind.code] = ledger.city_and_counties(ind, None, year if ind.has_year else None, within)
        values[ind.code] = _pair(*figures[ind.code])
        if ind.ratio_of is not None:
            if all(c in ytd for c in ind.ratio_of):
                num_t, den_t = (ytd[c] for c in ind.ratio_of)
                ytd[ind.code] = {k: [str(ledger._ratio(Decimal(n), Decimal(d)))
                                     for n, d in zip(num_t[k], den_t[k], strict=True)] for k in num_t}
        else:
            found = _ytd(ind, ends, within)
            if found is not None:
                ytd[ind.code] = found
        if ind.code not in ytd:  # the trend shows today's figure of all years
            stock[ind.code] = _pair(*all_years(ind))
    funnel = lists.funnel(MatchingItem.objects.all())
    return {
        "year": year, "ends": [d.isoformat() for d in ends], "values": values, "stock": stock, "ytd": ytd,
        "ladder": agreement_ladder_of(Agreement.objects.all(), year),
        "funnel": {s: funnel[s] for s in lists.STEP_NAMES},
    }


def refresh(today: datetime.date | None = None) -> Any:
    """Compute the current year's set and store it (replacing the previous one)."""
    from yiti.dashboard.models import FigureSet

    today = today or timezone.localdate()
    started = time.perf_counter()
    data = compute(today.year, today)
    found, _created = FigureSet.objects.update_or_create(
        year=today.year, defaults={"computed_at": timezone.now(), "data": data,
                                   "seconds": round(time.perf_counter() - started, 3)})
    cache.delete(_read_key(today.year))
    return found


# ---- reading it -------------------------------------------------------------------------------------------

def _read_key(year: int) -> str:
    return f"yiti:dash:figureset:{year}"


class Ready:
    """A fresh set, as read by a request."""

    def __init__(self, data: dict[str, Any], computed_at: datetime.datetime) -> None:
        self.data = data
        self.computed_at = computed_at
        self.ends = [datetime.date.fromisoformat(d) for d in data["ends"]]

    def value(self, ind: ledger.Indicator, county: Any, stock: bool = False) -> Decimal | None:
        found = (self.data["stock"] if stock else self.data["values"]).get(ind.code)
        key = "" if county is None else str(county.pk)
        return Decimal(found[key]) if found is not None and key in found else None

    def per_county(self, ind: ledger.Indicator) -> dict[int, Decimal] | None:
        found = self.data["values"].get(ind.code)
        if found is None:
            return None
        return {int(k): Decimal(v) for k, v in found.items() if k}

    def year_to_date(self, ind: ledger.Indicator, ends: list[datetime.date],
                     county: Any) -> dict[datetime.date, Decimal | None] | None:
        if ends != self.ends:
            return None
        found = self.data["ytd"].get(ind.code)
        key = "" if county is None else str(county.pk)
        if found is None:
            from yiti.dashboard.charts import _distinct, dated_by_day

            if ind.ratio_of is None and not dated_by_day(ind) and not _distinct(ind):
                return dict.fromkeys(ends)  # no past to recompute: as charts.year_to_date says
            return None
        if key not in found:
            return None
        return {d: Decimal(v) for d, v in zip(ends, found[key], strict=True)}


def ready(year: int | None) -> Ready | None:
    """The set of `year` when one is fresh (younger than `max_age()`), else None — and then a refresh is queued
    on the worker if it can run one (the chain restarts by itself)."""
    if year is None or not refresh_minutes():
        return None
    key = _read_key(year)
    found = cache.get(key)
    if found is None:
        from yiti.dashboard.models import FigureSet

        row = FigureSet.objects.filter(year=year).values_list("data", "computed_at").first()
        found = row if row is not None else ("none", None)
        cache.set(key, found, READ_SECONDS)
    data, computed_at = found
    if computed_at is None or timezone.now() - computed_at > max_age():
        if year == timezone.localdate().year and cache.add(f"{key}:queued", True, READ_SECONDS):
            schedule()  # once in a while per process, not at every figure of the page
        return None
    return Ready(data, computed_at)


# ---- who may read it --------------------------------------------------------------------------------------

def _models() -> set[Any]:
    from yiti.agreements.models import Agreement

    return {apps.get_model(i.model) for i in ledger.INDICATORS.values() if i.model and i.visible is None} | {Agreement}


def _sees_all_visible(user: Any) -> bool:
    """The indicators counting a ledger of their own (`visible`): the whole table is the user's (no condition)."""
    return all(not i.visible(user).query.where for i in ledger.INDICATORS.values() if i.visible is not None)


def sees_city(user: Any) -> bool:
    """Whether every record behind the dashboards is `user`'s to view: `restrict(user, "view")` is the whole table
    for every model the indicators count, and every matching list is theirs (`list_scope_q` None)."""
    from yiti.core.access import role_allows, scope_q
    from yiti.matching.models import list_scope_q

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # cheap first: only these may have no scope (scope_q of a county officer asks the database)
    if not (user.is_superuser or getattr(user, "role", "") == "leader"
            or (getattr(user, "role", "") == "staff" and getattr(user, "scope", "") == "city")):
        return False
    if list_scope_q(user) is not None:
        return False
    return all(role_allows(user, m, "view") and (user.is_superuser or scope_q(user, m) is None)
               for m in _models()) and _sees_all_visible(user)


def sees_county(user: Any, county: Any) -> bool:
    """Whether the office's figures of `county` are exactly `user`'s there: a whole-city viewer, or a county
    officer of that county (their department's division) whose scope follows, for every indicator, the same
    division path as the indicator counts by."""
    from yiti.core.access import role_allows, scope_paths

    if county is None:
        return sees_city(user)
    if sees_city(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.is_superuser:
        return False
    if getattr(user, "role", "") != "staff" or getattr(user, "scope", "") != "county":
        return False
    department = getattr(user, "department", None)
    if department is None or department.division_id != county.pk:
        return False
    for ind in ledger.INDICATORS.values():
        # a ledger of its own gives a county officer every line of their county (Indicator.visible)
        if ind.model and ind.visible is None:
            model = apps.get_model(ind.model)
            paths = scope_paths(model)
            if not role_allows(user, model, "view") or paths is None or paths[0] != ind.county_path:
                return False
    return True


# ---- the schedule -----------------------------------------------------------------------------------------

def schedule(delay: datetime.timedelta | None = None, *, after_running: bool = False) -> bool:
    """Queue the next refresh on the worker unless one is queued (or running) already; False when the task
    backend cannot run a task later (YITI_TASKS=immediate, the tests): the pages then compute their figures
    themselves. `after_running`: called by the running refresh itself, which does not count."""
    from django_tasks import default_task_backend

    from yiti.dashboard.tasks import refresh_figures

    if not default_task_backend.supports_defer or not refresh_minutes():
        return False
    from django_tasks_db.models import DBTaskResult

    path = refresh_figures.module_path
    if DBTaskResult.objects.filter(task_path=path, status__in=["READY"] if after_running else ["READY", "RUNNING"]).exists():
        return True
    refresh_figures.using(run_after=timezone.now() + (delay or datetime.timedelta(0))).enqueue()
    return True


def prune() -> int:
    """Forget the finished refreshes older than a day (one every few minutes would pile up)."""
    from django_tasks_db.models import DBTaskResult

    from yiti.dashboard.tasks import refresh_figures

    old = timezone.now() - datetime.timedelta(days=1)
    deleted, _kinds = DBTaskResult.objects.filter(task_path=refresh_figures.module_path, finished_at__lt=old).exclude(
        status__in=["READY", "RUNNING"]).delete()
    return deleted


__all__ = ["Ready", "compute", "max_age", "ready", "refresh", "schedule", "sees_city", "sees_county"]
