"""Export of the current filtered list to CSV or Excel.

The rows are exactly those of the list page (same access scope, same filters and order);
personal data is masked for everyone, whatever the role. A user who may reveal personal data may
ask for a plain export (明文导出) with a reason, within a daily number of rows
(`YITI_PLAIN_EXPORT_ROWS_PER_DAY`). Every export is written to the audit trail (a plain one with
its reason, filter and row count); cells that a spreadsheet would run as a formula are neutralised.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.core.masking import SENSITIVE_FIELDS, mask, may_reveal
from yiti.core.network import client_ip

FORMATS = ("csv", "xlsx")
# A spreadsheet runs a cell starting with these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def cell_text(obj: models.Model, field: models.Field, reveal: bool) -> str:
    if field.many_to_many:
        return "、".join(str(r) for r in getattr(obj, field.name).all())
    value = getattr(obj, field.name)
    if value is None or value == "":
        return ""
    as_text = getattr(obj, f"get_{field.name}_text", None)  # a model's own text for a structured value
    if field.name in SENSITIVE_FIELDS:
        text = str(value) if reveal else mask(field.name, str(value))
    elif as_text is not None:
        text = as_text()
    elif field.choices:
        text = str(getattr(obj, f"get_{field.name}_display")())
    elif isinstance(field, models.BooleanField):
        text = _("Yes") if value else _("No")
    elif isinstance(field, models.DateTimeField):
        text = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    elif isinstance(field, models.DateField):
        text = value.isoformat()
    else:
        text = str(value)
    return neutralise(text)


def export_fields(model: type[models.Model], names: list[str]) -> list[models.Field]:
    return [model._meta.get_field(n) for n in names]  # type: ignore[misc]


def public_cells(model: type[models.Model], user: Any) -> tuple[set[str], Any] | None:
    """For a registry with a city-wide pool: (its public fields, pks -> the pks inside `user`'s scope or None for
    all); None when every row the user sees is in scope. Rows outside the scope show only the public fields."""
    from yiti.core.access import scoped_pks
    from yiti.core.registry import registry_of

    registry = registry_of(model)
    if user is None or registry is None or registry.pool is None:
        return None
    return set(registry.pool.fields), lambda pks: scoped_pks(model, user, pks)


def rows(queryset: models.QuerySet, fields: list[models.Field], reveal: bool, user: Any = None) -> Iterator[list[str]]:
    """The header and the cells of every record; with `user`, a record seen only through the city-wide pool
    keeps its public fields and the other cells empty."""
    yield [str(f.verbose_name) for f in fields]
    public = public_cells(queryset.model, user)
    m2m = [f.name for f in fields if f.many_to_many]
    # One query for the rows and their related records; a person (创建人) is named with their department.
    related = [f.name for f in fields if f.many_to_one]
    people = [f"{f.name}__{unit}" for f in fields if f.many_to_one and f.related_model is get_user_model()
              for unit in ("department", "organisation")]
    queryset = queryset.select_related(*related, *people).prefetch_related(*m2m)
    # Chunked by primary key, so memory stays flat for a 300,000-row registry.
    for start in range(0, queryset.count(), CHUNK):
        chunk = list(queryset[start : start + CHUNK])
        scoped = public[1]([obj.pk for obj in chunk]) if public is not None else None
        for obj in chunk:
            if scoped is not None and obj.pk not in scoped:
                assert public is not None
                yield [cell_text(obj, f, False) if f.name in public[0] else "" for f in fields]
            else:
                yield [cell_text(obj, f, reveal) for f in fields]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, data: Iterator[list[str]]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    body = (writer.writerow(row) for row in data)
    # The BOM lets Excel on Chinese Windows open UTF-8 without garbling.
    response = StreamingHttpResponse(_with_bom(body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}.csv"
    return response


def _with_bom(body: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from body


def xlsx_bytes(title: str, data: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, title: str, data: Iterable[list[str]]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(title, data),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}.xlsx"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def log_export(request: Any, model: type[models.Model], fmt: str, count: int, query: str, reason: str = "") -> None:
    log_export_by(request.user, client_ip(request), model, fmt, count, query, reason)


def log_export_by(user: Any, remote_addr: str | None, model: type[models.Model], fmt: str, count: int,
                  query: str, reason: str = "") -> None:
    """One audit entry per export; `reason` given means a plain (unmasked) export."""
    what = {"name": model._meta.verbose_name_plural, "format": fmt, "count": count, "reason": reason}
    data: dict[str, Any] = {"export": fmt, "rows": count, "filters": query}
    if reason:
        data.update(plain=True, reason=reason)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_repr=(_("Plain export of %(name)s (%(format)s, %(count)d rows), reason: %(reason)s") if reason
                     else _("Export of %(name)s (%(format)s, %(count)d rows)")) % what,
        action=LogEntry.Action.ACCESS,
        actor=user,
        remote_addr=remote_addr,
        additional_data=data,
    )


def plain_rows_per_day() -> int:
    return int(getattr(settings, "YITI_PLAIN_EXPORT_ROWS_PER_DAY", 5000))


def plain_rows_used(user: Any) -> int:
    """Rows `user` exported unmasked today (local day), counted from the audit trail."""
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    done = LogEntry.objects.filter(actor=user, action=LogEntry.Action.ACCESS, timestamp__gte=midnight,
                                   additional_data__plain=True).values_list("additional_data", flat=True)
    return sum(int(d.get("rows", 0)) for d in done)


def plain_rows_left(user: Any) -> int:
    return max(0, plain_rows_per_day() - plain_rows_used(user))


def over_limit_message(count: int, left: int) -> str:
    return _("This plain export holds %(count)d rows, but you may export only %(left)d more rows unmasked today "
             "(%(limit)d a day). Narrow the filter, or use the masked export.") % {
        "count": count, "left": left, "limit": plain_rows_per_day()}


class PlainExportRefused(Exception):
    """A plain export the user may not make; the message says why, in the user's language."""


