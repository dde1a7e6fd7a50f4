"""Work reports (issue 15 §5): a monthly report from a small world, in Word and PDF (the PDF's Chinese text and
figures, every CJK character drawn by an embedded font), the snapshot it keeps, the template upload's
refusals, who may do what, and the job's failure path."""

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from yiti.accounts.models import Department, Role, Scope
from yiti.accounts.testing import make_user
from yiti.agreements.testing import make_agreement
from yiti.core.models import Division
from yiti.dashboard import reports
from yiti.dashboard.models import ReportTemplate, Snapshot, WorkReport
from yiti.dashboard.report_template import build
from yiti.orgs.testing import make_enterprise, make_org


@dataclass
class World:
    a: Division
    b: Division
    city: Any
    leader: Any
    staff_a: Any
    staff_b: Any
    contact: Any
    month: str  # last month, "2026-11"


def _last_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


@pytest.fixture
def world(db) -> World:
    a, b = Division.objects.get(code="140702"), Division.objects.get(code="140703")
    city = Division.objects.get(code="140700")
    city_dept = Department.objects.create(name="晋中市科技局", kind="city", division=city)
    dept_a = Department.objects.create(name="榆次区科技局", kind="office", parent=city_dept, division=a)
    dept_b = Department.objects.create(name="太谷区科技局", kind="office", parent=city_dept, division=b)
    day = _last_month().replace(day=1)
    university = make_org(name="晋中理工学院", org_type="university", division=a)
    for division, funds in ((a, "120.5"), (a, "80"), (a, "300"), (b, "45")):
        make_agreement(parties=[university, make_enterprise(division=division)], division=division,
                       signed_date=day, committed_funds=Decimal(funds))
    return World(
        a=a, b=b,
        city=make_user("city", Role.STAFF, scope=Scope.CITY, department=city_dept),
        leader=make_user("leader", Role.LEADER, scope=Scope.CITY),
        staff_a=make_user("staff_a", Role.STAFF, scope=Scope.COUNTY, department=dept_a),
        staff_b=make_user("staff_b", Role.STAFF, scope=Scope.COUNTY, department=dept_b),
        contact=make_user("contact", Role.ORG_CONTACT, organisation=university),
        month=f"{_last_month():%Y-%m}",
    )


