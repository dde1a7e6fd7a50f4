"""The figures behind the dashboards' charts, built once per request as a `Chart` and then shown four ways: the
chart (ECharts, drawn by static/yiti/dashboard.js from the element's data-chart attribute or from the JSON
endpoint), the table beside it (what shows without JavaScript), the JSON endpoint (`chart_json`: when the user
picks another indicator or year) and the Excel download (`chart_xlsx`).

Charts (`CHARTS`):
- `county`: one indicator by county for a year, with each county's target; each bar links to the records behind
  it (the ledger's drill-down, `dashboard:drill_down`).
- `trend`: one indicator's year-to-date figure at each of the last 12 month ends (`trend_points`).
- `agreements`: the agreement ladder 签约 → 启动 → 资金到位 → 落地 of the agreements signed in the year.
- `matching`: the matching funnel of the visible matching items (`yiti.matching.lists.funnel`).
Who may see which: `home.audiences`.
"""

import calendar
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from yiti.agreements.choices import LADDER, Step
from yiti.agreements.models import Agreement
from yiti.core import export
from yiti.core.models import Division
from yiti.dashboard import indicators as ledger
from yiti.dashboard.models import SnapshotValue, Target

MONTHS = 12


@dataclass
class Chart:
    name: str  # one of CHARTS
    kind: str  # "bar", "funnel" or "line": how dashboard.js draws it
    title: str
    unit: str
    categories: list[str]  # the x axis (counties, steps, months)
    series: list[dict[str, Any]]  # [{"name": …, "data": [numbers or None]}], the first one is the figure
    links: list[str | None] = field(default_factory=list)  # per category: the records behind the bar
    query: dict[str, Any] = field(default_factory=dict)  # the parameters that rebuild it (JSON, Excel)
    note: str = ""  # what the figures count (口径), shown under the chart when it could be mistaken for an indicator

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "title": self.title, "unit": self.unit,
                "categories": self.categories, "series": self.series, "links": self.links,
                "json": self.url("dashui:chart_json"), "xlsx": self.url("dashui:chart_xlsx")}

    @property
    def data(self) -> str:
        """The chart as JSON for its element's data-chart attribute (read by dashboard.js)."""
        return json.dumps(self.as_json(), ensure_ascii=False)

    def url(self, name: str) -> str:
        query = urlencode({k: v for k, v in self.query.items() if v not in (None, "")})
        return reverse(name, args=[self.name]) + (f"?{query}" if query else "")

    def rows(self) -> list[dict[str, Any]]:
        """The table view: one row per category, one cell per series."""
        return [{"label": label, "link": self.links[i] if i < len(self.links) else None,
                 "cells": [s["data"][i] for s in self.series]} for i, label in enumerate(self.categories)]


