"""The 下载模板 workbook: Chinese headers, dropdowns for dictionary columns, an example row, a 说明 sheet."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from yiti.imports.columns import Column

ROWS_WITH_DROPDOWNS = 5000
EXAMPLES = {"text": "", "year": "2024", "int": "1", "decimal": "50", "date": "2024-03-01", "bool": "否"}


def example(column: Column) -> str:
    if column.kind in {"choice", "code", "codes"} and column.dictionary:
        labels = column.dictionary.labels()
        return labels[0] if labels else ""
    name = column.name
    samples = {"name": "示例名称", "title": "示例标题", "credit_code": "91140700MA0GRXXX0X", "id_number": "",
               "mobile": "", "phone": "", "email": ""}
    return samples.get(name, EXAMPLES.get(column.kind, ""))


def workbook_bytes(columns: list[Column], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    lists = workbook.create_sheet("_lists")  # dropdown values too long for an inline list
    lists.sheet_state = "hidden"
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.comment = Comment(column.explain(), "yiti")
        if column.required:
            cell.fill = required_fill
        sheet.cell(row=2, column=index, value=example(column))
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(column.header) * 3))
        values = column.dropdown()
        if values:
            for row, value in enumerate(values, start=1):
                lists.cell(row=row, column=index, value=value)
            letter = get_column_letter(index)
            validation = DataValidation(type="list", allow_blank=not column.required, showErrorMessage=True,
                                        formula1=f"{quote_sheetname('_lists')}!${letter}$1:${letter}${len(values)}",
                                        errorTitle=_("Not in the list"),
                                        error=_("Pick a value from the dropdown."))
            validation.add(f"{letter}2:{letter}{ROWS_WITH_DROPDOWNS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    _instructions(workbook, columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(workbook: Any, columns: list[Column]) -> None:
    sheet = workbook.create_sheet("说明")
    sheet.append([_("Column"), _("Required"), _("How to fill it in")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        sheet.append([column.header, _("Yes") if column.required else "", column.explain()])
    sheet.append([])
    for line in (
        _("Fill in the first sheet from row 2; the example row may be overwritten or deleted."),
        _("Column order does not matter and extra columns are ignored; the headers must stay as they are."),
        _("Dictionary values may be given by code or by name; full-width characters and spacing are tolerated."),
        _("Rows that match an existing record (by the keys below) update it; empty cells leave stored values as they are."),
        _("Formulas are not evaluated: paste values only. Merged cells are refused."),
    ):
        sheet.append([line])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows(min_row=2):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