def _generate(client, user, **data: Any) -> WorkReport:
    client.force_login(user)
    response = client.post(reverse("reports:new"), {"period_kind": "month", "period": data.pop("period", ""), **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return WorkReport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


CJK = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _drawn_characters(data: bytes) -> set[str]:
    """The characters the PDF's embedded fonts draw with a real glyph: for each Type0 font, its ToUnicode map
    (glyph id → character) joined with its embedded font program, keeping the glyphs that have an outline."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    drawn: set[str] = set()
    seen: set[int] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if id(font) in seen or font.get("/Subtype") != "/Type0":
                continue
            seen.add(id(font))
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = next((descriptor[k] for k in ("/FontFile3", "/FontFile2") if k in descriptor), None)
            assert program is not None, f"{font['/BaseFont']} is not embedded"
            ttf = TTFont(io.BytesIO(program.get_object().get_data()))
            order = ttf.getGlyphOrder()
            glyphs = ttf.getGlyphSet()
            pen_bounds = _outlined(ttf, glyphs)
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for gid, text in _tounicode(cmap):
                if gid < len(order) and order[gid] in pen_bounds:
                    drawn.update(text)
    return drawn


def _outlined(ttf: Any, glyphs: Any) -> set[str]:
    from fontTools.pens.boundsPen import BoundsPen

    outlined = set()
    for name in glyphs.keys():
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds is not None:
            outlined.add(name)
    return outlined


def _tounicode(cmap: str) -> list[tuple[int, str]]:
    pairs: list[tuple[int, str]] = []
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            pairs.append((int(src, 16), bytes.fromhex(dst).decode("utf-16-be")))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for i, gid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                pairs.append((gid, chr(start + i)))
    return pairs


# ---- generation ---------------------------------------------------------------------------------------

def test_monthly_report_from_a_small_world(client, world):
    report = _generate(client, world.city, period=world.month)
    report.refresh_from_db()
    assert report.status == WorkReport.Status.DONE, report.message
    assert report.snapshot is not None and report.snapshot.period == world.month
    year, month = int(world.month[:4]), int(world.month[5:])
    title = f"晋中市教育科技人才一体化工作月报（{year}年{month}月）"

    word = _docx_text(report.docx.read())
    assert title in word
    assert "545.5" in word  # 4 agreements, 120.5 + 80 + 300 + 45 committed
    assert "榆次区 | 太谷区" in word.replace("\n", " ")  # the county table's header, counties in code order

    pdf = report.pdf.read()
    text = _pdf_text(pdf)
    for heading in (title, "一、主要指标完成情况", "二、分县区情况", "三、图表", "附：指标口径"):
        assert heading in text
    assert "545.5" in text and "500.5" in text  # the city's funds, 榆次区's
    used = set(CJK.findall(text))
    assert len(used) > 50
    missing = used - _drawn_characters(pdf)
    assert not missing, f"CJK characters without a glyph in an embedded font: {''.join(sorted(missing))}"


def test_a_report_keeps_its_snapshot(client, world):
    first = _generate(client, world.city, period=world.month)
    make_agreement(division=world.a, signed_date=_last_month(), committed_funds=Decimal("1000"))
    second = _generate(client, world.city, period=world.month)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.snapshot_id == second.snapshot_id  # the month's snapshot, taken once
    assert Snapshot.objects.filter(period=world.month).count() == 1
    assert "545.5" in _pdf_text(second.pdf.read())  # not 1,545.5: later edits do not change the month


def test_a_county_officer_reports_on_their_county(client, world):
    report = _generate(client, world.staff_a, period=world.month)
    report.refresh_from_db()
    assert report.division == world.a and report.status == WorkReport.Status.DONE
    text = _pdf_text(report.pdf.read())
    assert "榆次区教育科技人才一体化工作月报" in text and "500.5" in text
    assert "太谷区" not in text  # another county's figures are not in a county's report
    assert "三、图表" not in text and "三、图表" not in _docx_text(report.docx.read())  # no county charts


@pytest.mark.parametrize(("kind", "code", "label", "snapshot", "previous"), [
    ("month", "2026-01", "2026年1月", "2026-01", "2025-12"),
    ("quarter", "2026-q1", "2026年第一季度", "2026-03", "2025-12"),
    ("quarter", "2026-Q4", "2026年第四季度", "2026-12", "2026-09"),
    ("year", "2025", "2025年", "2025-12", None),
])
def test_a_period_reads_its_last_months_snapshot(kind, code, label, snapshot, previous):
    period = reports.parse_period(kind, code, today=datetime.date(2026, 12, 5))
    assert (period.label, period.snapshot_period, period.previous_snapshot_period) == (label, snapshot, previous)


def test_an_uploaded_template_fills_the_report(client, world):
    client.force_login(world.city)
    upload = SimpleUploadedFile("模板.docx", _docx("{{ area }}{{ period }}签订协议{{ fig.agreements_signed }}项"))
    response = client.post(reverse("reports:templates"), {"name": "办公室模板", "file": upload, "active": "on"})
    assert response.status_code == 302
    template = ReportTemplate.objects.get()
    assert template.active and template.uploaded_by == world.city
    report = _generate(client, world.city, period=world.month, template=template.pk)
    report.refresh_from_db()
    year, month = int(world.month[:4]), int(world.month[5:])
    assert f"晋中市{year}年{month}月签订协议4项" in _docx_text(report.docx.read())


def test_the_default_template_passes_its_own_check():
    reports.check_template(build(), "default.docx")


# ---- the template upload's refusals -------------------------------------------------------------------

def _docx(*paragraphs: str) -> bytes:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("报告.doc", b"\xd0\xcf\x11\xe0 old Word", "不是 Word .docx 文件"),
    ("报告.docx", b"not a zip at all", "不是可读取的 Word .docx 文件"),
    ("报告.docx", b"PK\x03\x04" + b"\0" * (reports.TEMPLATE_MAX_BYTES + 1), "最大 5 MB"),
    ("报告.docx", _docx("{{ title }}", "{{ leader_name }}"), "leader_name"),
    ("报告.docx", _docx("{{ fig.no_such_indicator }}"), "fig.no_such_indicator"),
    ("报告.docx", _docx("{{ title "), "标记有误"),
    ("报告.docx", _docx("{{ title|no_such_filter }}"), "标记有误"),
])
def test_a_bad_template_is_refused_and_not_kept(client, world, name, content, reason):
    client.force_login(world.city)
    response = client.post(reverse("reports:templates"), {"name": "坏模板", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not ReportTemplate.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "report-templates"
    assert not folder.exists() or not any(folder.iterdir())


def test_the_placeholders_are_documented_on_the_page(client, world):
    client.force_login(world.city)
    page = client.get(reverse("reports:templates")).content.decode()
    for p in reports.placeholders():
        assert p.name.replace("<", "&lt;").replace(">", "&gt;") in page.replace("&#x27;", "'")


# ---- who may do what ----------------------------------------------------------------------------------

def test_reports_are_for_the_office_and_leaders(client, world):
    client.force_login(world.contact)
    assert client.get(reverse("reports:index")).status_code == 403
    assert client.post(reverse("reports:new"), {"period_kind": "month", "period": world.month}).status_code == 403
    assert not WorkReport.objects.exists()


def test_a_county_officer_sees_only_their_county(client, world):
    theirs = _generate(client, world.staff_a, period=world.month)
    other = _generate(client, world.staff_b, period=world.month)
    client.force_login(world.staff_a)
    assert client.get(reverse("reports:download", args=[theirs.pk, "pdf"])).status_code == 200
    assert client.get(reverse("reports:report", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[other.pk, "word"])).status_code == 404
    page = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:report", args=[theirs.pk]) in page and reverse("reports:report", args=[other.pk]) not in page
    # nor may they ask for another county's report
    response = client.post(reverse("reports:new"), {"period_kind": "month", "period": world.month,
                                                    "division": world.b.pk})
    assert response.status_code == 200 and WorkReport.objects.count() == 2


def test_leaders_download_any_report_and_cannot_manage_templates(client, world):
    report = _generate(client, world.staff_b, period=world.month)
    client.force_login(world.leader)
    response = client.get(reverse("reports:download", args=[report.pk, "word"]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    upload = SimpleUploadedFile("模板.docx", _docx("{{ title }}"))
    assert client.post(reverse("reports:templates"), {"file": upload}).status_code == 403
    client.force_login(world.staff_a)
    assert client.post(reverse("reports:templates"), {"file": upload}).status_code == 403
    assert not ReportTemplate.objects.exists()


@pytest.mark.parametrize(("kind", "period", "reason"), [
    ("month", "2026/11", "格式"), ("month", "2026-13", "没有这个月"), ("quarter", "2026-Q5", "格式"),
    ("year", "2999", "尚未开始"),
])
def test_a_bad_period_is_refused(client, world, kind, period, reason):
    client.force_login(world.city)
    response = client.post(reverse("reports:new"), {"period_kind": kind, "period": period})
    assert response.status_code == 200 and reason in response.content.decode()
    assert not WorkReport.objects.exists()


# ---- the job's failure path ---------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "reason"), [
    (b"this file was damaged on disk", "不是可读取的 Word .docx 文件"),
    (_docx("{{ title|no_such_filter }}"), "无法填写"),
])
def test_a_broken_template_fails_the_job_and_leaves_no_file(client, world, content, reason):
    template = ReportTemplate(name="坏模板", uploaded_by=world.city)  # written past the upload's check
    template.file.save("template.docx", ContentFile(content))
    report = _generate(client, world.city, period=world.month, template=template.pk)
    report.refresh_from_db()
    assert report.status == WorkReport.Status.FAILED
    assert reason in report.message
    assert not report.docx and not report.pdf
    folder = Path(settings.MEDIA_ROOT) / "reports"
    assert not folder.exists() or not any(folder.iterdir())
    client.force_login(world.city)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert reason in page
    assert client.get(reverse("reports:download", args=[report.pk, "word"])).status_code == 404


def test_the_report_page_and_form_name_the_kind_of_report_in_chinese(client, world):
    """The page title read "工作报告 2026-11 · Monthly · 全市": the kinds had no Chinese."""
    report = _generate(client, world.city, period=world.month)
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "月报" in page and "Monthly" not in page
    form = client.get(reverse("reports:new")).content.decode()
    assert "季报" in form and "年报" in form and "Quarterly" not in form
