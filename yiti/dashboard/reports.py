"""Work reports (工作报告): monthly, quarterly and annual, from a Word template filled with the figures of the
period's last monthly snapshot, tables by county and charts drawn on the server; a PDF of the same content.

- Word: docxtpl (Jinja tags typed in Word: `{{ title }}`, `{%tr for r in figures %}` …), run in Jinja's
  sandbox since an uploaded template is code the office wrote. The placeholders are `PLACEHOLDERS`; an
  uploaded template naming any other is refused (`check_template`).
- PDF: WeasyPrint, from an HTML rendering of the same context (`dashboard/reports/pdf.html`), with the Noto
  CJK fonts embedded (docs/dashboard.md "Work reports" says why this route).
- Charts: matplotlib (Agg) with Noto Sans CJK, PNG.

The report is generated in the background (`report_job`) and keeps the snapshot it used.
"""

import base64
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from yiti.core.access import _division_ids, home_division
from yiti.core.models import Division
from yiti.dashboard import indicators as ledger
from yiti.dashboard import snapshots
from yiti.dashboard.models import ReportTemplate, Snapshot, Target, WorkReport

logger = logging.getLogger(__name__)

TEMPLATE_MAX_BYTES = 5 * 1024 * 1024  # an office template with a logo is well under 1 MB
TEMPLATE_MAX_UNPACKED = 50 * 1024 * 1024  # what the .docx (a zip) may unpack to: no zip bomb
CJK_FONT = "Noto Sans CJK SC"  # Debian's fonts-noto-cjk; matplotlib and WeasyPrint find it through fontconfig


# ---- who may do what ----------------------------------------------------------------------------------