def start_plain_export(user: Any, remote_addr: str | None, model: type[models.Model], fmt: str, count: int,
                       query: str, reason: str) -> None:
    """Check the role and today's rows left, and log the plain export, in one transaction: two exports at
    once cannot both use the last rows of the day (the user's row is locked on PostgreSQL; on SQLite the
    audit entry, written first, takes the write lock)."""
    if not may_reveal(user):
        raise PlainExportRefused(_("Your role may not see unmasked personal data; use the masked export."))
    if not reason.strip():
        raise PlainExportRefused(_("Give the reason for the plain export."))
    with transaction.atomic():
        # The user's row serialises their plain exports; users come with their department (an outer join
        # PostgreSQL cannot lock), so the row is read alone.
        get_user_model()._default_manager.select_related(None).select_for_update().filter(pk=user.pk).first()
        log_export_by(user, remote_addr, model, fmt, count, query, reason.strip())
        used = plain_rows_used(user)  # this export included
        if used > plain_rows_per_day():
            left = max(0, plain_rows_per_day() - (used - count))
            raise PlainExportRefused(over_limit_message(count, left))  # rolls the audit entry back


def export(request: Any, queryset: models.QuerySet, field_names: list[str], fmt: str,
           plain_reason: str = "") -> HttpResponse | StreamingHttpResponse:
    """The rows of `queryset` as a file, masked. With `plain_reason`, unmasked: refused (PlainExportRefused)
    unless the user may reveal and has rows left today; logged with the reason."""
    model = queryset.model
    fields = export_fields(model, field_names)
    count = queryset.count()
    query = request.GET.urlencode()
    if plain_reason:
        start_plain_export(request.user, client_ip(request), model, fmt, count, query, plain_reason)
    else:
        log_export(request, model, fmt, count, query)
    name = f"{model._meta.verbose_name_plural}-{timezone.localdate():%Y%m%d}"
    data = rows(queryset, fields, reveal=bool(plain_reason), user=request.user)
    if fmt == "csv":
        return csv_response(name, data)
    return xlsx_response(name, str(model._meta.verbose_name_plural), data)


def write_file(path: Any, queryset: models.QuerySet, field_names: list[str], user: Any, fmt: str,
               plain_reason: str = "") -> int:
    """The command line's export: the same rows, masking, limits and audit entry as the list page's 导出
    (and 明文导出 with `plain_reason`)."""
    model = queryset.model
    fields = export_fields(model, field_names)
    count = queryset.count()
    if plain_reason:
        start_plain_export(user, None, model, fmt, count, "command line", plain_reason)
    else:
        log_export_by(user, None, model, fmt, count, "command line")
    write_rows(path, str(model._meta.verbose_name_plural), rows(queryset, fields, bool(plain_reason), user), fmt)
    return count


def write_rows(path: Any, title: str, data: Iterable[list[str]], fmt: str) -> None:
    """Rows (already neutralised) to a .csv (UTF-8 with BOM, as Excel wants) or .xlsx file."""
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(data)
    else:
        with open(path, "wb") as handle:
            handle.write(xlsx_bytes(title, data))
