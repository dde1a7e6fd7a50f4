"""The indicator ledger: every figure equals its drill-down, targets, snapshots, page permissions."""

import datetime
from decimal import Decimal

import pytest

from yiti.accounts.models import Department
from yiti.core.models import Division
from yiti.dashboard import indicators as ledger
from yiti.demo.generate import generate

TODAY = datetime.date(2026, 11, 1)


def city_department() -> Department:
    city = Division.objects.get(code="140700")
    return Department.objects.get_or_create(name="晋中市人才办", kind="city", division=city)[0]


def drilled(ind, user, year, county, **dims) -> Decimal:
    """The figure as a user would add it up from the drill-down list: its rows counted, or their amounts summed
    one by one in Python (independently of the grouped queries of the ledger)."""
    qs = ledger.records(ind, user, year, county, **dims)
    if not ind.sum_field:
        return Decimal(len(list(qs)))
    total = Decimal(0)
    for record in qs:
        if ind.via:
            rows = getattr(record, ind.via).filter(ledger._row_q(ind, year))
            total += sum((getattr(r, ind.sum_field) or 0 for r in rows), Decimal(0))
        else:
            total += getattr(record, ind.sum_field) or 0
    return (total / ind.divide).quantize(Decimal("0.01")) if ind.divide != 1 else total


@pytest.mark.django_db
def test_every_figure_equals_its_drill_down_for_every_county_and_year():
    city_department()
    generate(scale=0.05, seed=7, today=TODAY)
    top_up()
    counties = ledger.counties()
    assert len(counties) >= 2 and len(ledger.INDICATORS) >= 20
    years = range(TODAY.year - 4, datetime.date.today().year + 1)
    nonzero = set()
    for year in years:
        rows = {row.indicator.code: row for row in ledger.table(None_user(), year)}
        for ind in ledger.INDICATORS.values():
            cells = rows[ind.code].cells
            assert [c.division for c in cells] == [None, *counties]
            y = year if ind.has_year else None
            for cell in cells:
                if ind.is_ratio:
                    num, den = (ledger.value(ledger.get(c), None, y, cell.division) for c in ind.ratio_of)
                    assert cell.value == (num * 100 / den).quantize(Decimal("0.1")) if den else cell.value == 0
                    continue
                assert cell.value == drilled(ind, None, y, cell.division), (ind.code, year, cell.division)
                if cell.value:
                    nonzero.add(ind.code)
    # a county officer's ledger: their county's column only, each figure equal to their drill-down
    from yiti.accounts.testing import make_user

    county = counties[0]
    office = Department.objects.create(name=f"{county.name}科技局", kind="office", parent=city_department(),
                                       division=county)
    officer = make_user("ledger_officer", "staff", scope="county", department=office)
    for year in (TODAY.year - 1, TODAY.year):
        for row in ledger.table(officer, year):
            ind = row.indicator
            assert [c.division for c in row.cells] == [county]
            if not ind.is_ratio:
                y = year if ind.has_year else None
                assert row.cells[0].value == drilled(ind, officer, y, county), (ind.code, year)
                assert row.cells[0].value == rows[ind.code].cells[1].value or year != years[-1]
    # the data exercises every indicator: a figure that is always 0 would prove nothing
    # (ratios are checked from their parts above, which are in `nonzero`)
    assert set(ledger.INDICATORS) - nonzero == {code for code, ind in ledger.INDICATORS.items() if ind.is_ratio}
    assert {"commissioner_coverage", "unasked_share"} <= {c for c, i in ledger.INDICATORS.items() if i.is_ratio}
    # the extra dimensions: each university's and each industry's figure equals its drill-down too
    for code, name in [("agreements_signed", "university"), ("funds_arrived", "university"),
                       ("needs_collected", "industry"), ("needs_matched", "industry"), ("workstations", "level")]:
        ind = ledger.get(code)
        seen = Decimal(0)
        for year in years:
            for key, _label, v in ledger.by_dimension(ind, name, None, year):
                assert v == drilled(ind, None, year, None, **{name: key}), (code, year, key)
                seen += v
        assert seen, code