def is_reader(user: Any) -> bool:
    """City office staff, county officers and leaders see (and generate) work reports; a county officer only
    their county's."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or user.role == "leader"
                or (user.role == "staff" and user.scope in ("city", "county")))


def may_manage_templates(user: Any) -> bool:
    """Templates are the city office's: they shape every county's report."""
    return bool(user.is_authenticated and user.is_active
                and (user.is_superuser or (user.role == "staff" and user.scope == "city")))


def reports_visible(user: Any) -> QuerySet[WorkReport]:
    reports = WorkReport.objects.select_related("user", "division", "snapshot", "template")
    if not is_reader(user):
        return reports.none()
    county = home_division(user)
    if county is not None:
        return reports.filter(division_id__in=_division_ids(county.pk))
    return reports


def county_choices(user: Any) -> list[Division]:
    """The counties a user may report on: their own for a county officer, every county otherwise."""
    county = home_division(user)
    return [county] if county is not None else ledger.counties()


# ---- periods ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    kind: str  # WorkReport.Period
    code: str  # "2026-11", "2026-Q4", "2026"
    year: int
    first_month: int
    last_month: int

    @property
    def snapshot_period(self) -> str:
        """The month whose snapshot the report reads: the period's last."""
        return f"{self.year}-{self.last_month:02d}"

    @property
    def previous_snapshot_period(self) -> str | None:
        """The month of the previous period's snapshot, for the change over the period (None: annual)."""
        if self.kind == WorkReport.Period.YEAR:
            return None
        months = self.last_month - self.first_month + 1
        y, m = self.year, self.last_month - months
        if m < 1:
            y, m = y - 1, m + 12
        return f"{y}-{m:02d}"

    @property
    def label(self) -> str:
        if self.kind == WorkReport.Period.MONTH:
            return _("%(month)s/%(year)s") % {"year": self.year, "month": self.last_month}
        if self.kind == WorkReport.Period.QUARTER:
            quarters = [_("Q1 %(year)s"), _("Q2 %(year)s"), _("Q3 %(year)s"), _("Q4 %(year)s")]
            return quarters[self.last_month // 3 - 1] % {"year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    @property
    def kind_label(self) -> str:
        return {"month": _("monthly report"), "quarter": _("quarterly report"), "year": _("annual report")}[self.kind]


PERIOD_FORMATS = {
    WorkReport.Period.MONTH: re.compile(r"^(\d{4})-(\d{2})$"),
    WorkReport.Period.QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
    WorkReport.Period.YEAR: re.compile(r"^(\d{4})$"),
}


def parse_period(kind: str, code: str, *, today: date | None = None) -> Period:
    """The period a report covers, from its kind and code ("2026-11", "2026-Q4", "2026"); one that has not
    begun yet is refused (its snapshot would be taken in advance)."""
    code = (code or "").strip().upper()
    pattern = PERIOD_FORMATS.get(kind)  # type: ignore[call-overload]
    if pattern is None:
        raise ValidationError({"period_kind": ValidationError(_("Choose monthly, quarterly or annual."),
                                                              code="period_kind")})
    match = pattern.match(code)
    examples = {"month": "2026-11", "quarter": "2026-Q4", "year": "2026"}
    if match is None:
        raise ValidationError({"period": ValidationError(
            _("The period “%(value)s” is not of the form %(example)s.") % {"value": code, "example": examples[kind]},
            code="period_format")})
    year = int(match.group(1))
    if kind == WorkReport.Period.MONTH:
        first = last = int(match.group(2))
        if not 1 <= first <= 12:
            raise ValidationError({"period": ValidationError(
                _("The period “%(value)s” has no such month.") % {"value": code}, code="period_month")})
    elif kind == WorkReport.Period.QUARTER:
        last = int(match.group(2)) * 3
        first = last - 2
    else:
        first, last = 1, 12
    today = today or timezone.localdate()
    if year < 2000 or (year, first) > (today.year, today.month):
        raise ValidationError({"period": ValidationError(
            _("The period “%(value)s” has not begun: a report covers a period up to this month.") % {"value": code},
            code="period_future")})
    return Period(kind=kind, code=code, year=year, first_month=first, last_month=last)


# ---- templates --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str
    example: str


def placeholders() -> list[Placeholder]:
    """What a template may name (the page documents them from this list; the check accepts nothing else)."""
    first = next(iter(ledger.INDICATORS), "agreements_signed")
    return [
        Placeholder("{{ title }}", _("The report's title"), _("Jinzhong work report (November 2026)")),
        Placeholder("{{ area }}", _("The area reported on: the whole city or the chosen county"), _("Jinzhong / Yuci")),
        Placeholder("{{ period }}", _("The period covered"), _("November 2026, Q4 2026, 2026")),
        Placeholder("{{ kind }}", _("The kind of report"), _("monthly / quarterly / annual report")),
        Placeholder("{{ year }}", _("The year the figures belong to"), "2026"),
        Placeholder("{{ snapshot }}", _("The monthly snapshot used (the period's last month)"), "2026-11"),
        Placeholder("{{ generated_on }}", _("The date of generation"), "2026-12-05"),
        Placeholder(f"{{{{ fig.{first} }}}}",
                    _("One indicator's year-to-date figure (fig.code; the codes are on the indicator ledger)"), "128"),
        Placeholder(f"{{{{ chart.{first} }}}}", _("One indicator's chart by county (chart.code; city reports only)"),
                    _("(picture)")),
        Placeholder("{%tr for r in figures %} … {%tr endfor %}",
                    _("The rows of the indicator table: r.name indicator, r.unit unit, r.value year to date, r.change "
                      "change over the period, r.target annual target, r.progress progress, r.group section, "
                      "r.definition definition"), _("Agreements signed | items | 128 | +6 | 150 | 85.3%")),
        Placeholder("{%tc for c in counties %}{{ c }}{%tc endfor %}",
                    _("The columns of the county table: the county's name"), _("Yuci District")),
        Placeholder("{%tr for r in county_rows %} … {%tr endfor %}",
                    _("The rows of the county table: r.name indicator, r.unit unit, r.cells the counties' figures (in "
                      "the order of counties), r.total the city"), _("Agreements signed | items | 12 | 9 | … | 128")),
        Placeholder("{%p for c in charts %}{{ c.title }}{{ c.image }}{%p endfor %}",
                    _("Every chart: c.title title, c.image picture"), _("(picture)")),
    ]


NAMES = frozenset({"title", "area", "period", "kind", "year", "snapshot", "generated_on", "fig", "chart", "figures",
                   "counties", "county_rows", "charts"})
KEYED = ("fig", "chart")  # names whose attributes are indicator codes


def _jinja_env() -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=False)


