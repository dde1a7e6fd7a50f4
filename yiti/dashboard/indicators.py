"""The indicator ledger (指标台账): each indicator declared once, here, with its 口径 (definition), its unit,
the records it counts or sums and its dimensions. Every figure is computed from a queryset — `records()` —
so the drill-down list of a figure is exactly the records counted.

An indicator's value for (year, county): the records of `model` that pass `where`, whose `date_field` falls in
the year (no year: all of them) and whose `county_path` lies in the county (the county's division or below;
no county: the whole city), restricted to what the user may view; then counted, or `sum_field` summed.
A ratio indicator divides two others (`ratio_of`).

When the year comes from related rows that are not a registry (an agreement's evidence of a step), `via` names
the reverse relation: `via_where`, `date_field` and `sum_field` then apply to those rows, and `records()` still
returns the registry's records (the agreements with 资金到位 evidence dated in the year), so a drill-down is a
list of records a user can open. `year_q` replaces "the date falls in the year" when the year is a span (an
assignment active at some time in the year).

The small stable API the other parts use: `INDICATORS`, `get`, `records`, `value`, `by_county`, `counties`,
`columns(user)` and `table(user, year)` (the ledger page's rows). See docs/dashboard.md, "Indicator ledger".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from yiti.agreements.choices import Step
from yiti.core.access import _division_ids, home_division
from yiti.core.models import Division
from yiti.experts.choices import RoleStatus, RoleType
from yiti.orgs.choices import LadderStage, OrgType
from yiti.platforms.choices import PlatformLevel, PlatformStatus, PlatformType
from yiti.results.choices import ResultStatus
from yiti.talents.choices import Population


@dataclass(frozen=True)
class Dimension:
    """A breakdown beyond year and county (a university, an industry): `q(value)` selects the records of one
    value; `options()` lists the (value, label) pairs offered, for the whole city."""

    label: Any
    q: Callable[[str], Q]
    options: Callable[[], list[tuple[str, str]]]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Any  # a lazy Chinese string
    definition: Any  # 口径: what is counted, in the office's words
    unit: Any
    model: str = ""  # "agreements.Agreement"
    where: Callable[[], Q] | None = None  # which records count (None: all)
    date_field: str = ""  # the date (or integer year) that puts a record in a year ("" : no year dimension)
    county_path: str = "division"  # the path to the record's division
    sum_field: str = ""  # sum this field instead of counting
    # extra dimensions beyond year and county, by name ("university", "industry")
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    ratio_of: tuple[str, str] | None = None  # (numerator code, denominator code), in percent
    group: Any = ""  # the section of the ledger page it is listed under
    via: str = ""  # reverse relation whose rows carry the date, condition and summed field ("evidence")
    via_where: Callable[[], Q] | None = None  # which of those rows count
    year_q: Callable[[int], Q] | None = None  # the year condition, when not "date_field in the year"
    many: bool = False  # `where` follows a many-valued relation: the records are made distinct
    divide: int = 1  # the sum is divided by this (yuan → 10k yuan: 10000)
    # A model that is not a registry (the benefit ledger): the records `user` may read, in place of the
    # registry's restrict(), and the columns of its drill-down list and export. It must give a whole-city viewer
    # the whole table (no condition) and a county officer every record of their county: the kept figures
    # (live.py) are theirs then.
    visible: Callable[[Any], QuerySet] | None = None
    drill_fields: tuple[str, ...] = ()

    @property
    def is_ratio(self) -> bool:
        return self.ratio_of is not None

    @property
    def has_year(self) -> bool:
        return bool(self.date_field or self.year_q) or (self.is_ratio and any(get(c).has_year for c in self.ratio_of or ()))


INDICATORS: dict[str, Indicator] = {}


def declare(indicator: Indicator) -> Indicator:
    if indicator.code in INDICATORS:
        raise ValueError(f"indicator {indicator.code} declared twice")
    INDICATORS[indicator.code] = indicator
    return indicator


def get(code: str) -> Indicator:
    return INDICATORS[code]


def city() -> Division | None:
    """The city this installation serves: the division of the city department."""
    from yiti.accounts.models import Department, DepartmentKind

    dept = Department.objects.filter(kind=DepartmentKind.CITY).select_related("division").order_by("pk").first()
    return dept.division if dept is not None else None


def counties() -> list[Division]:
    """The city's counties (its divisions one level down), by code."""
    c = city()
    return list(Division.objects.filter(parent=c).order_by("code")) if c is not None else []