@pytest.mark.django_db
def test_the_snapshots_grouped_figures_equal_each_countys_and_years_value():
    # snapshots.figures asks one query per indicator for its five years and every county (grouped by division and
    # year); each value must be what the ledger computes for that one year and county (and so its drill-down)
    from yiti.dashboard import snapshots

    city_department()
    generate(scale=0.05, seed=7, today=TODAY)
    top_up()
    period = f"{TODAY.year}-10"
    values = snapshots.figures(period)
    counties = ledger.counties()
    expected = {}
    for ind in ledger.INDICATORS.values():
        for y in range(TODAY.year - snapshots.YEARS_BACK, TODAY.year + 1) if ind.has_year else [TODAY.year]:
            asked = y if ind.has_year else None
            for county in [None, *counties]:
                expected[(ind.code, y, county.pk if county else None)] = ledger.value(ind, None, asked, county)
    assert values == expected
    # the data exercises the years: most indicators have figures in more than one year
    years_with = {(code, y) for (code, y, county), v in values.items() if v and county is None}
    assert len({y for _code, y in years_with}) >= 3


def top_up() -> None:
    """What a small demo lacks: platforms of every level and type, enterprises at the ends of the ladder."""
    from yiti.orgs.testing import make_enterprise
    from yiti.platforms.testing import make_platform

    counties = ledger.counties()
    for i, level in enumerate(["national", "provincial", "municipal", "county"]):
        for ptype in ["academician_workstation", "postdoc_station", "doctoral_station", "key_lab"]:
            make_platform(platform_type=ptype, level=level, status="operating", division=counties[i % len(counties)],
                          applied_date=datetime.date(2023, 1, 5), listed_date=datetime.date(2023, 3, 1),
                          accredited_date=datetime.date(2024 + i % 2, 6, 1))
    for stage in ["startup_team", "listed"]:
        make_enterprise(ladder_stage=stage, division=counties[1])


class None_user:
    """The office's whole-city view (records(user=None)) as a table() user."""
    is_superuser = True
    is_authenticated = True
    is_active = True
    role = "leader"


# --- pages, targets, snapshots: a small world of two counties ---------------------------------------------

import io  # noqa: E402
import re  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.urls import reverse  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from yiti.accounts.testing import make_user  # noqa: E402
from yiti.agreements.models import Evidence  # noqa: E402
from yiti.agreements.testing import make_agreement  # noqa: E402
from yiti.dashboard import snapshots  # noqa: E402
from yiti.dashboard.models import Snapshot, Target  # noqa: E402
from yiti.orgs.testing import make_enterprise, make_org  # noqa: E402

YEAR = datetime.date.today().year


@pytest.fixture
def world(db):
    city = Division.objects.get(code="140700")
    a, b = Division.objects.get(code="140702"), Division.objects.get(code="140721")
    dept = city_department()
    county_dept = Department.objects.create(name="榆次区科技局", kind="office", parent=dept, division=a)
    uni = make_org(name="晋中测试学院", org_type="university", division=a)
    signed = datetime.date(YEAR, 1, 10)
    for division, n in ((a, 3), (b, 2)):
        for _ in range(n):
            make_agreement(parties=[uni, make_enterprise(division=division)], division=division, signed_date=signed)
    agreement = make_agreement(parties=[uni, make_enterprise(division=b)], division=b, signed_date=signed)
    Evidence.objects.create(agreement=agreement, step="funds_arrived", date=signed, amount=Decimal("500000"), note="到账")
    return {
        "city": city, "a": a, "b": b, "uni": uni, "agreement": agreement,
        "leader": make_user("leader1", "leader", scope="city"),
        "staff": make_user("staff1", "staff", scope="city", department=dept),
        "officer": make_user("officer1", "staff", scope="county", department=county_dept),
        "contact": make_user("contact1", "org_contact", organisation=uni),
    }


def heading_count(html: str) -> int:
    found = re.search(r"(\d+) 条", html)
    assert found, html[:2000]
    return int(found.group(1))


def test_ledger_page_columns_by_role(client, world):
    client.force_login(world["staff"])
    page = client.get(reverse("dashboard:ledger"), {"year": YEAR}).content.decode()
    assert "全市" in page and world["a"].name in page and world["b"].name in page
    assert "合作协议签约数" in page  # an indicator's Chinese name
    client.force_login(world["officer"])
    page = client.get(reverse("dashboard:ledger"), {"year": YEAR}).content.decode()
    assert world["a"].name in page and world["b"].name not in page and "全市" not in page
    # their drill-down is their county's, whatever county the address asks for
    url = reverse("dashboard:drill_down", args=["agreements_signed"])
    assert client.get(url, {"year": YEAR, "county": world["b"].pk}).status_code == 404
    assert heading_count(client.get(url, {"year": YEAR}).content.decode()) == 3
    client.force_login(world["contact"])
    assert client.get(reverse("dashboard:ledger")).status_code == 403
    assert client.get(url, {"year": YEAR}).status_code == 403
    assert client.get(reverse("dashboard:snapshots")).status_code == 403
    assert client.get(reverse("dashboard:targets")).status_code == 403


