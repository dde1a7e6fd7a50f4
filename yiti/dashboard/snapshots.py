"""Monthly snapshots of the indicator ledger: the figures frozen at a month's end, so that trends and reports
survive later edits of the records. A snapshot is taken once per month and never rewritten; `recompute`
compares it with today's figures."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from yiti.dashboard import indicators as ledger
from yiti.dashboard.models import Snapshot, SnapshotValue

# Figures go back this many years before the snapshot's year (records dated earlier count in no year).
YEARS_BACK = 4


def figures(period: str) -> dict[tuple[str, int, int | None], Decimal]:
    """(indicator, year, county id or None for the city) → value, for the years up to the period's."""
    year = int(period[:4])
    counties = ledger.counties()
    out: dict[tuple[str, int, int | None], Decimal] = {}
    for ind in ledger.INDICATORS.values():
        for y in range(year - YEARS_BACK, year + 1):
            out[(ind.code, y, None)] = ledger.value(ind, None, y)
            for county in counties:
                out[(ind.code, y, county.pk)] = ledger.value(ind, None, y, county)
    return out


def take(period: str | None = None, user: Any = None) -> Snapshot:
    """The snapshot of `period` ("2026-11"; default: this month), taken now if there is none yet."""
    period = period or date.today().strftime("%Y-%m")
    existing = Snapshot.objects.filter(period=period).first()
    if existing is not None:
        return existing
    values = figures(period)
    with transaction.atomic():
        snap = Snapshot.objects.create(period=period, taken_by=user if getattr(user, "pk", None) else None)
        SnapshotValue.objects.bulk_create(
            SnapshotValue(snapshot=snap, indicator=code, year=y, division_id=county, value=v)
            for (code, y, county), v in values.items())
    return snap


def frozen(snapshot: Snapshot) -> dict[tuple[str, int, int | None], Decimal]:
    return {(v.indicator, v.year, v.division_id): v.value for v in snapshot.values.all()}


def recompute(snapshot: Snapshot) -> list[tuple[tuple[str, int, int | None], Decimal, Decimal]]:
    """What changed since the snapshot: (key, frozen value, value today) for every figure that differs."""
    then = frozen(snapshot)
    now = figures(snapshot.period)
    return [(k, then.get(k, Decimal(0)), v) for k, v in now.items() if then.get(k, Decimal(0)) != v]