def number(value: Decimal | int | None) -> int | float | None:
    """A figure as JSON shows it: whole numbers as integers."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


# ---- the figures, aggregated in one query each -----------------------------------------------------------------
# The same figures as `indicators.value` and `by_county` (tests compare them), from the same `records()` (so the
# same definition and the same scope), but counted in one grouped query rather than one query per county or per
# month, and counting distinct ids rather than distinct whole rows: at scale 100 the per-county loop over the
# needs took seconds.

# Figures are kept for a minute per user (their scope is their own): the home page, the charts' JSON and the
# screen share them, and a leader going back and forth does not recount the needs every time.
CACHE_SECONDS = 60


def _cached(compute: Callable[[], Any], *key: Any) -> Any:
    seconds = getattr(settings, "YITI_DASHBOARD_CACHE_SECONDS", CACHE_SECONDS)
    if not seconds:
        return compute()
    name = "yiti:dash:" + ":".join(str(k) for k in key)
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, seconds)
    return found


def _who(user: Any) -> Any:
    return getattr(user, "pk", None) or "city"


def _distinct(ind: ledger.Indicator) -> bool:
    """Whether a record may be reached more than once through its county path (a to-many step on the way)."""
    model = ind_model(ind)
    for part in ind.county_path.split("__"):
        found = model._meta.get_field(part)
        if found.many_to_many or found.one_to_many:
            return True
        model = found.related_model
        if model is None:
            return False
    return False


def _total(ind: ledger.Indicator, qs: Any) -> Decimal:
    qs = qs.order_by()
    if ind.sum_field:
        if _distinct(ind):  # each record once, however many paths lead to it
            qs = qs.model._default_manager.filter(pk__in=qs.values("pk"))
        return Decimal(qs.aggregate(v=Sum(ind.sum_field))["v"] or 0)
    return Decimal(qs.values("pk").distinct().count() if _distinct(ind) else qs.count())


def _ratio(num: Decimal, den: Decimal) -> Decimal:
    return (num * 100 / den).quantize(Decimal("0.1")) if den else Decimal(0)


def ready_for(user: Any, county: Division | None, year: int | None) -> Any:
    """The figures the worker keeps ready (`live.ready`) when they are exactly `user`'s for the whole city
    (county None) or for `county`, else None. Whether they are is worked out once per user object."""
    from yiti.dashboard import live

    if user is None:
        return None
    seen = user.__dict__.setdefault("_yiti_live_sees", {})
    where = county.pk if county is not None else None
    if where not in seen:
        seen[where] = live.sees_county(user, county)
    return live.ready(year) if seen[where] else None


def _this_year() -> int:
    return timezone.localdate().year


def figure(ind: ledger.Indicator, user: Any, year: int | None, county: Division | None = None) -> Decimal:
    """`indicators.value(ind, user, year, county)`: from the figures kept ready when they are the user's,
    otherwise computed (and kept a minute)."""
    if ind.has_year and year is not None:
        ready = ready_for(user, county, year)
        found = ready.value(ind, county) if ready is not None else None
    else:  # no year dimension (the same every year), or all years
        ready = ready_for(user, county, _this_year())
        found = ready.value(ind, county, stock=year is None and ind.has_year) if ready is not None else None
    if found is not None:
        return found
    return _cached(lambda: _figure(ind, user, year, county), "figure", _who(user), ind.code, year,
                   county.pk if county is not None else "")


def _figure(ind: ledger.Indicator, user: Any, year: int | None, county: Division | None = None) -> Decimal:
    return ledger.value(ind, user, year, county)


def per_county(ind: ledger.Indicator, user: Any, year: int | None) -> dict[int, Decimal]:
    """`indicators.by_county(ind, user, year)`: county id → value, in one grouped query (or from the figures kept
    ready when they are the user's)."""
    if year is not None or not ind.has_year:
        ready = ready_for(user, None, year if ind.has_year else _this_year())
        found = ready.per_county(ind) if ready is not None else None
        if found is not None:
            return found
    return _cached(lambda: _per_county(ind, user, year), "county", _who(user), ind.code, year)


def _per_county(ind: ledger.Indicator, user: Any, year: int | None) -> dict[int, Decimal]:
    return ledger.by_county(ind, user, year)


def ind_model(ind: ledger.Indicator) -> Any:
    from django.apps import apps

    return apps.get_model(ind.model)


def drilldown(ind: ledger.Indicator, year: int | None, county: Division | None = None) -> str | None:
    """The ledger's drill-down page of a figure (`dashboard:drill_down`), or None for a ratio (its page shows
    the links to its two parts, but a bar of a ratio opens nothing)."""
    if ind.is_ratio:
        return None
    query = {}
    if year is not None and ind.has_year:
        query["year"] = str(year)
    if county is not None:
        query["county"] = str(county.pk)
    url = reverse("dashboard:drill_down", args=[ind.code])
    return f"{url}?{urlencode(query)}" if query else url


def target(ind: ledger.Indicator, year: int, division: Division | None) -> Decimal | None:
    if division is None:
        return None
    found = Target.objects.filter(indicator=ind.code, year=year, division=division).values_list("value", flat=True)
    return next(iter(found), None)


def county_chart(user: Any, ind: ledger.Indicator, year: int) -> Chart:
    counties = ledger.counties()
    values = per_county(ind, user, year)
    targets = dict(Target.objects.filter(indicator=ind.code, year=year, division__in=counties)
                   .values_list("division_id", "value"))
    series = [{"name": str(ind.name), "data": [number(values[c.pk]) for c in counties]}]
    if targets:
        series.append({"name": pgettext("dashboard", "Target"), "data": [number(targets.get(c.pk)) for c in counties]})
    return Chart("county", "bar", _("%(indicator)s by county, %(year)s") % {"indicator": ind.name, "year": year},
                 str(ind.unit), [c.name for c in counties], series,
                 [drilldown(ind, year, c) for c in counties], {"indicator": ind.code, "year": year})


def month_ends(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    """The last `months` month ends up to this month's (today for the current month), oldest first."""
    ends = []
    year, month = today.year, today.month
    for _i in range(months):
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        ends.append(min(last, today))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


def year_to_date(ind: ledger.Indicator, user: Any, ends: list[datetime.date],
                 county: Division | None) -> dict[datetime.date, Decimal | None]:
    """Each month end → the figure of its year as it stood that day: the records dated from 1 January to the
    month end (one grouped query). None for an indicator with no date: its past cannot be recomputed. From the
    figures kept ready when they are the user's."""
    ready = ready_for(user, county, _this_year())
    found = ready.year_to_date(ind, ends, county) if ready is not None else None
    if found is not None:
        return found
    return _cached(lambda: _year_to_date(ind, user, ends, county), "ytd", _who(user), ind.code, ends[0], ends[-1],
                   county.pk if county is not None else "")


def dated_by_day(ind: ledger.Indicator) -> bool:
    """Whether the indicator's records carry their own date (or date-time): its figure at a past month end can
    be recomputed. Not one dated by related rows (`via`), by a span (`year_q`) or by an integer year."""
    if not ind.date_field or ind.via or ind.year_q or "__" in ind.date_field:
        return False
    return ind_model(ind)._meta.get_field(ind.date_field).get_internal_type() in ("DateField", "DateTimeField")


def dated_between(ind: ledger.Indicator, first: datetime.date, last: datetime.date) -> Q:
    """The record's date from `first` to `last` included; a date-time by the days of the current time zone."""
    field = ind.date_field
    if ind_model(ind)._meta.get_field(field).get_internal_type() == "DateTimeField":
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return Q(**{f"{field}__gte": first, f"{field}__lte": last})


def ytd_aggregates(ind: ledger.Indicator, ends: list[datetime.date]) -> dict[str, Any]:
    """One aggregate per month end ("p0" …): the records dated from 1 January of its year to it, counted (each
    record once, `many` joins included) or summed. Plain comparisons of the date column: no per-row function
    (extracting the month of a date-time calls Python for each row on SQLite: 2 s over 300,000 talents)."""
    out = {}
    for i, d in enumerate(ends):
        cond = dated_between(ind, datetime.date(d.year, 1, 1), d)
        out[f"p{i}"] = Sum(ind.sum_field, filter=cond) if ind.sum_field else Count("pk", filter=cond, distinct=ind.many)
    return out


def _year_to_date(ind: ledger.Indicator, user: Any, ends: list[datetime.date],
                  county: Division | None) -> dict[datetime.date, Decimal | None]:
    if ind.ratio_of is not None:
        num, den = (year_to_date(ledger.get(c), user, ends, county) for c in ind.ratio_of)
        out: dict[datetime.date, Decimal | None] = {}
        for d in ends:
            n, m = num[d], den[d]
            out[d] = None if n is None or m is None else _ratio(n, m)
        return out
    if not dated_by_day(ind):  # dated by related rows, by a period or by a year only: not recomputed here
        return {d: None for d in ends}
    field = ind.date_field
    qs = (ledger.records(ind, user, None, county).order_by()
          .filter(dated_between(ind, datetime.date(ends[0].year, 1, 1), ends[-1])))
    if not _distinct(ind):
        if ind.sum_field and ind.many:  # each record once
            qs = ind_model(ind).objects.filter(pk__in=qs.values("pk"))
        found = qs.aggregate(**ytd_aggregates(ind, ends))
        return {d: Decimal(found[f"p{i}"] or 0) for i, d in enumerate(ends)}
    qs = qs.annotate(y=ExtractYear(field), m=ExtractMonth(field))
    monthly: dict[tuple[int, int], Decimal] = {}
    # a record reached through several county paths: each once
    dated = {pk: (y, m) for pk, y, m in qs.values_list("pk", "y", "m").distinct()}
    amounts = dict(ind_model(ind).objects.filter(pk__in=list(dated)).values_list("pk", ind.sum_field)) \
        if ind.sum_field else {}
    for pk, key in dated.items():
        monthly[key] = monthly.get(key, Decimal(0)) + (Decimal(amounts[pk] or 0) if ind.sum_field else 1)
    return {d: sum((v for (y, m), v in monthly.items() if y == d.year and m <= d.month), Decimal(0)) for d in ends}


def trend_points(user: Any, ind: ledger.Indicator, county: Division | None,
                 today: datetime.date | None = None) -> list[tuple[str, Decimal | None, bool]]:
    """(month, figure, frozen) for the last 12 months: the month's snapshot where one was taken (the figure of
    the month's year, frozen at its end, whole city or `county`), otherwise computed now from the records dated
    up to the month end (`year_to_date`; this month: up to today). A snapshot is the office's whole-city figure; a
    user whose scope is narrower than a county never reads one."""
    today = today or timezone.localdate()
    ends = month_ends(today)
    periods = [d.strftime("%Y-%m") for d in ends]
    frozen: dict[str, Decimal] = {}
    if whole_scope(user, county):
        # a snapshot holds several years: keep each month's own
        for period, year, value in SnapshotValue.objects.filter(
                snapshot__period__in=periods, indicator=ind.code, division=county, dimension="").values_list(
                "snapshot__period", "year", "value"):
            if int(period[:4]) == year:
                frozen[period] = value
    live = year_to_date(ind, user, ends, county)
    if live[today] is None:  # no date: only today's figure is known
        live[today] = figure(ind, user, None, county)
    return [(period, frozen[period], True) if period in frozen else (period, live[day], False)
            for day, period in zip(ends, periods, strict=True)]


def whole_scope(user: Any, county: Division | None) -> bool:
    """Whether `user` sees every record of the whole city (county None) or of `county`, so that the office's
    frozen figures are theirs too."""
    from yiti.dashboard.home import is_citywide, own_county

    if is_citywide(user):
        return True
    return county is not None and getattr(user, "scope", "") == "county" and own_county(user) == county


def trend_chart(user: Any, ind: ledger.Indicator, county: Division | None) -> Chart:
    points = trend_points(user, ind, county)
    where = county.name if county is not None else _("whole city")
    return Chart("trend", "line", _("%(indicator)s, last 12 months (%(where)s)") % {"indicator": ind.name,
                                                                                     "where": where},
                 str(ind.unit), [p for p, _v, _f in points],
                 [{"name": str(ind.name), "data": [number(v) for _p, v, _f in points]}],
                 [], {"indicator": ind.code, "county": county.code if county is not None else ""})


def agreement_ladder(user: Any, year: int) -> dict[str, int]:
    """How many agreements signed in `year` (in the user's scope) reached each step of the ladder: an agreement
    counts on every step up to its status (a terminated one only as signed)."""
    ready = ready_for(user, None, year)
    if ready is not None:
        return dict(ready.data["ladder"])
    return agreement_ladder_of(Agreement.objects.restrict(user, "view"), year)


def agreement_ladder_of(agreements: Any, year: int) -> dict[str, int]:
    """`agreement_ladder` over the agreements of `agreements` (one query)."""
    qs = agreements.filter(signed_date__year=year)
    counts = qs.aggregate(**{str(step): Count("pk", filter=Q(status__in=LADDER[i:]) if i else Q())
                             for i, step in enumerate(LADDER)})
    return {str(step): counts[str(step)] for step in LADDER}


LADDER_INDICATORS = ("agreements_started", "agreements_funded", "agreements_landed")


def agreements_chart(user: Any, year: int) -> Chart:
    """A cohort (the agreements signed in `year`, by the step they have reached), not the ledger's step
    indicators (agreements_started/funded/landed count the step's evidence dated in the year, whatever year the
    agreement was signed): its labels and note say so, so that "已落地" here is never read as 协议落地数."""
    counts = agreement_ladder(user, year)
    labels = {str(Step.SIGNED): _("Signed in %(year)s") % {"year": year},
              str(Step.STARTED): _("of which started"), str(Step.FUNDS_ARRIVED): _("of which funds arrived"),
              str(Step.LANDED): _("of which landed")}
    return Chart("agreements", "funnel", _("Agreements signed in %(year)s: the step reached") % {"year": year},
                 pgettext("dashboard", "items"), [labels[s] for s in counts],
                 [{"name": pgettext("dashboard", "Agreements"), "data": list(counts.values())}],
                 [], {"year": year},
                 note=_("Counts the agreements signed in %(year)s by the step they have reached so far (one that "
                        "went further counts on every earlier step; a terminated one as signed only). The ledger's "
                        "indicators %(indicators)s count instead the step's evidence dated in %(year)s, whatever "
                        "year the agreement was signed.")
                 % {"year": year, "indicators": "、".join(f"“{ledger.get(c).name}”" for c in LADDER_INDICATORS)})


# as the matching funnel's own page names them (matching/lists/_funnel_head.html)
STEP_LABELS = {"proposed": pgettext_lazy("funnel", "Proposed"), "accepted": gettext_lazy("Accepted"),
               "published": pgettext_lazy("matching stage", "Published"), "contacted": gettext_lazy("Contacted"),
               "talking": gettext_lazy("In talks"), "signed": gettext_lazy("Signed"), "landed": gettext_lazy("Landed")}


def matching_chart(user: Any) -> Chart:
    from yiti.matching import lists
    from yiti.matching.models import MatchingItem

    ready = ready_for(user, None, _this_year())
    counts = ready.data["funnel"] if ready is not None else lists.funnel(MatchingItem.objects.visible(user))
    steps = lists.STEP_NAMES
    items = reverse("matching:items")
    return Chart("matching", "funnel", _("Matching funnel"), pgettext("dashboard", "items"),
                 [str(STEP_LABELS[s]) for s in steps], [{"name": _("Matching items"), "data": [counts[s] for s in steps]}],
                 [f"{items}?{urlencode({'step': s})}" for s in steps], {})


# ---- request parameters ---------------------------------------------------------------------------------------

def year_param(request: Any) -> int:
    """?year= when it is a plausible year, else this year."""
    value = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= this + 1 else this


def years() -> list[int]:
    """The years offered by the charts' year select: the last five."""
    this = timezone.localdate().year
    return list(range(this - 4, this + 1))


def indicator_param(request: Any) -> ledger.Indicator:
    """?indicator= when it names a declared indicator, else the first declared."""
    code = request.GET.get("indicator", "")
    return ledger.INDICATORS.get(code) or next(iter(ledger.INDICATORS.values()))


def build(request: Any, name: str) -> Chart:
    """The chart `name` for the user, or 403/404: who sees what is `home.audiences`."""
    from yiti.dashboard.home import audiences, own_county

    seen = audiences(request.user)
    citywide = "leader" in seen
    if name == "county" and citywide:
        return county_chart(request.user, indicator_param(request), year_param(request))
    if name == "trend" and (citywide or "staff" in seen):
        county = None if citywide else own_county(request.user)
        if county is None and not citywide:
            raise PermissionDenied
        return trend_chart(request.user, indicator_param(request), county)
    if name == "agreements" and citywide:
        return agreements_chart(request.user, year_param(request))
    if name == "matching" and citywide:
        return matching_chart(request.user)
    if name in CHARTS:
        raise PermissionDenied
    raise Http404


CHARTS = ("county", "trend", "agreements", "matching")


def chart_json(request, chart: str):
    return JsonResponse(build(request, chart).as_json(), json_dumps_params={"ensure_ascii": False})


def chart_xlsx(request, chart: str):
    found = build(request, chart)
    header = ["", *[s["name"] for s in found.series]]
    data = [header, *[[export.neutralise(r["label"]), *["" if c is None else c for c in r["cells"]]]
                      for r in found.rows()]]
    return export.xlsx_response(found.title, found.title[:31], data)