def test_drill_down_lists_what_the_ledger_counts(client, world):
    client.force_login(world["leader"])
    rows = {r.indicator.code: r for r in ledger.table(world["leader"], YEAR)}
    url = reverse("dashboard:drill_down", args=["agreements_signed"])
    for cell in rows["agreements_signed"].cells:
        params = {"year": YEAR, **({"county": cell.division.pk} if cell.division else {})}
        response = client.get(url, params)
        assert heading_count(response.content.decode()) == cell.value == {None: 6, world["a"].pk: 3,
                                                                          world["b"].pk: 3}.get(getattr(cell.division, "pk", None), 0)
    # a figure from the evidence: the agreement funded, its amount in 10k yuan
    funds = rows["funds_arrived"].cells[0]
    assert funds.value == Decimal("50.00")
    page = client.get(reverse("dashboard:drill_down", args=["funds_arrived"]), {"year": YEAR}).content.decode()
    assert heading_count(page) == 1 and world["agreement"].title in page
    # by university: the figure and its drill-down
    page = client.get(reverse("dashboard:by_dimension", args=["agreements_signed", "university"]),
                      {"year": YEAR}).content.decode()
    assert "晋中测试学院" in page
    response = client.get(url, {"year": YEAR, "university": world["uni"].pk})
    assert heading_count(response.content.decode()) == 6
    # the export: the same records, one row each under the header
    export = client.get(reverse("dashboard:drill_down_export", args=["agreements_signed"]),
                        {"year": YEAR, "county": world["a"].pk, "format": "xlsx"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row - 1 == 3
    # a ratio links to its parts; unknown indicators and bad input are refused, never a 500
    assert client.get(reverse("dashboard:drill_down", args=["commissioner_coverage"])).status_code == 200
    assert client.get(reverse("dashboard:drill_down", args=["nope"])).status_code == 404
    assert client.get(url, {"year": "abc", "county": "x"}).status_code == 404
    assert client.get(url, {"year": "99999999"}).status_code == 200


def test_targets_grid_and_progress(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("dashboard:targets")).status_code == 403
    client.force_login(world["staff"])
    name = f"t-agreements_signed-{world['a'].pk}"
    bad = client.post(reverse("dashboard:targets"), {"year": YEAR, name: "-3", f"t-agreements_signed-{world['city'].pk}": "12"})
    assert bad.status_code == 400 and "目标值" in bad.content.decode() or "目标" in bad.content.decode()
    assert not Target.objects.exists()  # nothing half-written
    ok = client.post(reverse("dashboard:targets"), {"year": YEAR, name: "6", f"t-agreements_signed-{world['city'].pk}": "12"})
    assert ok.status_code == 302 and Target.objects.count() == 2
    row = {r.indicator.code: r for r in ledger.table(world["staff"], YEAR)}["agreements_signed"]
    city_cell, a_cell = row.cells[0], next(c for c in row.cells if c.division == world["a"])
    assert (city_cell.target, city_cell.progress) == (Decimal(12), Decimal("50.0"))
    assert (a_cell.target, a_cell.progress) == (Decimal(6), Decimal("50.0"))
    assert "目标 12" in client.get(reverse("dashboard:ledger"), {"year": YEAR}).content.decode()


def workbook(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["指标代码", "指标名称", "年度", "县区", "目标值"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "targets.xlsx"
    return out


def test_target_import_good_and_bad_files(client, world):
    client.force_login(world["staff"])
    template = client.get(reverse("dashboard:targets_template"), {"year": YEAR})
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == ["指标代码", "指标名称", "年度", "县区", "目标值"]
    assert sheet.max_row - 1 == len(ledger.INDICATORS) * (1 + len(ledger.counties()))  # the city and each county
    good = workbook([["agreements_signed", "", YEAR, world["a"].name, 10], ["funds_arrived", "", YEAR, "全市", "1,200.5"]])
    response = client.post(reverse("dashboard:targets_import"), {"file": good})
    assert response.status_code == 302
    assert {(t.indicator, t.division_id, t.value) for t in Target.objects.all()} == {
        ("agreements_signed", world["a"].pk, Decimal(10)), ("funds_arrived", world["city"].pk, Decimal("1200.5"))}
    bad = workbook([["agreements_signed", "", YEAR, world["b"].name, 4],
                    ["nope", "", YEAR, world["a"].name, 1],
                    ["agreements_signed", "", "明年", world["a"].name, 1],
                    ["agreements_signed", "", YEAR, "火星县", 1],
                    ["agreements_signed", "", YEAR, world["a"].name, "很多"],
                    ["agreements_signed", "", YEAR, world["a"].name, 1.234]])
    response = client.post(reverse("dashboard:targets_import"), {"file": bad})
    page = response.content.decode()
    assert response.status_code == 400
    for expected in ["第 3 行，指标代码列", "第 4 行，年度列", "第 5 行，县区列", "第 6 行，目标值列", "第 7 行，目标值列"]:
        assert expected in page, expected
    assert not Target.objects.filter(division=world["b"]).exists()  # the good first row was not written either
    not_excel = io.BytesIO(b"name,value\n")
    not_excel.name = "targets.xlsx"
    assert "不是 Excel" in client.post(reverse("dashboard:targets_import"), {"file": not_excel}).content.decode()


def test_snapshot_is_never_rewritten(client, world):
    snap = snapshots.take("2026-01")
    key = ("agreements_signed", YEAR, world["b"].pk)
    if YEAR > 2026 or YEAR < 2022:
        pytest.skip("the snapshot covers the four years before its own")
    before = snapshots.frozen(snap)[key]
    assert before == 3
    world["agreement"].delete()  # a record edited after the snapshot
    assert snapshots.frozen(Snapshot.objects.get(pk=snap.pk))[key] == before  # frozen
    assert snapshots.take("2026-01").pk == snap.pk and snap.values.count() == Snapshot.objects.get().values.count()
    changed = {k: (then, now) for k, then, now in snapshots.recompute(snap)}
    assert changed[key] == (Decimal(3), Decimal(2))
    client.force_login(world["leader"])
    page = client.get(reverse("dashboard:snapshot_changes", args=[snap.pk])).content.decode()
    assert world["b"].name in page and "合作协议签约数" in page
    client.force_login(world["officer"])  # a county officer sees their county's changes only
    assert world["b"].name not in client.get(reverse("dashboard:snapshot_changes", args=[snap.pk])).content.decode()


def test_snapshot_command_takes_the_previous_month_once(world):
    out = io.StringIO()
    call_command("snapshot", stdout=out)
    period = snapshots.previous_period(datetime.date.today())
    assert Snapshot.objects.get().period == period and "已生成" in out.getvalue()
    out = io.StringIO()
    call_command("snapshot", "--period", period, stdout=out)
    assert Snapshot.objects.count() == 1 and "未重复生成" in out.getvalue()
    from django.core.management import CommandError

    for bad in ("2026-13", "2026/01", "2999-01"):
        with pytest.raises(CommandError):
            call_command("snapshot", "--period", bad)


def test_the_targets_grid_shows_targets_as_written_and_a_refused_file_without_a_made_up_row(client, world):
    """The grid shows 27400 and 40.3, not 27400.00 (which its cells cut off); a file that is no workbook is
    refused with the reason alone, not "第 1 行，—列"; the refused page leads back to the ledger."""
    Target.objects.create(indicator="funds_committed", year=YEAR, division=world["city"], value=Decimal("27400.00"))
    Target.objects.create(indicator="commissioner_coverage", year=YEAR, division=world["city"], value=Decimal("40.30"))
    client.force_login(world["staff"])
    page = client.get(reverse("dashboard:targets"), {"year": YEAR}).content.decode()
    assert f'name="t-funds_committed-{world["city"].pk}" value="27400"' in page
    assert f'name="t-commissioner_coverage-{world["city"].pk}" value="40.3"' in page
    assert "dashboard.css" in page  # the cells' width
    not_excel = io.BytesIO(b"name,value\n")
    not_excel.name = "targets.xlsx"
    refused = client.post(reverse("dashboard:targets_import"), {"file": not_excel}).content.decode()
    assert "文件不是 Excel 工作簿" in refused and "第 1 行" not in refused and "—列" not in refused
    assert reverse("dashboard:ledger") in refused
    ledger_page = client.get(reverse("dashboard:ledger"), {"year": YEAR}).content.decode()
    assert "目标 27400 ·" in ledger_page and "27400.00" not in ledger_page  # the ledger shows them as written too
