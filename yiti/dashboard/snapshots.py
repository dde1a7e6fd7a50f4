"""Monthly snapshots of the indicator ledger: the figures frozen at a month's end, so that trends and reports
survive later edits of the records. A snapshot is taken once per month and never rewritten; `recompute`
compares it with today's figures.

The schedule: on the 1st of each month (Asia/Shanghai) the previous month's snapshot is taken — by cron running
`yiti snapshot` (or any daily job calling `take_due()`): both take the previous month's snapshot if it is missing
and do nothing otherwise, so running them every day, or twice, is harmless and a missed 1st is caught up.
"""

import datetime
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.dashboard import indicators as ledger
from yiti.dashboard.models import Snapshot, SnapshotValue

# Figures go back this many years before the snapshot's year (records dated earlier count in no year).
YEARS_BACK = 4

Key = tuple[str, int, int | None]


def check_period(text: str) -> str:
    """A month as "2026-11"; a malformed or impossible month is refused in Chinese."""
    text = (text or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}", text) or not 1 <= int(text[5:]) <= 12 or not 2000 <= int(text[:4]) <= 2100:
        raise ValidationError(_("A month is written as YYYY-MM, e.g. 2026-11."), code="period_invalid")
    if text > timezone.localdate().strftime("%Y-%m"):
        raise ValidationError(_("A snapshot cannot be taken of a month to come."), code="period_future")
    return text


def previous_period(today: datetime.date) -> str:
    """The month before `today`'s: the one whose end has passed."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")


def figures(period: str) -> dict[Key, Decimal]:
    """(indicator, year, county id or None for the city) → value, for the years up to the period's. An
    indicator without a year dimension (a stock, as of today) is stored under the period's year only.

    One query per indicator gives its five years for the city and every county (`indicators.by_years`: grouped by
    the record's division and the year of its date); a ratio is worked out from its parts. The values are those
    of `indicators.value` and `by_county` (tests/test_indicators.py compares them)."""
    year = int(period[:4])
    within = ledger.county_map(ledger.counties())
    first = year - YEARS_BACK
    found: dict[str, dict[int, tuple[Decimal, dict[int, Decimal]]]] = {}

    def of(ind: ledger.Indicator) -> dict[int, tuple[Decimal, dict[int, Decimal]]]:
        if ind.code not in found:
            if ind.ratio_of is not None:
                num, den = (of(ledger.get(c)) for c in ind.ratio_of)
                years = sorted(set(num) | set(den))
                found[ind.code] = {y: ledger.ratio_of_parts(at(num, y), at(den, y)) for y in years}
            elif ind.has_year:
                found[ind.code] = ledger.by_years(ind, None, first, year, within)
            else:
                found[ind.code] = {year: ledger.city_and_counties(ind, None, None, within)}
        return found[ind.code]

    def at(per_year: dict[int, tuple[Decimal, dict[int, Decimal]]], y: int) -> tuple[Decimal, dict[int, Decimal]]:
        return per_year[y] if y in per_year else per_year[year]  # a part without a year: the same every year

    out: dict[Key, Decimal] = {}
    for ind in ledger.INDICATORS.values():
        per_year = of(ind)
        for y in range(first, year + 1) if ind.has_year else [year]:
            total, per_county = at(per_year, y)
            out[(ind.code, y, None)] = total
            for county, v in per_county.items():
                out[(ind.code, y, county)] = v
    return out


def take(period: str | None = None, user: Any = None) -> Snapshot:
    """The snapshot of `period` ("2026-11"; default: this month), taken now if there is none yet; an existing
    snapshot is returned as it is, never rewritten."""
    period = period or timezone.localdate().strftime("%Y-%m")
    existing = Snapshot.objects.filter(period=period).first()
    if existing is not None:
        return existing
    values = figures(period)
    try:
        with transaction.atomic():
            snap = Snapshot.objects.create(period=period, taken_by=user if getattr(user, "pk", None) else None)
            SnapshotValue.objects.bulk_create(
                SnapshotValue(snapshot=snap, indicator=code, year=y, division_id=county, value=v)
                for (code, y, county), v in values.items())
    except IntegrityError:  # another process took it meanwhile: theirs stands
        return Snapshot.objects.get(period=period)
    return snap


def take_due(today: datetime.date | None = None) -> Snapshot:
    """The previous month's snapshot, taken if missing (the monthly schedule: run it daily)."""
    return take(previous_period(today or timezone.localdate()))


def frozen(snapshot: Snapshot) -> dict[Key, Decimal]:
    return {(v.indicator, v.year, v.division_id): v.value for v in snapshot.values.all()}


def recompute(snapshot: Snapshot) -> list[tuple[Key, Decimal, Decimal]]:
    """What changed since the snapshot: (key, frozen value, value today) for every figure that differs."""
    then = frozen(snapshot)
    now = figures(snapshot.period)
    return [(k, then.get(k, Decimal(0)), v) for k, v in now.items() if then.get(k, Decimal(0)) != v]
