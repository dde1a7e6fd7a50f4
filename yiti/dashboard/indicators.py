"""The indicator ledger (指标台账): each indicator declared once, here, with its 口径 (definition), its unit,
the records it counts or sums and its dimensions. Every figure is computed from a queryset — `records()` —
so the drill-down list of a figure is exactly the records counted.

An indicator's value for (year, county): the records of `model` that pass `where`, whose `date_field` falls in
the year (no year: all of them) and whose `county_path` lies in the county (the county's division or below;
no county: the whole city), restricted to what the user may view; then counted, or `sum_field` summed.
A ratio indicator divides two others (`ratio_of`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from yiti.core.access import _division_ids
from yiti.core.models import Division


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Any  # a lazy Chinese string
    definition: Any  # 口径: what is counted, in the office's words
    unit: Any
    model: str = ""  # "agreements.Agreement"
    where: Callable[[], Q] | None = None  # which records count (None: all)
    date_field: str = ""  # the date that puts a record in a year ("" : no year dimension)
    county_path: str = "division"  # the path to the record's division
    sum_field: str = ""  # sum this field instead of counting
    # extra dimensions beyond year and county: name → path of the value (e.g. {"university": "parties"})
    dimensions: dict[str, str] = field(default_factory=dict)
    ratio_of: tuple[str, str] | None = None  # (numerator code, denominator code), in percent
    group: Any = ""  # the section of the ledger page it is listed under

    @property
    def is_ratio(self) -> bool:
        return self.ratio_of is not None


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


def records(ind: Indicator, user: Any, year: int | None = None, county: Division | None = None,
            **dimensions: str) -> QuerySet:
    """Exactly the records a figure counts: the drill-down list. `user` None: the whole city, unrestricted
    (the office's own figures: snapshots, reports)."""
    if ind.is_ratio:
        raise ValueError(f"{ind.code} is a ratio: drill down into its numerator or denominator")
    model = apps.get_model(ind.model)
    qs = model.objects.all() if user is None else model.objects.restrict(user, "view")
    if ind.where is not None:
        qs = qs.filter(ind.where())
    if year is not None and ind.date_field:
        qs = qs.filter(**{f"{ind.date_field}__year": year})
    if county is not None:
        qs = qs.filter(**{f"{ind.county_path}__in": _division_ids(county.pk)})
    for name, value in dimensions.items():
        qs = qs.filter(**{ind.dimensions[name]: value})
    return qs.distinct() if ind.dimensions or "__" in ind.county_path else qs


def value(ind: Indicator, user: Any, year: int | None = None, county: Division | None = None,
          **dimensions: str) -> Decimal:
    if ind.ratio_of is not None:
        num, den = (value(get(c), user, year, county, **dimensions) for c in ind.ratio_of)
        return (num * 100 / den).quantize(Decimal("0.1")) if den else Decimal(0)
    qs = records(ind, user, year, county, **dimensions)
    if ind.sum_field:
        return Decimal(qs.aggregate(v=Sum(ind.sum_field))["v"] or 0)
    return Decimal(qs.count())


def by_county(ind: Indicator, user: Any, year: int | None = None) -> dict[int, Decimal]:
    """Division id → value, for each county of the city (one query per county: counties are few)."""
    return {c.pk: value(ind, user, year, c) for c in counties()}


# --- the indicators --------------------------------------------------------------------------------------
# (more are declared by the ledger's own work; each needs its drill-down test to pass: see tests)

NEEDS = _("Needs and matching")
AGREEMENTS = _("Agreements")

declare(Indicator(
    code="needs_collected", name=_("Enterprise needs collected"), group=NEEDS, unit=_("items"),
    definition=_("Enterprise needs entered in the needs database, by publication date."),
    model="needs.Need", date_field="published_date", county_path="enterprise__division"))
declare(Indicator(
    code="agreements_signed", name=_("Cooperation agreements signed"), group=AGREEMENTS, unit=_("items"),
    definition=_("Cooperation agreements signed, by signing date, terminated ones included."),
    model="agreements.Agreement", date_field="signed_date", county_path="division"))
declare(Indicator(
    code="funds_committed", name=_("Funds committed by agreements"), group=AGREEMENTS, unit=_("10k yuan"),
    definition=_("The committed funds of the agreements signed in the year."),
    model="agreements.Agreement", date_field="signed_date", county_path="division", sum_field="committed_funds"))

__all__ = ["INDICATORS", "Indicator", "by_county", "city", "counties", "declare", "get", "records", "value"]