def _prefixed(q: Q, prefix: str) -> Q:
    """`q` with every lookup put behind `prefix` ("step" → "evidence__step"), so that it can join the other
    conditions on the same related row in one filter() call."""
    out = Q(_connector=q.connector, _negated=q.negated)
    out.children = [_prefixed(c, prefix) if isinstance(c, Q) else (f"{prefix}__{c[0]}", c[1])  # type: ignore[index]
                    for c in q.children]
    return out


def _date_in_year(model: Any, path: str, year: int) -> Q:
    """`path` (a date, a date-time or an integer year) in `year`."""
    target = model
    *hops, last = path.split("__")
    for hop in hops:
        target = target._meta.get_field(hop).related_model
    if target._meta.get_field(last).get_internal_type() in ("DateField", "DateTimeField"):
        return Q(**{f"{path}__year": year})
    return Q(**{path: year})


def _via(ind: Indicator) -> tuple[Any, str]:
    """The model of the `via` rows and the name of their foreign key to the registry's record."""
    rel = apps.get_model(ind.model)._meta.get_field(ind.via)
    return rel.related_model, rel.field.name


def _row_q(ind: Indicator, year: int | None) -> Q:
    """The condition on the `via` rows (their own field names)."""
    rows = ind.via_where() if ind.via_where is not None else Q()
    if year is not None and ind.date_field:
        rows &= _date_in_year(_via(ind)[0], ind.date_field, year)
    return rows


def records(ind: Indicator, user: Any, year: int | None = None, county: Division | None = None,
            **dimensions: str) -> QuerySet:
    """Exactly the records a figure counts: the drill-down list. `user` None: the whole city, unrestricted
    (the office's own figures: snapshots, reports). An unknown dimension raises KeyError."""
    if ind.is_ratio:
        raise ValueError(f"{ind.code} is a ratio: drill down into its numerator or denominator")
    model = apps.get_model(ind.model)
    # pooled=False: the city-wide pools widen what a county officer may read beyond their county, never inside it
    if user is None:
        qs = model.objects.all()
    elif ind.visible is not None:
        qs = ind.visible(user)
    else:
        qs = model.objects.restrict(user, "view", pooled=False)
    # One filter() call: conditions on a many-valued relation then refer to the same related row.
    cond = ind.where() if ind.where is not None else Q()
    if ind.via:
        cond &= _prefixed(_row_q(ind, year), ind.via)
    elif year is not None and ind.year_q is not None:
        cond &= ind.year_q(year)
    elif year is not None and ind.date_field:
        cond &= _date_in_year(model, ind.date_field, year)
    if cond:
        qs = qs.filter(cond)
    if county is not None:
        qs = qs.filter(**{f"{ind.county_path}__in": _division_ids(county.pk)})
    for name, wanted in dimensions.items():
        qs = qs.filter(ind.dimensions[name].q(wanted))
    return qs.distinct() if ind.many or ind.via or ind.year_q or dimensions else qs


def _scaled(ind: Indicator, total: Any) -> Decimal:
    total = Decimal(total or 0)
    return (total / ind.divide).quantize(Decimal("0.01")) if ind.divide != 1 else total


def _summed(ind: Indicator, qs: QuerySet, year: int | None, group_by: str = "") -> Any:
    """The sum of `sum_field` over the records of `qs` (or over their `via` rows), each record once;
    grouped by the record's `group_by` path when given."""
    model = apps.get_model(ind.model)
    if ind.via:
        rows_model, fk = _via(ind)
        rows = rows_model.objects.filter(_row_q(ind, year), **{f"{fk}__in": qs.values("pk")})
        path = f"{fk}__{group_by}" if group_by else ""
    else:
        rows = model.objects.filter(pk__in=qs.values("pk"))
        path = group_by
    if group_by:
        return rows.order_by().values_list(path).annotate(v=Sum(ind.sum_field))
    return rows.aggregate(v=Sum(ind.sum_field))["v"]


def _ratio(num: Decimal, den: Decimal) -> Decimal:
    return (num * 100 / den).quantize(Decimal("0.1")) if den else Decimal(0)


def value(ind: Indicator, user: Any, year: int | None = None, county: Division | None = None,
          **dimensions: str) -> Decimal:
    if ind.ratio_of is not None:
        num, den = (value(get(c), user, year, county, **dimensions) for c in ind.ratio_of)
        return _ratio(num, den)
    qs = records(ind, user, year, county, **dimensions)
    if ind.sum_field:
        return _scaled(ind, _summed(ind, qs, year))
    return Decimal(qs.count())


