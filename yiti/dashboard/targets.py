"""Annual targets per county (年度目标): entered by the city office in a grid (indicator × county) or imported
from an Excel workbook. Either way every value is checked first and nothing is written unless all are good."""

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yiti.core.models import Division
from yiti.dashboard import indicators as ledger
from yiti.dashboard.models import Target

HEADERS = ["指标代码", "指标名称", "年度", "县区", "目标值"]
MAX_VALUE = Decimal("99999999999999")  # 16 digits, 2 of them decimals (Target.value)
MAX_ROWS = 5000


def may_edit(user: Any) -> bool:
    """Targets are set by the city office (city-wide staff) and administrators."""
    return bool(user.is_authenticated and user.is_active
                and (user.is_superuser or (getattr(user, "role", "") == "staff" and getattr(user, "scope", "") == "city")))


def places() -> list[Division]:
    """Where a target can be set: the whole city (its division) and each county."""
    c = ledger.city()
    return ([c] if c is not None else []) + ledger.counties()


def check_year(text: Any) -> int:
    try:
        year = int(str(text).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("The year must be a whole number such as 2026."), code="year_invalid") from None
    if not 2000 <= year <= 2100:
        raise ValidationError(_("The year must lie between 2000 and 2100."), code="year_range")
    return year


def check_value(text: Any) -> Decimal | None:
    """A target: blank (none), or a number ≥ 0 with at most two decimals."""
    text = str(text if text is not None else "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("The target must be a number."), code="value_invalid") from None
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        raise ValidationError(_("The target must be a number from 0 to 99,999,999,999,999."), code="value_range")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("The target may have at most two decimals."), code="value_decimals")
    return value


@transaction.atomic
def save(user: Any, year: int, values: dict[tuple[str, int], Decimal | None]) -> int:
    """Write the targets of `year` (indicator code, division id → value; None removes the target). Returns how
    many targets the year has afterwards."""
    allowed = {d.pk for d in places()}
    for (code, division_id), _v in values.items():
        if code not in ledger.INDICATORS or division_id not in allowed:
            raise ValidationError(_("Unknown indicator or county."), code="target_unknown")
    for (code, division_id), v in values.items():
        if v is None:
            Target.objects.filter(indicator=code, year=year, division_id=division_id).delete()
        else:
            Target.objects.update_or_create(indicator=code, year=year, division_id=division_id,
                                            defaults={"value": v, "updated_by": user})
    return Target.objects.filter(year=year).count()


def grid_values(data: Any, year: int) -> tuple[dict[tuple[str, int], Decimal | None], dict[str, str]]:
    """The grid form's cells (`t-<code>-<division id>`) → values, and the errors by cell name."""
    values: dict[tuple[str, int], Decimal | None] = {}
    errors: dict[str, str] = {}
    for ind in ledger.INDICATORS.values():
        for place in places():
            name = f"t-{ind.code}-{place.pk}"
            try:
                values[(ind.code, place.pk)] = check_value(data.get(name, ""))
            except ValidationError as exc:
                errors[name] = exc.messages[0]
    return values, errors


def plain(value: Decimal | None) -> str:
    """A target as the grid shows it: 260, 40.3 — not 260.00 (blank for none)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class RowError:
    row: int | None  # None: the file as a whole
    column: str  # "": the row as a whole
    reason: str

    def __str__(self) -> str:
        if self.row is None:
            return self.reason
        if not self.column:
            return _("Row %(row)d: %(reason)s") % {"row": self.row, "reason": self.reason}
        return _("Row %(row)d, column %(column)s: %(reason)s") % {"row": self.row, "column": self.column,
                                                                   "reason": self.reason}


def template_workbook(year: int) -> bytes:
    """An import template: the headers, then a row per indicator and place for `year` with today's targets."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "年度目标"
    ws.append(HEADERS)
    current = {(t.indicator, t.division_id): t.value for t in Target.objects.filter(year=year)}
    for ind in ledger.INDICATORS.values():
        for place in places():
            v = current.get((ind.code, place.pk))
            ws.append([ind.code, str(ind.name), year, place.name, float(v) if v is not None else None])
    for col, width in zip("ABCDE", (24, 36, 8, 14, 12), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_workbook(upload: Any) -> tuple[dict[tuple[int, str, int], Decimal | None], list[RowError]]:
    """The rows of an uploaded workbook as (year, indicator, division id) → value, and every bad row's error
    (row number as Excel shows it, column header, reason in Chinese)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return {}, [RowError(None, "", _("The file is not an Excel workbook (.xlsx)."))]
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        return {}, [RowError(1, "、".join(missing), _("The header row lacks these columns."))]
    col = {h: header.index(h) for h in HEADERS}
    by_name = {p.name: p.pk for p in places()} | {p.code: p.pk for p in places()}
    city_ = ledger.city()
    if city_ is not None:
        by_name["全市"] = city_.pk
    values: dict[tuple[int, str, int], Decimal | None] = {}
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(RowError(number, "", _("A workbook may hold at most 5,000 rows.")))
            break
        cells = {h: (row[i] if i < len(row) else None) for h, i in col.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        code = str(cells["指标代码"] or "").strip()
        if code not in ledger.INDICATORS:
            errors.append(RowError(number, "指标代码", _("Unknown indicator code “%(code)s”.") % {"code": code}))
            continue
        try:
            year = check_year(cells["年度"])
        except ValidationError as exc:
            errors.append(RowError(number, "年度", exc.messages[0]))
            continue
        place = str(cells["县区"] or "").strip()
        if place not in by_name:
            errors.append(RowError(number, "县区", _("“%(place)s” is not a county of the city (or 全市).")
                                   % {"place": place}))
            continue
        try:
            value = check_value(cells["目标值"])
        except ValidationError as exc:
            errors.append(RowError(number, "目标值", exc.messages[0]))
            continue
        key = (year, code, by_name[place])
        if key in values:
            errors.append(RowError(number, "指标代码", _("The same indicator, year and county appear on an earlier row.")))
            continue
        values[key] = value
    return values, errors


def import_workbook(user: Any, upload: Any) -> int:
    """Import the targets of a workbook: all rows, or none (ValidationError listing every bad row)."""
    values, errors = read_workbook(upload)
    if errors:
        raise ValidationError([str(e) for e in errors], code="target_rows")
    if not values:
        raise ValidationError(_("The workbook has no target rows."), code="target_empty")
    with transaction.atomic():
        for year in sorted({y for y, _c, _d in values}):
            save(user, year, {(c, d): v for (y, c, d), v in values.items() if y == year})
    return len(values)