def _unpacked_size_ok(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist() and sum(i.file_size for i in z.infolist()) <= TEMPLATE_MAX_UNPACKED
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def check_upload(filename: str, size: int) -> None:
    """What can be refused before the file is read: its type by name, its size."""
    if not filename.lower().endswith(".docx"):
        raise ValidationError({"file": ValidationError(
            _("“%(name)s” is not a Word .docx file.") % {"name": filename}, code="template_type")})
    if size > TEMPLATE_MAX_BYTES:
        raise ValidationError({"file": ValidationError(
            _("“%(name)s” is %(size).1f MB; a template may be at most %(max)d MB.") % {
                "name": filename, "size": size / 1024 / 1024, "max": TEMPLATE_MAX_BYTES // 1024 // 1024},
            code="template_size")})


def check_template(data: bytes, filename: str) -> None:
    """Refuse what cannot serve as a report template, naming what is wrong: not a .docx, too big, broken
    tags, a placeholder the reports do not fill."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError, nodes

    def refuse(message: str, code: str) -> NoReturn:
        raise ValidationError({"file": ValidationError(message, code=code)})

    check_upload(filename, len(data))
    if not _unpacked_size_ok(data):
        refuse(_("“%(name)s” is not a readable Word .docx file.") % {"name": filename}, "template_type")
    try:
        doc = DocxTemplate(io.BytesIO(data))
        env = _jinja_env()
        names = doc.get_undeclared_template_variables(env)
        source = _template_source(doc)
        tree = env.parse(source)
        env.compile(source)  # unknown filters and tests are found here, not by parse
    except TemplateError as exc:
        refuse(_("The template's tags are broken: %(error)s.") % {"error": exc.message or type(exc).__name__},
               "template_syntax")
    except Exception:  # python-docx/lxml on a damaged file
        refuse(_("“%(name)s” is not a readable Word .docx file.") % {"name": filename}, "template_type")
    unknown = sorted(names - NAMES)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        target = node.node
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(target, nodes.Name) and target.name in KEYED and key not in ledger.INDICATORS:
            unknown.append(f"{target.name}.{key}")
    if unknown:
        refuse(_("The template names unknown placeholders: %(names)s. The placeholders a template may use are "
                 "listed on the templates page.") % {"names": "、".join(unknown)}, "template_placeholder")


def _template_source(doc: Any) -> str:
    """The Jinja source docxtpl renders: the body, headers and footers, patched as docxtpl patches them."""
    from docx.oxml import parse_xml

    doc.init_docx()
    xml = doc.patch_xml(doc.xml_to_string(doc.docx._element.body))
    for rel in doc.docx._part.rels.values():
        if rel.reltype in (doc.HEADER_URI, doc.FOOTER_URI) and rel.target_part.blob:
            xml += doc.patch_xml(doc.xml_to_string(parse_xml(rel.target_part.blob)))
    return xml


def upload_template(user: Any, *, name: str, data: bytes, filename: str, active: bool) -> ReportTemplate:
    """Keep an office template, checked first: a refused file is not saved."""
    if not may_manage_templates(user):
        raise PermissionDenied(_("Only the city office manages report templates."))
    name = (name or "").strip() or Path(filename).stem[:100]
    check_template(data, filename)
    template = ReportTemplate(name=name[:100], uploaded_by=user, active=active)
    template.file.save("template.docx", ContentFile(data), save=False)
    try:
        template.save()
        if active:
            ReportTemplate.objects.exclude(pk=template.pk).update(active=False)
    except Exception:
        template.file.delete(save=False)
        raise
    return template


def default_template() -> bytes:
    """The shipped template, built by code (`yiti.dashboard.report_template`) so it can be rebuilt and read."""
    from yiti.dashboard.report_template import build

    return build()


# ---- starting a report ------------------------------------------------------------------------------

def start_report(user: Any, *, kind: str, period: str, county_id: int | None = None,
                 template_id: int | None = None) -> WorkReport:
    """A new report (status 生成中) for the caller to queue (`report_job`)."""
    if not is_reader(user):
        raise PermissionDenied(_("Work reports are for the office and leaders."))
    parsed = parse_period(kind, period)
    county = None
    allowed = {c.pk: c for c in county_choices(user)}
    if county_id:
        county = allowed.get(int(county_id))
        if county is None:
            raise ValidationError({"division": ValidationError(_("The chosen county lies outside your data scope."),
                                                               code="division_scope")})
    elif home_division(user) is not None:
        county = home_division(user)  # a county officer reports on their county
    template = None
    if template_id:
        template = ReportTemplate.objects.filter(pk=template_id).first()
        if template is None:
            raise ValidationError({"template": ValidationError(_("The chosen template does not exist."),
                                                               code="template_missing")})
    return WorkReport.objects.create(registry="dashboard", user=user, period_kind=kind, period=parsed.code,
                                     division=county, template=template)


# ---- the content ------------------------------------------------------------------------------------

def _number(v: Decimal | None, ratio: bool = False) -> str:
    if v is None:
        return "—"
    v = Decimal(v)
    text = f"{v:,.0f}" if v == v.to_integral_value() else f"{v.normalize():,f}"
    return f"{text}%" if ratio else text


def _change(v: Decimal | None, ratio: bool) -> str:
    if v is None:
        return "—"
    sign = "+" if v > 0 else ""
    return sign + (_("%(value)s points") % {"value": _number(v)} if ratio else _number(v))


@dataclass
class Content:
    """Everything a report shows, computed once for the Word file and the PDF."""

    context: dict[str, Any]  # plain values (the charts as PNG bytes under "chart_png")
    charts: list[tuple[str, str, bytes]]  # (indicator code, title, PNG)


def content(report: WorkReport, snapshot: Snapshot, *,
            progress: Callable[[int, int], None] | None = None) -> Content:
    period = parse_period(report.period_kind, report.period, today=date(9999, 12, 31))
    values = snapshots.frozen(snapshot)
    previous = None
    prev_period = period.previous_snapshot_period
    if prev_period:
        prev = Snapshot.objects.filter(period=prev_period).first()
        previous = snapshots.frozen(prev) if prev is not None else None
    city = ledger.city()
    county = report.division
    area = county or city
    area_id = county.pk if county is not None else None
    counties = [county] if county is not None else ledger.counties()
    targets = {t.indicator: t.value for t in Target.objects.filter(year=period.year, division=area)} \
        if area is not None else {}
    year = period.year
    figures, county_rows, fig = [], [], {}
    for ind in ledger.INDICATORS.values():
        v = values.get((ind.code, year, area_id))
        change = None
        if previous is not None and v is not None:
            change = v - previous.get((ind.code, year, area_id), Decimal(0))
        target = targets.get(ind.code)
        prog = (v * 100 / target).quantize(Decimal("0.1")) if target and v is not None else None
        fig[ind.code] = _number(v, ind.is_ratio)
        figures.append({"code": ind.code, "name": str(ind.name), "unit": "%" if ind.is_ratio else str(ind.unit),
                        "group": str(ind.group), "definition": str(ind.definition),
                        "value": fig[ind.code], "change": _change(change, ind.is_ratio),
                        "target": _number(target, ind.is_ratio) if target is not None else "—",
                        "progress": _number(prog, True) if prog is not None else "—"})
        county_rows.append({"code": ind.code, "name": str(ind.name), "unit": "%" if ind.is_ratio else str(ind.unit),
                            "cells": [_number(values.get((ind.code, year, c.pk)), ind.is_ratio) for c in counties],
                            "total": _number(values.get((ind.code, year, None)), ind.is_ratio)})
    area_name = area.name if area is not None else _("Whole city")
    context = {
        "title": _("%(area)s work report on education, science and talent, %(kind)s (%(period)s)") % {
            "area": area_name, "kind": period.kind_label, "period": period.label},
        "area": area_name, "period": period.label, "kind": period.kind_label, "year": str(year),
        "snapshot": snapshot.period, "generated_on": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "fig": fig, "figures": figures, "counties": [c.name for c in counties], "county_rows": county_rows,
    }
    charts: list[tuple[str, str, bytes]] = []
    if county is None:  # the city's report compares counties; a county's report has one county to show
        drawable = [ind for ind in ledger.INDICATORS.values() if not ind.is_ratio]
        for done, ind in enumerate(drawable, 1):
            title = _("%(name)s by county (%(year)s, %(unit)s)") % {"name": ind.name, "year": year, "unit": ind.unit}
            data = [float(values.get((ind.code, year, c.pk), 0)) for c in counties]
            charts.append((ind.code, title, bar_chart(title, [c.name for c in counties], data)))
            if progress is not None:
                progress(done, len(drawable))
    return Content(context=context, charts=charts)


# ---- charts -----------------------------------------------------------------------------------------

_pyplot: Any = None


def _plt() -> Any:
    """matplotlib's pyplot on the Agg backend with the CJK font, imported once per process (about 1 s)."""
    global _pyplot
    if _pyplot is None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        plt.rcParams["font.family"] = ["sans-serif"]
        plt.rcParams["font.sans-serif"] = [CJK_FONT, "DejaVu Sans"]
        plt.rcParams["axes.unicode_minus"] = False
        _pyplot = plt
    return _pyplot


def bar_chart(title: str, labels: list[str], values: list[float]) -> bytes:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 2.8), dpi=150)
    try:
        bars = ax.bar(labels, values, color="#206bc4")
        ax.bar_label(bars, labels=[f"{v:,.0f}" if v == int(v) else f"{v:,.2f}" for v in values], fontsize=7)
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelsize=8, rotation=30 if len(labels) > 8 else 0)
        ax.tick_params(axis="y", labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.88, bottom=0.2)  # fixed: tight_layout costs a third
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