def county_map(county_list: list[Division]) -> dict[int, int]:
    """Division id → the id of the county it lies in (the county itself included)."""
    out: dict[int, int] = {}
    for c in county_list:
        out.update(dict.fromkeys(_division_ids(c.pk), c.pk))
    return out


def city_and_counties(ind: Indicator, user: Any, year: int | None, within: dict[int, int],
             **dimensions: str) -> tuple[Decimal, dict[int, Decimal]]:
    """(whole-city value, county id → value) from one query grouped by the record's division: a record has one
    division, so the groups add up to the city's figure and each county's groups to the county's."""
    qs = records(ind, user, year, None, **dimensions)
    if ind.sum_field:
        grouped = _summed(ind, qs, year, group_by=ind.county_path)
    else:
        grouped = qs.order_by().values_list(ind.county_path).annotate(v=Count("pk", distinct=True))
    total = Decimal(0)
    out = dict.fromkeys(sorted(set(within.values())), Decimal(0))
    for division_id, v in grouped:
        total += Decimal(v or 0)
        if division_id in within:
            out[within[division_id]] += Decimal(v or 0)
    if ind.sum_field:
        return _scaled(ind, total), {c: _scaled(ind, v) for c, v in out.items()}
    return total, out


def by_years(ind: Indicator, user: Any, first: int, last: int,
             within: dict[int, int]) -> dict[int, tuple[Decimal, dict[int, Decimal]]]:
    """year → `city_and_counties(ind, user, year, within)` for each year from `first` to `last`, in one query
    grouped by the record's division with one conditional count (or sum) per year (a snapshot's five years at
    once). The year's condition is `_date_in_year`'s (a range of the date column, no per-row function), so each
    figure is exactly the records of `records(ind, user, year)` there. An indicator whose year is a span
    (`year_q`) or which has no year is asked year by year."""
    if ind.is_ratio:
        raise ValueError(f"{ind.code} is a ratio: work it out from its parts")
    years_ = range(first, last + 1)
    if ind.year_q is not None or not ind.date_field:
        return {y: city_and_counties(ind, user, y if ind.has_year else None, within) for y in years_}
    qs = records(ind, user, None, None)  # the conditions without a year (via: rows of any date)
    if ind.via:
        rows_model, fk = _via(ind)
        rows = rows_model.objects.filter(_row_q(ind, None), **{f"{fk}__in": qs.values("pk")})
        rows = rows.filter(_years_q(rows_model, ind.date_field, first, last))
        path = f"{fk}__{ind.county_path}"
        aggregates = {f"y{y}": Sum(ind.sum_field, filter=_date_in_year(rows_model, ind.date_field, y))
                      if ind.sum_field else Count(fk, distinct=True, filter=_date_in_year(rows_model, ind.date_field, y))
                      for y in years_}
    else:
        model = apps.get_model(ind.model)
        rows = qs.filter(_years_q(model, ind.date_field, first, last))
        if ind.sum_field:  # each record once, as `_summed`
            rows = model.objects.filter(pk__in=rows.values("pk"))
        path = ind.county_path
        aggregates = {f"y{y}": Sum(ind.sum_field, filter=_date_in_year(model, ind.date_field, y))
                      if ind.sum_field else Count("pk", distinct=True, filter=_date_in_year(model, ind.date_field, y))
                      for y in years_}
    grouped = rows.order_by().values(path).annotate(**aggregates).values_list(path, *aggregates)
    counties_ = sorted(set(within.values()))
    totals = {y: Decimal(0) for y in years_}
    out = {y: dict.fromkeys(counties_, Decimal(0)) for y in years_}
    for division_id, *values_ in grouped:
        for y, v in zip(years_, values_, strict=True):
            totals[y] += Decimal(v or 0)
            if division_id in within:
                out[y][within[division_id]] += Decimal(v or 0)
    if ind.sum_field:
        return {y: (_scaled(ind, totals[y]), {c: _scaled(ind, v) for c, v in out[y].items()}) for y in years_}
    return {y: (totals[y], out[y]) for y in years_}


def _years_q(model: Any, path: str, first: int, last: int) -> Q:
    """`path` (a date, a date-time or an integer year) in the years `first` to `last`."""
    target = model
    *hops, name = path.split("__")
    for hop in hops:
        target = target._meta.get_field(hop).related_model
    if target._meta.get_field(name).get_internal_type() in ("DateField", "DateTimeField"):
        return Q(**{f"{path}__year__gte": first, f"{path}__year__lte": last})
    return Q(**{f"{path}__gte": first, f"{path}__lte": last})


