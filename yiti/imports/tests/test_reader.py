"""Tests of yiti.imports.reader: every fixture is built here (openpyxl workbooks, CSV bytes)."""

import datetime
import io
import random
import re
import zipfile

import pytest
from openpyxl import Workbook

from yiti.imports.reader import ImportFileError, Table, read_table

MB = 1024 * 1024


def read(data, filename="upload.csv", *, max_bytes=MB, max_rows=100):
    return read_table(data, filename, max_bytes=max_bytes, max_rows=max_rows)


def refused(data, filename="upload.csv", **limits) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        read(data, filename, **limits)
    return info.value


def xlsx(*sheets, state=None) -> bytes:
    """sheets: (title, rows) pairs; state: {title: "hidden" | "veryHidden"}."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        ws.sheet_state = (state or {}).get(title, "visible")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewrite_member(data: bytes, member: str, change) -> bytes:
    """Copy a zip, passing one member's bytes through change()."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


SHEET1 = "xl/worksheets/sheet1.xml"


# --- CSV ------------------------------------------------------------------------------------------

# Encodable in GBK, so the same text can be sent in all four encodings.
CSV_TEXT = "姓名,单位,出生年份\r\n张三,县教育局,1980\r\n李四,\u3000县科技局 ,1975\r\n"
EXPECTED_HEADERS = ["姓名", "单位", "出生年份"]
EXPECTED_ROWS = [["张三", "县教育局", "1980"], ["李四", "县科技局", "1975"]]


