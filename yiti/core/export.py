"""Export of the current filtered list to CSV or Excel.

The rows are exactly those of the list page (same access scope, same filters and order);
personal data is masked unless the user may reveal it; every export is written to the audit
trail; cells that a spreadsheet would run as a formula are neutralised.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.core.masking import SENSITIVE_FIELDS, mask, may_reveal
from yiti.security.network import client_ip

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
    if field.name in SENSITIVE_FIELDS:
        text = str(value) if reveal else mask(field.name, str(value))
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


def rows(queryset: models.QuerySet, fields: list[models.Field], reveal: bool) -> Iterator[list[str]]:
    yield [str(f.verbose_name) for f in fields]
    m2m = [f.name for f in fields if f.many_to_many]
    # One query for the rows and their related records; a person (创建人) is named with their department.
    related = [f.name for f in fields if f.many_to_one]
    people = [f"{f.name}__{unit}" for f in fields if f.many_to_one and f.related_model is get_user_model()
              for unit in ("department", "organisation")]
    queryset = queryset.select_related(*related, *people).prefetch_related(*m2m)
    # Chunked by primary key, so memory stays flat for a 300,000-row registry.
    for start in range(0, queryset.count(), CHUNK):
        for obj in queryset[start : start + CHUNK]:
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


def log_export(request: Any, model: type[models.Model], fmt: str, count: int, query: str) -> None:
    log_export_by(request.user, client_ip(request), model, fmt, count, query)


def log_export_by(user: Any, remote_addr: str | None, model: type[models.Model], fmt: str, count: int,
                  query: str) -> None:
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_repr=_("Export of %(name)s (%(format)s, %(count)d rows)")
        % {"name": model._meta.verbose_name_plural, "format": fmt, "count": count},
        action=LogEntry.Action.ACCESS,
        actor=user,
        remote_addr=remote_addr,
        additional_data={"export": fmt, "rows": count, "filters": query},
    )


def export(request: Any, queryset: models.QuerySet, field_names: list[str], fmt: str) -> HttpResponse | StreamingHttpResponse:
    model = queryset.model
    reveal = may_reveal(request.user)
    fields = export_fields(model, field_names)
    count = queryset.count()
    log_export(request, model, fmt, count, request.GET.urlencode())
    name = f"{model._meta.verbose_name_plural}-{timezone.localdate():%Y%m%d}"
    data = rows(queryset, fields, reveal)
    if fmt == "csv":
        return csv_response(name, data)
    return xlsx_response(name, str(model._meta.verbose_name_plural), data)


def write_file(path: Any, queryset: models.QuerySet, field_names: list[str], user: Any, fmt: str) -> int:
    """The command line's export: the same rows, masking and audit entry as the list page's 导出."""
    model = queryset.model
    fields = export_fields(model, field_names)
    count = queryset.count()
    log_export_by(user, None, model, fmt, count, "command line")
    write_rows(path, str(model._meta.verbose_name_plural), rows(queryset, fields, may_reveal(user)), fmt)
    return count


def write_rows(path: Any, title: str, data: Iterable[list[str]], fmt: str) -> None:
    """Rows (already neutralised) to a .csv (UTF-8 with BOM, as Excel wants) or .xlsx file."""
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(data)
    else:
        with open(path, "wb") as handle:
            handle.write(xlsx_bytes(title, data))