def ratio_of_parts(num: tuple[Decimal, dict[int, Decimal]],
                   den: tuple[Decimal, dict[int, Decimal]]) -> tuple[Decimal, dict[int, Decimal]]:
    """A ratio's (city, county → value) from its parts' (as `value` and `by_county` work it out)."""
    return _ratio(num[0], den[0]), {c: _ratio(num[1][c], den[1][c]) for c in num[1]}


def by_county(ind: Indicator, user: Any, year: int | None = None, *, within: dict[int, int] | None = None,
              **dimensions: str) -> dict[int, Decimal]:
    """County id → value, for each county of the city, in one grouped query (the same figures as
    `value(ind, user, year, county)`: a record counts in the county its division lies in)."""
    within = within if within is not None else county_map(counties())
    if ind.ratio_of is not None:
        num, den = (by_county(get(c), user, year, within=within, **dimensions) for c in ind.ratio_of)
        return {c: _ratio(num[c], den[c]) for c in num}
    return city_and_counties(ind, user, year, within, **dimensions)[1]


def by_dimension(ind: Indicator, name: str, user: Any, year: int | None = None,
                 county: Division | None = None) -> list[tuple[str, str, Decimal]]:
    """(value, label, figure) for each option of the dimension `name`, with a figure or not."""
    return [(key, label, value(ind, user, year, county, **{name: key})) for key, label in ind.dimensions[name].options()]


# --- the ledger page's rows -----------------------------------------------------------------------------

def may_view(user: Any) -> bool:
    """The ledger is for the office staff and the leaders (a county officer sees their county)."""
    return bool(user.is_authenticated and user.is_active
                and (user.is_superuser or getattr(user, "role", "") in ("staff", "leader")))


def columns(user: Any) -> list[Division | None]:
    """The ledger's columns for `user`: None (the whole city) then each county for the city office and the
    leaders; only their county for a county officer (a department at county level)."""
    if user.is_superuser or getattr(user, "role", "") == "leader" or getattr(user, "scope", "") == "city":
        return [None, *counties()]
    county = home_division(user)
    county_ids = {c.pk for c in counties()}
    if county is not None and county.pk in county_ids:
        return [county]
    return [None]  # a city department's own records (department scope): what they may see, city-wide


@dataclass
class Cell:
    division: Division | None  # None: the whole city
    value: Decimal
    target: Decimal | None
    progress: Decimal | None  # value / target, in percent


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell]


def progress(value_: Decimal, target: Decimal | None) -> Decimal | None:
    return (value_ * 100 / target).quantize(Decimal("0.1")) if target else None


def targets(year: int) -> dict[tuple[str, int], Decimal]:
    """(indicator, division id) → the year's target (the city's target sits on the city's division)."""
    from yiti.dashboard.models import Target

    return {(t.indicator, t.division_id): t.value for t in Target.objects.filter(year=year)}


def table(user: Any, year: int, cols: list[Division | None] | None = None) -> list[Row]:
    """What the ledger page shows: one row per indicator (in declaration order, which groups them), a cell per
    column of `columns(user)` with the value, the target and the progress. One grouped query per indicator
    gives the city and every county; a ratio is worked out from its parts' figures."""
    cols = columns(user) if cols is None else cols
    within = county_map([c for c in cols if c is not None])
    goals = targets(year)
    the_city = city()
    figures: dict[str, tuple[Decimal, dict[int, Decimal]]] = {}
    rows = []
    for ind in INDICATORS.values():
        y = year if ind.has_year else None
        if ind.ratio_of is not None:
            (num, num_c), (den, den_c) = (figures.get(c) or city_and_counties(get(c), user, y, within) for c in ind.ratio_of)
            figures[ind.code] = (_ratio(num, den), {c: _ratio(num_c[c], den_c[c]) for c in num_c})
        else:
            figures[ind.code] = city_and_counties(ind, user, y, within)
        total, per_county = figures[ind.code]
        cells = []
        for col in cols:
            v = total if col is None else per_county[col.pk]
            key = the_city.pk if col is None and the_city is not None else col.pk if col is not None else None
            goal = goals.get((ind.code, key)) if key is not None else None
            cells.append(Cell(col, v, goal, progress(v, goal)))
        rows.append(Row(ind, cells))
    return rows


def years(today: datetime.date | None = None, back: int = 4) -> list[int]:
    """The years offered by the ledger's selector, newest first."""
    this = (today or datetime.date.today()).year
    return list(range(this, this - back - 1, -1))


# --- dimensions -------------------------------------------------------------------------------------------

