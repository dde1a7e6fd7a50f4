"""The default work-report template, built with python-docx: the Jinja tags docxtpl fills are typed into the
document as an office would type them in Word. Nothing is committed as a binary: the reports use `build()`
and the templates page offers its result for download as the starting point of the office's own template.

    python -m yiti.dashboard.report_template default.docx   # write it to a file
"""

import io
import sys

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT = "宋体"  # what Word on the office's machines has; the PDF uses Noto CJK
HEADING_FONT = "黑体"


def _font(style, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _loop_table(doc, header: list[str], cells: list[str], loop: str, widths: list[float] | None = None):
    """A table whose middle row repeats once per item: a header row, `{%tr for … %}`, the row, `{%tr endfor %}`."""
    table = doc.add_table(rows=4, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(header):
        table.cell(0, i).text = text
        table.cell(0, i).paragraphs[0].runs[0].bold = True
    table.cell(1, 0).text = "{%tr for r in " + loop + " %}"
    for i, text in enumerate(cells):
        table.cell(2, i).text = text
    table.cell(3, 0).text = "{%tr endfor %}"
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Mm(width)
    return table


def build() -> bytes:
    doc = Document()
    _font(doc.styles["Normal"], BODY_FONT, 12)
    for level, size in ((1, 16), (2, 14)):
        _font(doc.styles[f"Heading {level}"], HEADING_FONT, size)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("{{ title }}")
    run.bold = True
    run.font.size = Pt(20)
    sub = doc.add_paragraph("报告范围：{{ area }}　报告期：{{ period }}　数据：{{ snapshot }} 月末快照　生成日期：{{ generated_on }}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、主要指标完成情况", level=1)
    doc.add_paragraph("以下为{{ area }}{{ year }}年各项指标截至报告期末的累计数，较上期为与上一报告期末快照相比的增减。")
    _loop_table(doc, ["指标", "单位", "本年累计", "较上期", "年度目标", "完成进度"],
                ["{{ r.name }}", "{{ r.unit }}", "{{ r.value }}", "{{ r.change }}", "{{ r.target }}",
                 "{{ r.progress }}"], "figures", [52, 16, 24, 22, 22, 24])

    # the county table: indicators down, counties across — on a landscape page
    wide = doc.add_section()
    wide.orientation = WD_ORIENT.LANDSCAPE
    wide.page_width, wide.page_height = Mm(297), Mm(210)
    doc.add_heading("二、分县区情况", level=1)
    table = doc.add_table(rows=4, cols=6)
    table.style = "Table Grid"
    for i, text in enumerate(["指标", "单位", "{%tc for c in counties %}", "{{ c }}", "{%tc endfor %}", "全市"]):
        table.cell(0, i).text = text
    table.cell(1, 0).text = "{%tr for r in county_rows %}"
    for i, text in enumerate(["{{ r.name }}", "{{ r.unit }}", "{%tc for v in r.cells %}", "{{ v }}",
                              "{%tc endfor %}", "{{ r.total }}"]):
        table.cell(2, i).text = text
    table.cell(3, 0).text = "{%tr endfor %}"
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(9)

    back = doc.add_section()
    back.orientation = WD_ORIENT.PORTRAIT
    back.page_width, back.page_height = Mm(210), Mm(297)
    doc.add_paragraph("{%p if charts %}")  # a county's report has no county charts
    doc.add_heading("三、图表", level=1)
    doc.add_paragraph("{%p for c in charts %}")
    doc.add_paragraph("{{ c.image }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{{ c.title }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("附：指标口径", level=1)
    doc.add_paragraph("{%p for r in figures %}")
    doc.add_paragraph("{{ r.name }}（{{ r.unit }}）：{{ r.definition }}")
    doc.add_paragraph("{%p endfor %}")

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "default.docx", "wb") as handle:
        handle.write(build())