# ---- rendering --------------------------------------------------------------------------------------

def render_docx(template_bytes: bytes, data: Content) -> bytes:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    doc = DocxTemplate(io.BytesIO(template_bytes))
    images = {code: InlineImage(doc, io.BytesIO(png), width=Mm(160)) for code, _title, png in data.charts}
    context = {**data.context, "chart": images,
               "charts": [{"title": title, "image": images[code]} for code, title, _png in data.charts]}
    doc.render(context, _jinja_env(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(data: Content) -> bytes:
    import weasyprint

    charts = [{"title": title, "src": "data:image/png;base64," + base64.b64encode(png).decode()}
              for _code, title, png in data.charts]
    html = render_to_string("dashboard/reports/pdf.html", {**data.context, "charts": charts, "font": CJK_FONT})
    # The images are in the page itself: nothing is fetched, from the network or the disk.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def _template_bytes(report: WorkReport) -> bytes:
    if report.template is None:
        return default_template()
    with report.template.file.open("rb") as handle:
        return handle.read()


def generate(report: WorkReport) -> None:
    """The job's work: the snapshot (taken if the month has none), the content, the Word file, the PDF. Both
    files are saved only once both are made: a failure leaves none, and the job says why in Chinese."""
    with report.working(), translation.override(settings.LANGUAGE_CODE):  # the worker has no request language
        phase = "figures"
        try:
            period = parse_period(report.period_kind, report.period, today=date(9999, 12, 31))
            report.set_progress("snapshot", 0, 0)
            snapshot = snapshots.take(period.snapshot_period, report.user)
            report.snapshot = snapshot
            report.save(update_fields=["snapshot"])
            data = content(report, snapshot, progress=lambda d, t: report.set_progress("charts", d, t))
            phase = "word"
            report.set_progress("word", 0, 0)
            docx = render_docx(_template_bytes(report), data)
            phase = "pdf"
            report.set_progress("pdf", 0, 0)
            pdf = render_pdf(data)
        except Exception as exc:
            logger.exception("work report %s failed while %s", report.pk, phase)
            report.finish(WorkReport.Status.FAILED, failure_message(exc, phase))
            return
        stem = f"report-{report.pk}"
        try:
            report.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
            report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
            report.finish(WorkReport.Status.DONE)
        except Exception:
            logger.exception("work report %s: files not saved", report.pk)
            for field in (report.docx, report.pdf):
                if field:
                    field.delete(save=False)
            WorkReport.objects.filter(pk=report.pk).update(docx="", pdf="")
            report.refresh_from_db()
            report.finish(WorkReport.Status.FAILED, _("The report's files could not be saved; generate it again."))


def failure_message(exc: Exception, phase: str) -> str:
    """The job's Chinese message: what went wrong, in the office's terms."""
    from jinja2 import TemplateError

    if phase == "word":
        if isinstance(exc, TemplateError):
            return _("The report template could not be filled in: %(error)s. Check the template's placeholders.") % {
                "error": getattr(exc, "message", None) or type(exc).__name__}
        return _("The report template is not a readable Word .docx file; upload it again or choose another.")
    if phase == "pdf":
        return _("The PDF could not be made (%(error)s); nothing was kept. Generate the report again.") % {
            "error": type(exc).__name__}
    return _("The report's figures could not be read (%(error)s); generate it again.") % {"error": type(exc).__name__}


@task()
def report_job(report_id: int) -> None:
    generate(WorkReport.objects.get(pk=report_id))