def _universities() -> list[tuple[str, str]]:
    from yiti.orgs.models import Organisation

    found = Organisation.objects.filter(org_type=OrgType.UNIVERSITY, agreements__isnull=False).distinct()
    return [(str(pk), name) for pk, name in found.order_by("name").values_list("pk", "name")]


def _industry_sections() -> list[tuple[str, str]]:
    from yiti.core.models import Industry

    return [(code, f"{code} {name}") for code, name in
            Industry.objects.filter(parent__isnull=True).order_by("code").values_list("code", "name")]


def _levels() -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in PlatformLevel.choices]


BY_UNIVERSITY = {"university": Dimension(_("university"), lambda v: Q(parties=v), _universities)}
BY_INDUSTRY = {"industry": Dimension(
    _("industry"), lambda v: Q(industry__code=v) | Q(industry__parent__code=v), _industry_sections)}
BY_LEVEL = {"level": Dimension(_("level"), lambda v: Q(level=v), _levels)}


# --- the indicators --------------------------------------------------------------------------------------
# Declaration order is the ledger's order; each group is a section of the page. Each indicator's drill-down
# is checked against its figure for every county and year of a demo dataset (tests/test_indicators.py).

TALENTS = _("Talents")
PLATFORMS = _("Innovation platforms")
NEEDS = _("Needs and matching")
AGREEMENTS = _("Agreements")
EXPERTS = _("Sci-tech commissioners")
RESULTS = _("Research results")
LADDER = _("Enterprise cultivation ladder")

ITEMS, PEOPLE, TEN_K_YUAN, PERCENT, ENTERPRISES = _("items"), _("people"), _("10k yuan"), _("%"), _("enterprises")


def _q(**conditions: Any) -> Callable[[], Q]:
    """A `where` of fixed conditions (a function: declared in a loop, each keeps its own values)."""
    return lambda: Q(**conditions)