@pytest.mark.parametrize(
    ("payload", "encoding"),
    [
        (CSV_TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"), "utf-8-sig"),
        (CSV_TEXT.encode("gbk"), "gb18030"),
        (CSV_TEXT.encode("gb18030"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030"],
)
def test_csv_encodings_give_the_same_table(payload, encoding):
    table = read(payload, "人才.csv")
    assert isinstance(table, Table)
    assert table.headers == EXPECTED_HEADERS
    assert table.rows == EXPECTED_ROWS
    assert table.row_numbers == [2, 3]
    assert table.encoding == encoding
    assert table.sheet == ""
    assert table.warnings == []


def test_gbk_bytes_are_not_utf8():
    # Guard for the test above: the GBK case really exercises the fallback.
    with pytest.raises(UnicodeDecodeError):
        CSV_TEXT.encode("gbk").decode("utf-8")


def test_gb18030_only_characters():
    text = "姓名,民族\n𠮷田·阿卜杜拉,维吾尔族\n"  # 𠮷 (U+20BB7) is not in GBK
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    from_gb = read(text.encode("gb18030"), "a.csv")
    from_utf8 = read(text.encode("utf-8"), "a.csv")
    assert from_gb.rows == from_utf8.rows == [["𠮷田·阿卜杜拉", "维吾尔族"]]
    assert from_gb.encoding == "gb18030"


def test_csv_quoted_line_breaks_survive_and_rows_count_records():
    payload = 'title,person\r\n"第一行\r\n第二行",张三\r\n"a, ""quoted""",李四\r\n'.encode()
    table = read(payload)
    assert table.rows == [["第一行\n第二行", "张三"], ['a, "quoted"', "李四"]]
    # Excel shows one row per record: the line break inside the quotes does not shift the numbers.
    assert table.row_numbers == [2, 3]


@pytest.mark.parametrize("filename", ["export.csv", "export.txt"])
def test_tab_separated(filename):
    payload = "姓名\t单位\t备注\n张三\t县教育局\t有,逗号\n李四\t县科技局\t\n".encode()
    table = read(payload, filename)
    assert table.headers == ["姓名", "单位", "备注"]
    assert table.rows == [["张三", "县教育局", "有,逗号"], ["李四", "县科技局", ""]]


def test_semicolon_separated():
    table = read(b"a;b;c\n1;2;3\n4;5;6\n")
    assert table.headers == ["a", "b", "c"]
    assert table.rows == [["1", "2", "3"], ["4", "5", "6"]]


def test_single_column_csv():
    table = read("姓名\n张三\n李四\n".encode())
    assert table.headers == ["姓名"]
    assert table.rows == [["张三"], ["李四"]]


def test_csv_blank_rows_padding_and_extra_cells():
    payload = "\n姓名,单位,电话\n张三\n,,\n李四,局,123,多余\n  ,\u3000,\xa0\n王五,所,456\n".encode()
    table = read(payload)
    assert table.headers == ["姓名", "单位", "电话"]
    assert table.rows == [["张三", "", ""], ["李四", "局", "123"], ["王五", "所", "456"]]
    assert table.row_numbers == [3, 5, 7]
    assert len(table.warnings) == 1
    assert "5" in table.warnings[0]  # the row whose extra cell was dropped


def test_csv_trailing_empty_header_cells_are_dropped_inner_ones_kept():
    table = read(b"a,,c,,\n1,2,3,,\n")
    assert table.headers == ["a", "", "c"]
    assert table.rows == [["1", "2", "3"]]


def test_csv_unclosed_quote_is_refused():
    payload = 'title,person\n张三的项目,张三\n"未闭合的引号,李四\n王五的项目,王五\n'.encode()
    exc = refused(payload, "quote.csv")
    assert exc.code == "corrupt"
    assert exc.params["line"] == 3


def test_csv_quoted_last_field_with_line_break_is_fine():
    table = read(b'a,b\n1,"x\ny"\n')
    assert table.rows == [["1", "x\ny"]]


def test_csv_field_over_the_csv_module_limit_is_a_cell_too_long_not_a_quoting_error():
    exc = refused(("a\n" + "x" * 200_000 + "\n").encode())
    assert exc.code == "cell_too_long" and exc.params["row"] == 2 and exc.params["column"] == "A（a）"


def test_csv_bad_encoding():
    payload = "姓名\n张三\n".encode() + b"\xff\xfe\x80\x80\n"
    exc = refused(payload, "名单.csv")
    assert exc.code == "encoding"
    assert "名单.csv" in str(exc)


def test_utf16_text_is_refused_as_encoding():
    exc = refused("姓名\t单位\n张三\t局\n".encode("utf-16"), "unicode.txt")
    assert exc.code == "encoding"


def test_csv_too_many_rows():
    header = "姓名,序号\n"
    five = header + "".join(f"人{i},{i}\n" for i in range(5))
    assert len(read(five.encode(), max_rows=5).rows) == 5
    exc = refused((five + "人6,6\n").encode(), max_rows=5)
    assert exc.code == "too_many_rows"
    assert exc.params["limit"] == 5
    assert "5" in str(exc)


def test_csv_duplicate_header():
    exc = refused("姓名,单位,姓名\n张三,局,张三\n".encode(), "dup.csv")
    assert exc.code == "duplicate_header"
    assert exc.params["header"] == "姓名"
    assert exc.params["columns"] == ["A", "C"]
    assert "姓名" in str(exc)


def test_csv_blank_header_cells_are_not_duplicates():
    assert read(b"a,,,d\n1,2,3,4\n").headers == ["a", "", "", "d"]


# --- empty and size -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "filename"),
    [
        (b"", "empty.csv"),
        (b"", "empty.xlsx"),
        (b"\r\n\r\n  \n", "blank.csv"),
        (b",,,\n , ,\n", "commas.csv"),
        ("姓名,单位\n".encode(), "header-only.csv"),
        ("姓名,单位\n,\n\n".encode(), "header-and-blanks.csv"),
    ],
)
def test_empty_files(payload, filename):
    exc = refused(payload, filename)
    assert exc.code == "empty"
    assert filename in str(exc)


def test_empty_xlsx_sheet_and_header_only_xlsx():
    assert refused(xlsx(("数据", [])), "a.xlsx").code == "empty"
    assert refused(xlsx(("数据", [["姓名", "单位"], [None, None]])), "a.xlsx").code == "empty"


def test_too_large_bytes():
    exc = refused("姓名\n张三\n".encode(), "big.csv", max_bytes=5)
    assert exc.code == "too_large"
    assert exc.params["max_bytes"] == 5
    assert "big.csv" in str(exc)


def test_exactly_max_bytes_is_accepted():
    payload = "姓名\n张三\n".encode()
    assert read(payload, max_bytes=len(payload)).rows == [["张三"]]


class CountingStream(io.RawIOBase):
    """An endless stream that counts what is read from it."""

    def __init__(self):
        self.served = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), 1000)  # short reads, like a socket
        buffer[:n] = b"a" * n
        self.served += n
        return n


def test_too_large_stream_is_not_read_to_the_end():
    stream = CountingStream()
    exc = refused(stream, "big.csv", max_bytes=10_000)
    assert exc.code == "too_large"
    assert stream.served == 10_001


def test_stream_within_limit():
    table = read(io.BytesIO("姓名\n张三\n".encode()), "a.csv")
    assert table.rows == [["张三"]]


# --- file types -----------------------------------------------------------------------------------


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


RANDOM = random.Random(20240611).randbytes(4096)


@pytest.mark.parametrize(
    ("payload", "filename"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "report.pdf"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "report.csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "photo.png"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "photo.csv"),
        (docx_bytes(), "letter.docx"),
        (docx_bytes(), "letter.xlsx"),
        (RANDOM, "upload.bin"),
        (RANDOM, "upload.csv"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "setup.exe"),
        ("姓名,单位\n张三,局\n".encode(), "renamed.xlsx"),  # text is CSV only when called .csv/.txt
    ],
)
def test_unsupported_types(payload, filename):
    exc = refused(payload, filename)
    assert exc.code == "file_type"
    assert filename in str(exc)
    assert ".xlsx" in str(exc) and ".csv" in str(exc)


def test_random_bytes_fixture_is_binary():
    assert b"\x00" in RANDOM


def ole(*stream_names: str) -> bytes:
    body = b"".join(n.encode("utf-16-le") for n in stream_names)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body + b"\x00" * 64


@pytest.mark.parametrize(
    ("payload", "filename"),
    [
        (ole("Workbook"), "old.xls"),
        (ole("Workbook"), "old.xlsx"),  # renamed: the content decides
        (ole("Book"), "old.xls"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "exported.xls"),
    ],
)
def test_old_excel_is_refused_with_save_as_xlsx(payload, filename):
    exc = refused(payload, filename)
    assert exc.code == "file_type"
    assert exc.params["reason"] == "xls"
    assert ".xlsx" in str(exc)


def test_encrypted_workbook():
    exc = refused(ole("EncryptionInfo", "EncryptedPackage"), "secret.xlsx")
    assert exc.code == "file_type"
    assert exc.params["reason"] == "encrypted"


def test_xlsx_content_named_csv_is_read_as_xlsx():
    table = read(xlsx(("数据", [["姓名"], ["张三"]])), "mislabelled.csv")
    assert table.sheet == "数据"
    assert table.encoding == ""
    assert table.rows == [["张三"]]


def test_truncated_xlsx_is_corrupt():
    data = xlsx(("数据", [["姓名", "单位"]] + [[f"人{i}", "局"] for i in range(50)]))
    for cut in (len(data) // 2, len(data) - 10, 100):
        exc = refused(data[:cut], "cut.xlsx")
        assert exc.code == "corrupt"
        assert "cut.xlsx" in str(exc)


def test_broken_sheet_xml_is_corrupt():
    data = rewrite_member(xlsx(("数据", [["姓名"], ["张三"]])), SHEET1, lambda b: b[: len(b) // 2])
    assert refused(data, "broken.xlsx").code == "corrupt"


def test_flipped_bytes_in_sheet_are_corrupt():
    data = bytearray(xlsx(("数据", [["姓名", "单位"]] + [[f"人{i}", "局"] for i in range(200)])))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo(SHEET1)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 20, start + 60):
        data[i] ^= 0xFF
    assert refused(bytes(data), "flipped.xlsx").code == "corrupt"


# --- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_values_blank_rows_and_padding():
    data = xlsx(
        (
            "人才",
            [
                [" 姓名 ", "出生年份", "得分", "入职日期", "更新时间", "在编", "备注"],
                [
                    "张三",
                    1980,
                    3.5,
                    datetime.date(2017, 9, 1),
                    datetime.datetime(2024, 5, 1, 8, 30),
                    True,
                    None,
                ],
                [None, None, None],
                [
                    "李四\u3000",
                    2017.0,
                    0.1 + 0.2,
                    datetime.datetime(2024, 5, 1),
                    datetime.datetime(2024, 5, 1, 8, 30, 15),
                    False,
                ],
                [],
                ["\xa0王五"],
            ],
        )
    )
    table = read(data, "人才.xlsx")
    assert table.sheet == "人才"
    assert table.encoding == ""
    assert table.headers == ["姓名", "出生年份", "得分", "入职日期", "更新时间", "在编", "备注"]
    assert table.rows == [
        ["张三", "1980", "3.5", "2017-09-01", "2024-05-01 08:30", "是", ""],
        ["李四", "2017", "0.3", "2024-05-01", "2024-05-01 08:30:15", "否", ""],
        ["王五", "", "", "", "", "", ""],
    ]
    assert table.row_numbers == [2, 4, 6]
    assert table.warnings == []


def test_xlsx_header_not_on_first_row():
    table = read(xlsx(("数据", [[], [None, None], ["姓名", "单位"], ["张三", "局"]])), "a.xlsx")
    assert table.headers == ["姓名", "单位"]
    assert table.row_numbers == [4]


def test_xlsx_values_beyond_the_header_are_dropped_with_a_warning():
    table = read(xlsx(("数据", [["姓名"], ["张三", "多余"], ["李四"]])), "a.xlsx")
    assert table.rows == [["张三"], ["李四"]]
    assert len(table.warnings) == 1 and "2" in table.warnings[0]


@pytest.mark.parametrize(
    ("stored", "text"),
    [
        ("2017", "2017"),
        ("2017.0", "2017"),
        ("3.5", "3.5"),
        ("0.30000000000000004", "0.3"),  # shown with Excel's 15 digits
        ("1E-3", "0.001"),
        ("-0.0", "0"),
        ("-12.50", "-12.5"),
        ("1.10101199003078E+17", "110101199003078000"),
    ],
)
def test_xlsx_number_text(stored, text):
    # openpyxl writes 2017.0 as "2017"; put the stored text in the XML as other programs write it.
    data = xlsx(("数据", [["值"], [424242]]))
    data = rewrite_member(
        data, SHEET1, lambda xml: xml.replace(b"<v>424242</v>", f"<v>{stored}</v>".encode())
    )
    assert read(data, "a.xlsx").rows == [[text]]


def test_xlsx_long_numbers_warn():
    # Excel keeps 15 significant digits; an ID number typed as a number comes back with 000 at the end.
    data = xlsx(("数据", [["姓名", "身份证号"], ["张三", 12345], ["李四", 110101199003077777]]))
    table = read(data, "a.xlsx")
    assert table.rows == [["张三", "12345"], ["李四", "110101199003078000"]]
    assert len(table.warnings) == 1
    assert "B3" in table.warnings[0]


def test_hidden_sheets_ignored_and_instructions_sheet_skipped():
    data = xlsx(
        ("秘密", [["x"], ["very hidden"]]),
        ("说明", [["请按模板填写"], ["第二行说明"]]),
        ("字典", [["代码"], ["01"]]),
        ("数据", [["姓名"], ["张三"]]),
        state={"秘密": "veryHidden", "字典": "hidden"},
    )
    table = read(data, "a.xlsx")
    assert table.sheet == "数据"
    assert table.rows == [["张三"]]
    assert len(table.warnings) == 1
    assert "2" in table.warnings[0] and "秘密" in table.warnings[0] and "字典" in table.warnings[0]
    assert "说明" not in table.warnings[0]


def test_first_visible_sheet_is_read_and_others_reported():
    data = xlsx(("甲", [["a"], ["1"]]), ("乙", [["b"], ["2"]]))
    table = read(data, "a.xlsx")
    assert table.sheet == "甲"
    assert table.rows == [["1"]]
    assert len(table.warnings) == 1 and "乙" in table.warnings[0]


def test_workbook_with_only_instructions_is_empty():
    exc = refused(
        xlsx(("说明", [["a"], ["b"]]), ("数据", [["x"], ["y"]]), state={"数据": "hidden"}), "a.xlsx"
    )
    assert exc.code == "empty"


def test_merged_cells_refused():
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in [["姓名", "单位", "电话"], ["张三", "局", "1"], ["李四", "所", "2"], ["王五", "校", "3"]]:
        ws.append(row)
    ws.merge_cells("A2:C2")
    ws.merge_cells("B3:B4")
    out = io.BytesIO()
    wb.save(out)
    exc = refused(out.getvalue(), "merged.xlsx")
    assert exc.code == "merged_cells"
    assert exc.params["ranges"] == ["A2:C2", "B3:B4"]
    assert "A2:C2" in str(exc)


def test_merged_cells_in_the_instructions_sheet_are_fine():
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["请按模板填写", None])
    notes.merge_cells("A1:B1")
    data = wb.create_sheet("数据")
    data.append(["姓名"])
    data.append(["张三"])
    out = io.BytesIO()
    wb.save(out)
    assert read(out.getvalue(), "a.xlsx").rows == [["张三"]]


def test_formula_refused_with_cell_and_count():
    rows = [["姓名", "数量", "合计"], ["张三", 1, 2], ["李四", 3, 4], ["王五", 5, 6], ["赵六", 7, "=B5*2"]]
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    ws["C6"] = "=SUM(C2:C5)"
    out = io.BytesIO()
    wb.save(out)
    exc = refused(out.getvalue(), "f.xlsx")
    assert exc.code == "formula"
    assert exc.params["cell"] == "C5"
    assert exc.params["count"] == 2
    assert "C5" in str(exc) and "2" in str(exc)


def test_text_that_starts_with_equals_is_not_a_formula():
    data = xlsx(("数据", [["备注"], ["=不是公式"]]))

    # openpyxl stores a str starting with "=" as a formula; turn it back into a shared-string text cell.
    def as_text(xml: bytes) -> bytes:
        return re.sub(
            rb'<c r="A2"[^>]*><f>[^<]*</f><v\s*/?>(?:</v>)?</c>',
            '<c r="A2" t="inlineStr"><is><t>=不是公式</t></is></c>'.encode(),
            xml,
        )

    data = rewrite_member(data, SHEET1, as_text)
    assert read(data, "a.xlsx").rows == [["=不是公式"]]


def test_xlsx_too_many_rows():
    header = [["姓名", "序号"]]
    five = header + [[f"人{i}", i] for i in range(5)]
    assert len(read(xlsx(("数据", five)), "a.xlsx", max_rows=5).rows) == 5
    exc = refused(xlsx(("数据", five + [["人6", 6]])), "a.xlsx", max_rows=5)
    assert exc.code == "too_many_rows"
    assert exc.params["limit"] == 5


def set_dimension(data: bytes, ref: str | None) -> bytes:
    def change(xml: bytes) -> bytes:
        new = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
        changed, n = re.subn(rb"<dimension [^>]*/>", new, xml)
        assert n == 1
        return changed

    return rewrite_member(data, SHEET1, change)


def test_declared_million_rows_refused_without_reading():
    data = set_dimension(xlsx(("数据", [["姓名", "单位"], ["张三", "局"]])), "A1:B1000001")
    exc = refused(data, "huge.xlsx", max_rows=5000)
    assert exc.code == "too_many_rows"
    assert exc.params["rows"] == 1000001


def test_understated_dimension_is_not_trusted():
    rows = [["姓名", "序号"]] + [[f"人{i}", i] for i in range(10)]
    table = read(set_dimension(xlsx(("数据", rows)), "A1:B2"), "a.xlsx")
    assert len(table.rows) == 10
    assert table.row_numbers[-1] == 11
    exc = refused(set_dimension(xlsx(("数据", rows)), "A1:B2"), "a.xlsx", max_rows=9)
    assert exc.code == "too_many_rows"


def test_missing_dimension():
    rows = [["姓名"]] + [[f"人{i}"] for i in range(3)]
    assert read(set_dimension(xlsx(("数据", rows)), None), "a.xlsx").row_numbers == [2, 3, 4]


def test_rows_far_below_the_data_are_refused_while_reading():
    # No dimension tag, one stray cell at row 500,000: refused once the scan passes the allowance.
    def add_far_row(xml: bytes) -> bytes:
        far = b'<row r="500000"><c r="A500000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        return xml.replace(b"</sheetData>", far)

    data = rewrite_member(set_dimension(xlsx(("数据", [["姓名"], ["张三"]])), None), SHEET1, add_far_row)
    exc = refused(data, "far.xlsx", max_rows=5)
    assert exc.code == "too_many_rows"
    assert exc.params["rows"] < 500000


def test_xlsx_duplicate_header():
    exc = refused(xlsx(("数据", [["姓名", "姓名 ", "单位"], ["a", "b", "c"]])), "a.xlsx")
    assert exc.code == "duplicate_header"
    assert exc.params["columns"] == ["A", "B"]
