"""First stage of a spreadsheet import: an uploaded file becomes a header row and rows of strings.

``read_table`` accepts an Excel workbook (.xlsx) or a CSV file and returns a :class:`Table`, or
refuses the file with an :class:`ImportFileError` whose text tells the user, in their language,
what is wrong and what to do. It never raises anything else for a bad file.

- The type is decided by the content: an .xlsx is a zip holding ``[Content_Types].xml`` and
  ``xl/workbook.xml`` (whatever the file is called); old binary Excel (.xls), password-protected
  workbooks and anything that is not text are refused; text is read as CSV only when the file is
  called .csv or .txt.
- CSV: UTF-8 (with or without BOM), then GB18030 (which includes GBK); comma, tab or semicolon.
- XLSX: openpyxl in read-only mode with ``data_only=False``; formulas are refused, never
  evaluated. Merged cells are found by scanning the sheet's XML, which read-only mode does not
  parse. The data sheet is the first visible worksheet that is not called 说明.
- Row limits: the declared <dimension> of a sheet lets a huge sheet be refused before it is read;
  it is not trusted otherwise (it is reset before the rows are read, as it can be wrong).
- Size limits (:class:`Limits`): an xlsx is a zip, and a small upload can unpack to gigabytes. The
  sizes its directory declares (which zipfile enforces while unpacking) are checked before anything
  is unpacked: all parts together, the packing ratio of each large part, the shared-strings table;
  then the shared strings and the data sheet are scanned in chunks for a text longer than a cell may
  hold, before openpyxl loads them. Every cell, xlsx or CSV, is held to Excel's own cell limit,
  and the refusal names its row and column.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

logger = logging.getLogger(__name__)

CSV_EXTENSIONS = (".csv", ".txt")
# Old Excel names: text telling the user to save as .xlsx fits these even when the content is HTML.
OLD_EXCEL_EXTENSIONS = (".xls", ".xlt", ".et")
INSTRUCTIONS_SHEET = "说明"
CSV_DELIMITERS = ",\t;"
SNIFF_BYTES = 8192
READ_CHUNK = 1 << 20
# Excel keeps 15 significant digits; longer whole numbers (ID, bank card numbers) have lost digits.
EXCEL_DIGITS = 15
LIST_SHOWN = 5

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Binary formats recognised even when renamed to .csv (their bytes could otherwise pass as GB18030).
BINARY_MAGICS = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

_EDGE_SPACE = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]+|[\s\u200b\u200c\u200d\u2060\ufeff]+$")
# Tags in a worksheet's XML, with or without a namespace prefix.
_MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]{0,2000}?\bref="([^"]{1,100})"')
_HIDDEN_ROW_OR_COL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?(?:row|col)\s[^>]{0,2000}?\bhidden="(?:1|true)"')
_SCAN_OVERLAP = 4200


@dataclass(frozen=True)
class Limits:
    """What an upload may unpack to (settings.IMPORT_MAX_* in the platform; these are the defaults)."""

    unzipped_bytes: int = 500 * 1024 * 1024   # all parts of an xlsx together
    zip_ratio: int = 100                       # unpacked / packed, for parts over RATIO_FLOOR
    shared_strings_bytes: int = 200 * 1024 * 1024
    cell_chars: int = 32767                    # Excel's own limit for one cell


RATIO_FLOOR = 1024 * 1024  # small parts (styles, an empty sheet) may pack very tightly
# A cell of n characters takes at most this many bytes of XML (4-byte UTF-8, or an entity like &amp;).
XML_BYTES_PER_CHAR = 6


class ImportFileError(Exception):
    """A file that cannot be imported at all; str(exc) is a Chinese message naming the reason.

    ``code`` is one of "too_large", "empty", "file_type", "encoding", "too_many_rows", "no_header",
    "merged_cells", "formula", "duplicate_header", "corrupt"; ``params`` holds the values put into
    the message (file name, limit, cell reference…) for callers and tests.
    """

    def __init__(self, message: str, code: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params or {}

    @classmethod
    def refuse(cls, template: str, code: str, **params: Any) -> ImportFileError:
        """The error whose message is `template` (already translated) filled in with `params`."""
        return cls(template % params, code, params)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    sheet: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def read_table(data: bytes | BinaryIO, filename: str, *, max_bytes: int, max_rows: int,
               limits: Limits = Limits()) -> Table:
    """Read an uploaded .xlsx or .csv file; raise ImportFileError if it cannot be imported.

    ``data`` is the file's bytes or a binary stream, read from its current position (at most
    ``max_bytes`` + 1 bytes are read). ``max_rows`` is the largest number of data rows accepted.
    """
    name = _display_name(filename)
    raw = _read_limited(data, max_bytes, name)
    if not raw:
        raise ImportFileError.refuse(
            _("The file %(name)s is empty."),
            "empty",
            name=name,
        )
    kind = _detect_type(raw, filename, name)
    if kind == "xlsx":
        return _read_xlsx(raw, name, max_rows, limits)
    return _read_csv(raw, name, max_rows, limits)


# --- bytes and type -------------------------------------------------------------------------------


def _display_name(filename: str) -> str:
    base = re.split(r"[\\/]", filename or "")[-1].strip()
    if len(base) > 80:
        base = base[:60] + "…" + base[-19:]
    return base or _("(no name)")


def _extension(filename: str) -> str:
    base = re.split(r"[\\/]", filename or "")[-1].strip().lower()
    dot = base.rfind(".")
    return base[dot:] if dot > 0 else ""


def _read_limited(data: bytes | BinaryIO, max_bytes: int, name: str) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = data.read(min(remaining, READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        raw = b"".join(chunks)
    if len(raw) > max_bytes:
        limit = filesizeformat(max_bytes)
        raise ImportFileError(
            _("The file %(name)s is larger than the limit of %(limit)s.") % {"name": name, "limit": limit},
            "too_large",
            {"name": name, "limit": limit, "max_bytes": max_bytes},
        )
    return raw


def _wrong_type(name: str) -> ImportFileError:
    return ImportFileError.refuse(
        _(
            "The file %(name)s cannot be imported: only Excel workbooks (.xlsx) and CSV files (.csv) "
            "are accepted."
        ),
        "file_type",
        name=name,
    )


def _detect_type(raw: bytes, filename: str, name: str) -> str:
    """Return "xlsx" or "csv" from the content (and, for text, the extension), or refuse."""
    ext = _extension(filename)
    if raw.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in raw:
            raise ImportFileError(
                _(
                    "The file %(name)s is protected with a password and cannot be read. Remove the "
                    "password in Excel or WPS, save it as an Excel workbook (.xlsx) and upload it again."
                )
                % {"name": name},
                "file_type",
                {"name": name, "reason": "encrypted"},
            )
        if ext in OLD_EXCEL_EXTENSIONS or "Workbook".encode("utf-16-le") in raw:
            raise _old_excel(name)
        raise _wrong_type(name)
    if raw.startswith(ZIP_MAGICS):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise _corrupt(name) from exc
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "xlsx"
        raise _wrong_type(name)
    if raw.startswith(BINARY_MAGICS):
        raise _wrong_type(name)
    if ext in OLD_EXCEL_EXTENSIONS:
        # Web pages and "XML Spreadsheet 2003" files that other systems export as .xls.
        raise _old_excel(name)
    if ext not in CSV_EXTENSIONS:
        raise _wrong_type(name)
    if raw.startswith(UTF16_BOMS):
        raise _bad_encoding(name)  # Excel's "Unicode text" is UTF-16: text, but not an accepted one
    if b"\x00" in raw:
        raise _wrong_type(name)
    return "csv"


def _old_excel(name: str) -> ImportFileError:
    return ImportFileError(
        _(
            "The file %(name)s is in the old Excel format (.xls), which cannot be imported. Open it in "
            "Excel or WPS, save it as an Excel workbook (.xlsx) and upload it again."
        )
        % {"name": name},
        "file_type",
        {"name": name, "reason": "xls"},
    )


def _bad_encoding(name: str) -> ImportFileError:
    return ImportFileError.refuse(
        _(
            "The text encoding of %(name)s is not recognised (UTF-8 and GBK/GB18030 are accepted). "
            'Save it as "CSV UTF-8" or as an Excel workbook (.xlsx) and upload it again.'
        ),
        "encoding",
        name=name,
    )


def _corrupt(name: str) -> ImportFileError:
    return ImportFileError.refuse(
        _(
            "The file %(name)s is damaged or incomplete and cannot be read. Open it in Excel or WPS, "
            "save it again and upload it again."
        ),
        "corrupt",
        name=name,
    )


# --- cells and rows -------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Strip surrounding whitespace (full-width and no-break spaces, BOM, zero-width) and CRs."""
    text = _EDGE_SPACE.sub("", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _join(items: Iterable[str]) -> str:
    items = list(items)
    shown = pgettext("list separator", ", ").join(items[:LIST_SHOWN])
    return shown + ("…" if len(items) > LIST_SHOWN else "")


def _column_letter(index: int) -> str:
    """1 → A, 27 → AA (same as openpyxl's, without importing it for CSV)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _all_blank(name: str) -> ImportFileError:
    return ImportFileError.refuse(
        _("The file %(name)s has no data: all its rows are blank."), "empty", name=name
    )


def _too_many_rows(name: str, max_rows: int) -> ImportFileError:
    return ImportFileError.refuse(
        _(
            "The file %(name)s has more than %(limit)s data rows. Split it into several files of at "
            "most %(limit)s rows each and upload them one by one."
        ),
        "too_many_rows",
        name=name,
        limit=max_rows,
    )


def _sheet_too_long(name: str, sheet: str, rows: int, max_rows: int) -> ImportFileError:
    return ImportFileError.refuse(
        _(
            'The sheet "%(sheet)s" of %(name)s extends to row %(rows)s, far beyond the limit of '
            "%(limit)s data rows. If there are blank or formatted rows below the data, delete them; "
            "otherwise split the file into several files of at most %(limit)s rows each."
        ),
        "too_many_rows",
        name=name,
        sheet=sheet,
        rows=rows,
        limit=max_rows,
    )


@dataclass
class _Body:
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    warnings: list[str]


def _build(numbered_rows: Iterable[tuple[int, list[str]]], name: str, max_rows: int, cell_chars: int) -> _Body:
    """Header = first non-blank row; then the non-blank data rows, padded or cut to the header."""
    headers: list[str] | None = None
    rows: list[list[str]] = []
    row_numbers: list[int] = []
    overflow: list[int] = []
    for number, cells in numbered_rows:
        if not any(cells):
            continue
        for index, cell in enumerate(cells):
            if len(cell) > cell_chars:
                raise _cell_too_long(name, number, index, headers, len(cell), cell_chars)
        if headers is None:
            headers = list(cells)
            while headers and not headers[-1]:
                headers.pop()
            if not headers:  # cannot happen for a non-blank row; kept as a guard
                raise ImportFileError.refuse(
                    _("The file %(name)s has no header row."),
                    "no_header",
                    name=name,
                )
            _check_duplicates(headers, name)
            continue
        if len(rows) >= max_rows:
            raise _too_many_rows(name, max_rows)
        width = len(headers)
        if any(cells[width:]):
            overflow.append(number)
        row = cells[:width]
        row.extend([""] * (width - len(row)))
        rows.append(row)
        row_numbers.append(number)
    if headers is None:
        raise _all_blank(name)
    if not rows:
        raise ImportFileError.refuse(
            _("The file %(name)s has a header row but no data rows."),
            "empty",
            name=name,
        )
    notes = []
    if overflow:
        notes.append(
            ngettext(
                "%(count)s row has values in columns without a header; those values were ignored "
                "(row %(rows)s).",
                "%(count)s rows have values in columns without a header; those values were ignored "
                "(rows %(rows)s).",
                len(overflow),
            )
            % {"count": len(overflow), "rows": _join(str(n) for n in overflow)}
        )
    return _Body(headers, rows, row_numbers, notes)


def _cell_too_long(name: str, row: int, index: int, headers: list[str] | None, length: int,
                   limit: int) -> ImportFileError:
    header = headers[index] if headers and index < len(headers) and headers[index] else ""
    column = f"{_column_letter(index + 1)}（{header[:30]}）" if header else _column_letter(index + 1)
    return ImportFileError.refuse(
        _(
            "Row %(row)s, column %(column)s of %(name)s holds %(length)s characters; a cell may hold at "
            "most %(limit)s. Shorten it and upload the file again."
        ),
        "cell_too_long",
        name=name,
        row=row,
        column=column,
        length=length,
        limit=limit,
    )


def _check_duplicates(headers: list[str], name: str) -> None:
    seen: dict[str, list[int]] = {}
    for index, text in enumerate(headers, start=1):
        if text:
            seen.setdefault(text, []).append(index)
    for text, columns in seen.items():
        if len(columns) > 1:
            letters = [_column_letter(c) for c in columns]
            raise ImportFileError(
                _(
                    'The header "%(header)s" appears more than once in %(name)s (columns %(columns)s). '
                    "Every column needs a different header."
                )
                % {"header": text, "name": name, "columns": _join(letters)},
                "duplicate_header",
                {"header": text, "name": name, "columns": letters},
            )


# --- CSV ------------------------------------------------------------------------------------------


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _bad_encoding(name) from exc
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _bad_encoding(name)


def _delimiter(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # whole lines only
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    # The sniffer guesses from consistency across lines and can be misled by a few lines; the
    # header line must at least contain the delimiter, otherwise take the one it contains most.
    first = next((line for line in sample.splitlines() if line.strip()), "")
    if delimiter not in first:
        counts = {d: first.count(d) for d in CSV_DELIMITERS}
        best = max(CSV_DELIMITERS, key=lambda d: counts[d])
        delimiter = best if counts[best] else ","
    return delimiter


def _read_csv(raw: bytes, name: str, max_rows: int, limits: Limits) -> Table:
    text, encoding = _decode(raw, name)
    if not text.strip():
        raise _all_blank(name)
    # The csv module refuses fields over 128 KB with an error that reads like a quoting mistake; the
    # file is already in memory and within its limit, so let it through and hold every cell to
    # the cell limit in _build, whose message names the row and column.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def numbered() -> Iterator[tuple[int, list[str]]]:
        # Record number, not physical line: a quoted field with line breaks is still one row,
        # as in Excel.
        last: list[str] = []
        first_line = lines_read = 0
        for number, record in enumerate(reader, start=1):
            last, first_line, lines_read = record, lines_read + 1, reader.line_num
            yield number, [_clean(cell) for cell in record]
        # An opening quote that is never closed swallows the rest of the file into one field (the
        # csv module does not complain); such a field is the last one read, holds line breaks and
        # the file does not end with the closing quote.
        if last and ("\n" in last[-1] or "\r" in last[-1]) and not text.rstrip().endswith('"'):
            raise _csv_error(name, first_line)

    try:
        body = _build(numbered(), name, max_rows, limits.cell_chars)
    except csv.Error as exc:  # e.g. a field longer than csv.field_size_limit()
        raise _csv_error(name, reader.line_num) from exc
    return Table(body.headers, body.rows, body.row_numbers, "", encoding, body.warnings)


def _csv_error(name: str, line: int) -> ImportFileError:
    return ImportFileError.refuse(
        _(
            "The CSV file %(name)s cannot be read (error near line %(line)s). Check that quotation "
            "marks come in pairs, save it again and upload it again."
        ),
        "corrupt",
        name=name,
        line=line,
    )


# --- XLSX -----------------------------------------------------------------------------------------


def _blank_row_allowance(max_rows: int) -> int:
    """How far past max_rows + 1 an xlsx sheet may extend (blank or formatted-only rows) before it is
    refused. Blank rows cost nothing in a CSV, but millions of them fit in a small compressed xlsx, so
    both the declared dimension and the scan of an xlsx are bounded by max_rows + 1 + this."""
    return max(1000, max_rows)


def _number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    text = format(value, f".{EXCEL_DIGITS}g")  # as Excel shows it: 0.1+0.2 → 0.3
    if "e" in text:
        text = format(Decimal(text), "f")
    return "0" if text == "-0" else text


def _time_text(hour: int, minute: int, second: int) -> str:
    return f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if second else "")


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        if value.microsecond >= 500_000:
            value += datetime.timedelta(seconds=1)
        value = value.replace(microsecond=0)
        day = value.strftime("%Y-%m-%d")
        if value.time() == datetime.time(0):
            return day
        return day + " " + _time_text(value.hour, value.minute, value.second)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + round(value.microsecond / 1e6)
        hours, rest = divmod(seconds, 3600)
        return _time_text(hours % 24, rest // 60, rest % 60)
    if isinstance(value, datetime.timedelta):
        total = round(value.total_seconds())
        sign = "-" if total < 0 else ""
        hours, rest = divmod(abs(total), 3600)
        return sign + f"{hours}:{rest // 60:02d}" + (f":{rest % 60:02d}" if rest % 60 else "")
    return str(value)


def _is_long_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        return False
    return abs(value) >= 10**EXCEL_DIGITS


@dataclass
class _CellNotes:
    formulas: int = 0
    first_formula: str = ""
    long_numbers: int = 0
    first_long_number: str = ""


def _xlsx_rows(
    ws: Any, notes: _CellNotes, row_cap: int, name: str, max_rows: int
) -> Iterator[tuple[int, list[str]]]:
    # iter_rows() fills gaps between the rows present in the XML, so the index is the row number.
    for number, cells in enumerate(ws.iter_rows(), start=1):
        if number > row_cap:
            raise _sheet_too_long(name, ws.title, number, max_rows)
        texts: list[str] = []
        for column, cell in enumerate(cells, start=1):
            value = cell.value
            if cell.data_type == "f":
                notes.formulas += 1
                if not notes.first_formula:
                    notes.first_formula = f"{_column_letter(column)}{number}"
                texts.append(_clean(str(value)) or "=")
                continue
            if _is_long_number(value):
                notes.long_numbers += 1
                if not notes.first_long_number:
                    notes.first_long_number = f"{_column_letter(column)}{number}"
            texts.append(_clean(value) if isinstance(value, str) else _value_text(value))
        yield number, texts


def _check_zip(raw: bytes, name: str, limits: Limits) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before anything is unpacked
    (zipfile never unpacks more than a part's declared size: a part that lies fails its CRC)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = archive.infolist()
        total = sum(part.file_size for part in parts)
        if total > limits.unzipped_bytes:
            raise _bomb(name, total, limits.unzipped_bytes)
        for part in parts:
            if part.file_size > RATIO_FLOOR and part.file_size > limits.zip_ratio * max(part.compress_size, 1):
                raise ImportFileError.refuse(
                    _(
                        "The file %(name)s cannot be imported: a part of it is packed %(ratio)s times (%(size)s "
                        "unpacked), which no real spreadsheet is. Open it in Excel or WPS, copy the data into a new "
                        "workbook, save it and upload that."
                    ),
                    "too_large",
                    name=name,
                    ratio=part.file_size // max(part.compress_size, 1),
                    size=filesizeformat(part.file_size),
                )
            if part.filename.lower() == "xl/sharedstrings.xml":
                if part.file_size > limits.shared_strings_bytes:
                    raise _bomb(name, part.file_size, limits.shared_strings_bytes)
                # openpyxl loads the whole table at once: no string in it may be longer than a cell.
                _scan_xml(archive, part.filename, name, limits.cell_chars)


def _bomb(name: str, size: int, limit: int) -> ImportFileError:
    return ImportFileError.refuse(
        _(
            "The file %(name)s cannot be imported: it would unpack to %(size)s (the limit is %(limit)s), far "
            "more than its data needs. Open it in Excel or WPS, copy the data into a new workbook, save it "
            "and upload that."
        ),
        "too_large",
        name=name,
        size=filesizeformat(size),
        limit=filesizeformat(limit),
    )


def _text_too_long(name: str, limit: int) -> ImportFileError:
    return ImportFileError.refuse(
        _(
            "The file %(name)s holds a cell longer than %(limit)s characters, more than a cell may hold. "
            "Shorten it and upload the file again."
        ),
        "cell_too_long",
        name=name,
        limit=limit,
    )


class _TextRuns:
    """Fed an XML stream chunk by chunk; raises when text between two tags is longer than a cell may be."""

    def __init__(self, name: str, cell_chars: int) -> None:
        self.name, self.cell_chars = name, cell_chars
        self.limit = cell_chars * XML_BYTES_PER_CHAR
        self.too_long = re.compile(rb"[^<]{%d}" % (self.limit + 1))
        self.run = 0  # length of the text run the previous chunk ended in

    def feed(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        if first < 0:
            self.run += len(chunk)
        elif self.run + first > self.limit or self.too_long.search(chunk, first):
            self.run = self.limit + 1
        else:
            self.run = len(chunk) - chunk.rfind(b"<") - 1
        if self.run > self.limit:
            raise _text_too_long(self.name, self.cell_chars)


def _scan_xml(archive: zipfile.ZipFile, path: str, name: str, cell_chars: int) -> None:
    runs = _TextRuns(name, cell_chars)
    with archive.open(path) as source:
        while chunk := source.read(READ_CHUNK):
            runs.feed(chunk)


def _scan_sheet_xml(archive: zipfile.ZipFile, path: str, name: str, cell_chars: int) -> tuple[list[str], bool]:
    """Merged ranges and whether rows/columns are hidden, read from the sheet's XML in chunks;
    a text longer than a cell may be is refused on the way."""
    merged: list[str] = []
    hidden = False
    tail = b""
    runs = _TextRuns(name, cell_chars)
    with archive.open(path) as source:
        while True:
            chunk = source.read(READ_CHUNK)
            if not chunk:
                break
            runs.feed(chunk)
            buffer = tail + chunk
            for match in _MERGE_CELL.finditer(buffer):
                if match.end() > len(tail):  # a match inside the overlap was counted last time
                    merged.append(match.group(1).decode("ascii", "replace").replace("$", ""))
            if not hidden and _HIDDEN_ROW_OR_COL.search(buffer):
                hidden = True
            tail = buffer[-_SCAN_OVERLAP:]
    merged.sort(key=_range_position)  # the topmost range first, whatever order the XML has
    return merged, hidden


def _range_position(ref: str) -> tuple[int, int]:
    match = re.match(r"([A-Z]+)(\d+)", ref.upper())
    if not match:
        return (0, 0)
    letters, digits = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return (int(digits), column)


def _read_xlsx(raw: bytes, name: str, max_rows: int, limits: Limits) -> Table:
    from openpyxl import load_workbook  # imported here: only xlsx uploads pay for it

    try:
        _check_zip(raw, name, limits)
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (data validation extensions, default styles…)
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
            try:
                return _read_workbook(workbook, raw, name, max_rows, limits)
            finally:
                workbook.close()
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged workbook can fail anywhere inside openpyxl or zipfile
        logger.info("Unreadable xlsx %r: %r", name, exc)
        raise _corrupt(name) from exc


def _read_workbook(workbook: Any, raw: bytes, name: str, max_rows: int, limits: Limits) -> Table:
    notes: list[str] = []
    hidden = [ws.title for ws in workbook.worksheets if ws.sheet_state != "visible"]
    visible = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    candidates = [ws for ws in visible if ws.title.strip() != INSTRUCTIONS_SHEET]
    if hidden:
        notes.append(
            ngettext(
                "The file has %(count)s hidden sheet, which was ignored: %(names)s.",
                "The file has %(count)s hidden sheets, which were ignored: %(names)s.",
                len(hidden),
            )
            % {"count": len(hidden), "names": _join(hidden)}
        )
    if not candidates:
        raise ImportFileError(
            _(
                'The file %(name)s has no worksheet to import (hidden sheets and the instructions sheet "%(skipped)s" are not read).'
            )
            % {"name": name, "skipped": INSTRUCTIONS_SHEET},
            "empty",
            {"name": name},
        )
    ws = candidates[0]
    others = [other.title for other in candidates[1:]]
    if others:
        notes.append(
            ngettext(
                'Only the sheet "%(sheet)s" was read; %(count)s other sheet was not: %(names)s.',
                'Only the sheet "%(sheet)s" was read; %(count)s other sheets were not: %(names)s.',
                len(others),
            )
            % {"sheet": ws.title, "count": len(others), "names": _join(others)}
        )

    row_cap = max_rows + 1 + _blank_row_allowance(max_rows)
    declared = ws.max_row  # from the <dimension> tag; None when absent
    if isinstance(declared, int) and declared > row_cap:
        raise _sheet_too_long(name, ws.title, declared, max_rows)

    path = str(ws._worksheet_path).lstrip("/")  # no public API; the merged-cell test guards it
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        merged, hidden_lines = _scan_sheet_xml(archive, path, name, limits.cell_chars)
    if merged:
        raise ImportFileError(
            ngettext(
                'The sheet "%(sheet)s" of %(name)s has %(count)s merged cell range (%(ranges)s). Unmerge '
                "the cells so that every value is in its own cell, then upload the file again.",
                'The sheet "%(sheet)s" of %(name)s has %(count)s merged cell ranges (%(ranges)s). Unmerge '
                "the cells so that every value is in its own cell, then upload the file again.",
                len(merged),
            )
            % {"sheet": ws.title, "name": name, "count": len(merged), "ranges": _join(merged)},
            "merged_cells",
            {"sheet": ws.title, "name": name, "count": len(merged), "ranges": merged},
        )
    if hidden_lines:
        notes.append(
            _('The sheet "%(sheet)s" has hidden rows or columns; their data is imported as well.')
            % {"sheet": ws.title}
        )

    ws.reset_dimensions()  # read every row even if <dimension> understates the sheet
    cell_notes = _CellNotes()
    body = _build(_xlsx_rows(ws, cell_notes, row_cap, name, max_rows), name, max_rows, limits.cell_chars)
    if cell_notes.formulas:
        raise ImportFileError(
            ngettext(
                'The sheet "%(sheet)s" of %(name)s has %(count)s cell with a formula (%(cell)s). Formulas '
                'are not imported: copy the cells and paste them as values ("Paste Special → Values"), '
                "then upload the file again.",
                'The sheet "%(sheet)s" of %(name)s has %(count)s cells with formulas (the first is '
                '%(cell)s). Formulas are not imported: copy the cells and paste them as values ("Paste '
                'Special → Values"), then upload the file again.',
                cell_notes.formulas,
            )
            % {
                "sheet": ws.title,
                "name": name,
                "count": cell_notes.formulas,
                "cell": cell_notes.first_formula,
            },
            "formula",
            {"sheet": ws.title, "name": name, "count": cell_notes.formulas, "cell": cell_notes.first_formula},
        )
    if cell_notes.long_numbers:
        notes.append(
            ngettext(
                "%(count)s cell holds a number with more than 15 digits (%(cell)s). Excel keeps only 15 "
                "digits, so the last ones may have become 0: format ID and bank card numbers as text in "
                "Excel and enter them again.",
                "%(count)s cells hold numbers with more than 15 digits (the first is %(cell)s). Excel keeps "
                "only 15 digits, so the last ones may have become 0: format ID and bank card numbers as "
                "text in Excel and enter them again.",
                cell_notes.long_numbers,
            )
            % {"count": cell_notes.long_numbers, "cell": cell_notes.first_long_number}
        )
    return Table(body.headers, body.rows, body.row_numbers, ws.title, "", notes + body.warnings)