def _assignment_in_year(prefix: str) -> Callable[[int], Q]:
    """An assignment (behind `prefix`) running at some time in the year: begun by its end, not ended before
    its start."""
    def q(year: int) -> Q:
        return Q(**{f"{prefix}start_date__lte": datetime.date(year, 12, 31)}) & (
            Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": datetime.date(year, 1, 1)}))
    return q


# Talents
declare(Indicator(
    code="talents_introduced", name=_("Local talents introduced"), group=TALENTS, unit=PEOPLE,
    definition=_("Local high-level talents entered in the talent database, by the date of entry (the talent "
                 "database records no separate date of introduction)."),
    model="talents.Talent", where=lambda: Q(population=Population.LOCAL), date_field="created_at"))
declare(Indicator(
    code="natives_registered", name=_("Natives working elsewhere registered"), group=TALENTS, unit=PEOPLE,
    definition=_("Natives working elsewhere entered in the database of natives elsewhere, by the date of entry."),
    model="talents.Talent", where=lambda: Q(population=Population.NATIVE_ELSEWHERE), date_field="created_at"))
declare(Indicator(
    code="natives_contacted", name=_("Natives working elsewhere contacted"), group=TALENTS, unit=PEOPLE,
    definition=_("Natives working elsewhere with at least one contact (phone, WeChat, visit …) logged in the "
                 "year; a person contacted several times counts once."),
    model="talents.Talent", where=lambda: Q(population=Population.NATIVE_ELSEWHERE),
    via="contacts", date_field="date"))
declare(Indicator(
    code="programme_members", name=_("Talent programme members"), group=TALENTS, unit=PEOPLE,
    definition=_("Talents in the database who belong to at least one talent programme (provincial plan, city "
                 "551 plan, doctoral service group …), as of today; a member of several counts once."),
    model="talents.Talent", where=lambda: Q(programmes__isnull=False), many=True))

# Innovation platforms: accredited in the year, by level; workstations and stations with their level.
ACCREDITED = (PlatformStatus.ACCREDITED, PlatformStatus.OPERATING)
for _level, _name in [
    (PlatformLevel.NATIONAL, _("National innovation platforms accredited")),
    (PlatformLevel.PROVINCIAL, _("Provincial innovation platforms accredited")),
    (PlatformLevel.MUNICIPAL, _("Municipal innovation platforms accredited")),
    (PlatformLevel.COUNTY, _("County innovation platforms accredited")),
]:
    declare(Indicator(
        code=f"platforms_{_level}", name=_name, group=PLATFORMS, unit=ITEMS,
        definition=_("Innovation platforms of every type at this level, accredited or operating, by the date of "
                     "accreditation; revoked ones and those still applying or publicly listed are not counted."),
        model="platforms.Platform", where=_q(level=_level, status__in=ACCREDITED),
        date_field="accredited_date"))
for _ptype, _code, _name in [
    (PlatformType.ACADEMICIAN_WORKSTATION, "workstations", _("Academician (expert) workstations accredited")),
    (PlatformType.POSTDOC_STATION, "postdoc_stations", _("Postdoctoral research stations accredited")),
    (PlatformType.DOCTORAL_STATION, "doctoral_stations", _("Doctoral innovation stations accredited")),
]:
    declare(Indicator(
        code=_code, name=_name, group=PLATFORMS, unit=ITEMS, dimensions=BY_LEVEL,
        definition=_("Platforms of this type, accredited or operating, by the date of accreditation; by level "
                     "(national, provincial, municipal, county)."),
        model="platforms.Platform", where=_q(platform_type=_ptype, status__in=ACCREDITED),
        date_field="accredited_date"))

# Needs and matching
declare(Indicator(
    code="needs_collected", name=_("Enterprise needs collected"), group=NEEDS, unit=ITEMS,
    definition=_("Enterprise needs entered in the needs database, by publication date."),
    model="needs.Need", date_field="published_date", county_path="enterprise__division", dimensions=BY_INDUSTRY))
declare(Indicator(
    code="needs_matched", name=_("Enterprise needs matched"), group=NEEDS, unit=ITEMS,
    definition=_("Of the needs published in the year, those with a matching item in a published matching list "
                 "or with a cooperation agreement that answers them; by publication date."),
    model="needs.Need", date_field="published_date", county_path="enterprise__division", dimensions=BY_INDUSTRY,
    where=lambda: Q(matching_items__published_at__isnull=False) | Q(agreements__isnull=False), many=True))

# Agreements: signed by the signing date; started, funded, landed by the date of the step's evidence.
declare(Indicator(
    code="agreements_signed", name=_("Cooperation agreements signed"), group=AGREEMENTS, unit=ITEMS,
    definition=_("Cooperation agreements signed, by signing date, terminated ones included."),
    model="agreements.Agreement", date_field="signed_date", county_path="division", dimensions=BY_UNIVERSITY))
declare(Indicator(
    code="agreement_items", name=_("Cooperation items agreed"), group=AGREEMENTS, unit=ITEMS,
    definition=_("The number of items of the agreements signed in the year (an agreement may cover several)."),
    model="agreements.Agreement", date_field="signed_date", sum_field="item_count", dimensions=BY_UNIVERSITY))
for _step, _code, _name, _definition in [
    (Step.STARTED, "agreements_started", _("Agreements whose projects started"),
     _("Agreements with evidence of the step 项目启动 dated in the year, whatever year they were signed (the home "
       "page's agreement ladder counts instead the agreements signed in the year by the step reached).")),
    (Step.FUNDS_ARRIVED, "agreements_funded", _("Agreements whose funds arrived"),
     _("Agreements with evidence of the step 资金到位 dated in the year, whatever year they were signed; an "
       "agreement funded in several instalments counts once (the home page's agreement ladder counts instead the "
       "agreements signed in the year by the step reached).")),
    (Step.LANDED, "agreements_landed", _("Agreements landed"),
     _("Agreements with evidence of the step 落地 dated in the year, whatever year they were signed (the home "
       "page's agreement ladder counts instead the agreements signed in the year by the step reached).")),
]:
    declare(Indicator(
        code=_code, name=_name, group=AGREEMENTS, unit=ITEMS, definition=_definition, dimensions=BY_UNIVERSITY,
        model="agreements.Agreement", via="evidence", via_where=_q(step=_step), date_field="date"))
declare(Indicator(
    code="funds_committed", name=_("Funds committed by agreements"), group=AGREEMENTS, unit=TEN_K_YUAN,
    definition=_("The committed funds of the agreements signed in the year."),
    model="agreements.Agreement", date_field="signed_date", county_path="division", sum_field="committed_funds",
    dimensions=BY_UNIVERSITY))
declare(Indicator(
    code="funds_arrived", name=_("Funds arrived in the year"), group=AGREEMENTS, unit=TEN_K_YUAN,
    definition=_("The amounts recorded on the 资金到位 evidence dated in the year (in yuan on the evidence, "
                 "shown in 10k yuan); the drill-down lists the agreements they belong to."),
    model="agreements.Agreement", via="evidence", via_where=lambda: Q(step=Step.FUNDS_ARRIVED), date_field="date",
    sum_field="amount", divide=10000, dimensions=BY_UNIVERSITY))

# Sci-tech commissioners and coverage
declare(Indicator(
    code="commissioners_assigned", name=_("Sci-tech commissioners assigned"), group=EXPERTS, unit=PEOPLE,
    definition=_("Active sci-tech commissioner roles with an assignment (to an enterprise or a village) running "
                 "at some time in the year; without a year, with any assignment. By the talent's division."),
    model="experts.ExpertRole", county_path="talent__division",
    where=lambda: Q(role=RoleType.COMMISSIONER, status=RoleStatus.ACTIVE, assignments__isnull=False),
    year_q=_assignment_in_year("assignments__"), many=True))
declare(Indicator(
    code="enterprises_covered", name=_("Enterprises served by a commissioner"), group=EXPERTS, unit=ENTERPRISES,
    definition=_("Enterprises with an assignment of an active sci-tech commissioner running at some time in the "
                 "year; an enterprise served by several counts once."),
    model="orgs.Organisation",
    where=lambda: Q(org_type=OrgType.ENTERPRISE, expert_assignments__role__role=RoleType.COMMISSIONER,
                    expert_assignments__role__status=RoleStatus.ACTIVE),
    year_q=_assignment_in_year("expert_assignments__"), many=True))
declare(Indicator(
    code="enterprises_total", name=_("Enterprises in the database"), group=EXPERTS, unit=ENTERPRISES,
    definition=_("Enterprises in the organisation database, as of today (the base of the coverage rate)."),
    model="orgs.Organisation", where=lambda: Q(org_type=OrgType.ENTERPRISE)))
declare(Indicator(
    code="commissioner_coverage", name=_("Commissioner coverage of enterprises"), group=EXPERTS, unit=PERCENT,
    definition=_("Enterprises served by a commissioner in the year ÷ enterprises in the database, in percent."),
    ratio_of=("enterprises_covered", "enterprises_total")))

# Research results
declare(Indicator(
    code="results_transferred", name=_("Research results transferred"), group=RESULTS, unit=ITEMS,
    definition=_("Results in the results database whose status is 已转化, by the result's year (the database "
                 "records no date of transfer); by the owner's division."),
    model="results.Result", where=lambda: Q(status=ResultStatus.TRANSFERRED), date_field="year",
    county_path="owner__division"))
declare(Indicator(
    code="results_value", name=_("Value of results transferred"), group=RESULTS, unit=TEN_K_YUAN,
    definition=_("The asking price of the results counted as transferred (the database records no contract "
                 "price); results without a price add nothing."),
    model="results.Result", where=lambda: Q(status=ResultStatus.TRANSFERRED), date_field="year",
    county_path="owner__division", sum_field="asking_price"))

# The cultivation ladder (科技企业梯度培育): enterprises at each stage today.
for _stage, _name in [
    (LadderStage.STARTUP_TEAM, _("Start-up teams")),
    (LadderStage.STARTUP, _("Start-up enterprises")),
    (LadderStage.TECH_SME, _("Tech-based SMEs")),
    (LadderStage.HIGH_TECH, _("High-tech enterprises")),
    (LadderStage.LITTLE_GIANT, _("Specialised “little giants”")),
    (LadderStage.LISTED, _("Enterprises listed on the STAR Market")),
]:
    declare(Indicator(
        code=f"ladder_{_stage}", name=_name, group=LADDER, unit=ENTERPRISES,
        definition=_("Enterprises in the organisation database at this stage of the cultivation ladder, as of "
                     "today (the database keeps the current stage, not its history)."),
        model="orgs.Organisation", where=_q(org_type=OrgType.ENTERPRISE, ladder_stage=_stage)))
declare(Indicator(
    code="reserve_pool", name=_("Enterprises in the reserve pool"), group=LADDER, unit=ENTERPRISES,
    definition=_("Enterprises marked as in the reserve cultivation pool (后备培育库), as of today."),
    model="orgs.Organisation", where=lambda: Q(org_type=OrgType.ENTERPRISE, in_reserve_pool=True)))
declare(Indicator(
    code="leading_enterprises", name=_("Leading S&T enterprises"), group=LADDER, unit=ENTERPRISES,
    definition=_("Enterprises marked as leading S&T enterprises (科技领军企业), as of today."),
    model="orgs.Organisation", where=lambda: Q(org_type=OrgType.ENTERPRISE, is_leading=True)))

# 校地融合 (yiti.pairing): pairs formed and the services they delivered.
PAIRING = _("University–community pairing")
declare(Indicator(
    code="pairs_formed", name=_("University–community pairs formed"), group=PAIRING, unit=ITEMS,
    definition=_("Pairs of a street or community with a university, institute or department whose term starts "
                 "in the year, in force or ended (proposals not yet confirmed are not counted)."),
    model="pairing.Pairing", where=lambda: Q(status__in=["active", "ended"]), date_field="term_start"))
declare(Indicator(
    code="pair_services", name=_("People served by pairs"), group=PAIRING, unit=PEOPLE,
    definition=_("People served by the services the pairs recorded in the year (lectures, consultations, "
                 "volunteer days …), summed over the services."),
    model="pairing.Pairing", via="services", date_field="date", sum_field="people_served"))
# Activities (yiti/activities): events held, positions offered at job fairs, intentions reached and hires.
ACTIVITIES = _("Activities and job fairs")
declare(Indicator(
    code="events_held", name=_("Activities held"), group=ACTIVITIES, unit=ITEMS,
    definition=_("Activities of every type (双招双引, job fairs, doctoral lectures, trainings, commissioners' "
                 "service days …) marked as held, by their start date and the county that held them."),
    model="activities.Event", where=lambda: Q(status="held"), date_field="start_date"))
declare(Indicator(
    code="positions_offered", name=_("Positions offered at job fairs"), group=ACTIVITIES, unit=PEOPLE,
    definition=_("Openings (the number of people wanted) of the positions offered at job fairs that were not "
                 "cancelled, by the fair's start date and the county that held it."),
    model="fairs.Position", where=lambda: ~Q(fair__status="cancelled"), date_field="fair__start_date",
    county_path="fair__division", sum_field="headcount"))
declare(Indicator(
    code="intentions_reached", name=_("Talents reaching a hiring intention"), group=ACTIVITIES, unit=PEOPLE,
    definition=_("Talents who reached a hiring intention with a position at a job fair in the year, by the date "
                 "of the intention and the talent's county; a talent with several intentions counts once."),
    model="talents.Talent", via="fair_intentions", date_field="intent_date"))
declare(Indicator(
    code="talents_hired", name=_("Talents hired at job fairs"), group=ACTIVITIES, unit=PEOPLE,
    definition=_("Talents hired (录用) for a position of a job fair, by the date of the decision and the talent's "
                 "county; a talent hired twice counts once."),
    model="talents.Talent", via="fair_intentions", via_where=lambda: Q(stage="hired"), date_field="decided_date"))

# 政策兑现 (yiti.policies): the benefit ledger's payments, by the date paid and the beneficiary's county.
POLICIES = _("Policies and benefits")
BENEFIT_COLUMNS = ("policy", "organisation", "talent", "division", "channel", "status", "applied_on", "amount",
                   "paid_on")


def _visible_benefits(user: Any) -> QuerySet:
    from yiti.policies.services import visible_benefits

    return visible_benefits(user)


declare(Indicator(
    code="benefits_paid", name=_("Benefits paid"), group=POLICIES, unit=ITEMS,
    definition=_("Lines of the benefit ledger paid in the year (免申即享 and 快申快享), by the date of payment and "
                 "the beneficiary's county."),
    model="policies.Benefit", where=lambda: Q(status="paid"), date_field="paid_on",
    visible=_visible_benefits, drill_fields=BENEFIT_COLUMNS))
declare(Indicator(
    code="benefit_amount_paid", name=_("Amount of benefits paid"), group=POLICIES, unit=TEN_K_YUAN,
    definition=_("The approved amounts of the ledger lines paid in the year, in 10k yuan, by the date of payment "
                 "and the beneficiary's county."),
    model="policies.Benefit", where=lambda: Q(status="paid"), date_field="paid_on", sum_field="amount",
    divide=10000, visible=_visible_benefits, drill_fields=BENEFIT_COLUMNS))
declare(Indicator(
    code="benefits_paid_unasked", name=_("Benefits paid without application"), group=POLICIES, unit=ITEMS,
    definition=_("Lines paid in the year that a screening found (免申即享), not applied for."),
    model="policies.Benefit", where=lambda: Q(status="paid", channel="screening"), date_field="paid_on",
    visible=_visible_benefits, drill_fields=BENEFIT_COLUMNS))
declare(Indicator(
    code="unasked_share", name=_("Share paid without application"), group=POLICIES, unit=PERCENT,
    definition=_("Benefits paid without application as a share of all benefits paid in the year."),
    ratio_of=("benefits_paid_unasked", "benefits_paid")))

__all__ = ["INDICATORS", "Cell", "Dimension", "Indicator", "Row", "by_county", "by_dimension", "city", "city_and_counties",
           "columns", "counties", "declare", "get", "may_view", "progress", "records", "table", "value", "years"]
