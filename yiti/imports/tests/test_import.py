"""Import end to end: template, upload → preview → confirm, round trips, bad input, scope, duplicates, CLI."""

import csv
import io
import json
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from yiti.core import testing
from yiti.core.registry import registries
from yiti.experts.testing import make_expert_role
from yiti.imports import services
from yiti.imports.columns import columns_for
from yiti.imports.matching import norm
from yiti.imports.models import ImportJob
from yiti.orgs.models import Organisation
from yiti.orgs.testing import make_enterprise, make_org
from yiti.results.models import Result
from yiti.results.testing import make_result
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent
from yiti.tests.world import build_world

pytestmark = pytest.mark.django_db


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client, registry: str, name: str, content: bytes, **options):
    url = reverse(f"{registry}_import")
    data = {"file": _file(name, content), "create_missing": "on", **options}
    return client.post(url, data)


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


# ---- template ---------------------------------------------------------------------------------

@pytest.mark.parametrize("app", list(registries()))
def test_template_has_chinese_headers_dropdowns_example_and_instructions(admin_client, admin_user, app):
    registry = registries()[app]
    response = admin_client.get(reverse(registry.url_name("import_template")))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    columns = columns_for(registry, admin_user)
    assert headers == [c.header for c in columns]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers)
    choice_columns = [c for c in columns if c.kind in {"choice", "bool"}]
    if choice_columns:
        assert len(sheet.data_validations.dataValidation) == len(choice_columns)
    instructions = workbook["说明"]
    explained = [row[0].value for row in instructions.iter_rows(min_row=2, max_row=len(columns) + 1)]
    assert explained == headers


# ---- upload → preview → confirm --------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_is_previewed_then_written_on_confirm(admin_client, encoding):
    content = csv_bytes([["名称", "单位类型", "统一社会信用代码"],
                         ["晋中市榆次区精工铸造有限公司", "企业", testing.valid_credit_code()],
                         ["太谷区农业科学研究所", "科研院所", ""]], encoding)
    job = job_of(upload(admin_client, "orgs:organisation", f"orgs-{encoding}.csv", content))
    assert job.status == ImportJob.Status.READY, job.message
    assert job.counts["created"] == 2 and job.counts["errors"] == 0
    assert not Organisation.objects.filter(name="太谷区农业科学研究所").exists()  # nothing before confirm
    page = admin_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'data-count="created">2<' in page
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert not job.file  # the upload (personal data in plain text) is not kept
    enterprise = Organisation.objects.get(name="晋中市榆次区精工铸造有限公司")
    assert enterprise.org_type == "enterprise"
    assert Organisation.objects.get(name="太谷区农业科学研究所").org_type == "institute"


def test_row_errors_name_row_column_and_reason_and_download_with_a_reason_column(admin_client):
    content = csv_bytes([["名称", "单位类型", "统一社会信用代码"],
                         ["甲公司", "企业", "91140700MA0GRXXX0X"],       # wrong check character
                         ["乙公司", "外星机构", ""],                     # not a type
                         ["", "企业", ""],                               # name missing
                         ["丙公司", "企业", testing.valid_credit_code()]])
    job = job_of(upload(admin_client, "orgs:organisation", "bad.csv", content))
    assert job.counts == {"rows": 4, "created": 1, "updated": 0, "duplicates": 0, "errors": 3, "unchanged": 0}
    errors = {e["row"]: e["errors"] for e in job.report["errors"]}
    assert errors[2][0][0] == "统一社会信用代码" and "校验" in errors[2][0][1]
    assert errors[3][0][0] == "单位类型" and "外星机构" in errors[3][0][1]
    assert errors[4][0][0] == "名称"
    workbook = load_workbook(io.BytesIO(admin_client.get(reverse("imports:errors", args=[job.pk])).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("行号", "原因") and rows[0][2:5] == ("名称", "单位类型", "统一社会信用代码")
    assert [r[0] for r in rows[1:]] == [2, 3, 4]
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    assert Organisation.objects.filter(name="丙公司").exists()
    assert not Organisation.objects.filter(name__in=["甲公司", "乙公司"]).exists()


def test_duplicates_in_the_file_are_merged_and_counted(admin_client):
    content = csv_bytes([["名称", "单位类型", "地址"],
                         ["晋中市（榆次）精工铸造有限公司", "企业", ""],
                         ["晋中市(榆次)精工铸造有限公司 ", "企业", "榆次区迎宾街1号"],   # punctuation differs
                         ["晋中市（榆次）精工铸造有限公司", "企业", ""]])               # identical
    job = job_of(upload(admin_client, "orgs:organisation", "dup.csv", content))
    assert job.counts["created"] == 1 and job.counts["duplicates"] == 2
    kinds = sorted(d["kind"] for d in job.report["duplicates"])
    assert kinds == ["exact", "near"]
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    org = Organisation.objects.get(name="晋中市（榆次）精工铸造有限公司")
    assert org.address == "榆次区迎宾街1号"  # the duplicate's value was kept, not lost


def test_an_existing_record_is_updated_by_its_natural_key_and_blank_cells_keep_values(admin_client):
    code = testing.valid_credit_code()
    org = make_enterprise(credit_code=code, address="旧地址", contact_name="李经理")
    content = csv_bytes([["名称", "单位类型", "统一社会信用代码", "地址", "联系人"],
                         [org.name, "企业", code.lower(), "新地址", ""]])
    job = job_of(upload(admin_client, "orgs:organisation", "upd.csv", content))
    assert job.counts["updated"] == 1 and job.counts["created"] == 0
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    org.refresh_from_db()
    assert org.address == "新地址" and org.contact_name == "李经理"
    assert LogEntry.objects.get_for_object(org).filter(action=LogEntry.Action.UPDATE).exists()


def test_talent_rows_resolve_dictionaries_by_name_variant_and_create_missing_organisations(admin_client):
    content = csv_bytes([["姓名", "人才类型", "单位", "职称级别", "学科", "主管地区"],
                         ["王敏", "本土优秀人才", "山西新材料研究院", "正高级（教授、研究员等）", "马列·科社", "榆次"],
                         ["赵磊", "本土优秀人才", "山西新材料研究院", "副教授", "马列•科社", "湖南"],
                         ["钱进", "本土优秀人才", "", "讲师", "马列科社", "晋中市"]])
    job = job_of(upload(admin_client, "talents:talent", "t.csv", content))
    assert job.counts["created"] == 3, job.report["errors"]
    assert job.report["new_organisations"] == ["山西新材料研究院"]
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    talents = {t.name: t for t in Talent.objects.filter(name__in=["王敏", "赵磊", "钱进"])}
    assert {t.discipline.code for t in talents.values()} == {"0305"}
    assert talents["王敏"].title_level == "senior" and talents["赵磊"].title_level == "deputy_senior"
    assert talents["王敏"].division.code == "140702" and talents["赵磊"].division.code == "430000"
    assert talents["王敏"].organisation == talents["赵磊"].organisation
    assert talents["王敏"].organisation.org_type == "institute"


def test_year_0000_is_unknown_never_invented(admin_client):
    owner = make_org(name="山西大学")
    content = csv_bytes([["名称", "成果类型", "所属单位", "年份"],
                         ["晋商文化研究", "科研项目", owner.name, "0000"],
                         ["晋中盆地地下水研究", "科研项目", owner.name, "2017年"]])
    job = job_of(upload(admin_client, "results:result", "r.csv", content))
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    assert Result.objects.get(title="晋商文化研究").year is None
    assert Result.objects.get(title="晋中盆地地下水研究").year == 2017


# ---- bad input: nothing is written -------------------------------------------------------------

def xlsx_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _formula(wb):
    wb.active.append(["名称", "单位类型"])
    wb.active.append(["甲公司", "企业"])
    wb.active["A3"] = "=HYPERLINK(\"http://example.com\",\"x\")"


def _merged(wb):
    wb.active.append(["名称", "单位类型"])
    wb.active.append(["甲公司", "企业"])
    wb.active.merge_cells("A2:B2")


BAD_FILES = {
    "wrong type": ("a.pdf", b"%PDF-1.4 binary"),
    "empty": ("a.csv", b""),
    "missing required column": ("a.csv", "地址\n晋中\n".encode()),
    "formula": ("a.xlsx", xlsx_bytes(_formula)),
    "merged cells": ("a.xlsx", xlsx_bytes(_merged)),
    "old excel": ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_gets_a_chinese_message_and_nothing_is_written(admin_client, case):
    name, content = BAD_FILES[case]
    before = Organisation.objects.count()
    response = upload(admin_client, "orgs:organisation", name, content)
    if response.status_code == 302:  # refused after upload (a missing column): the job says why
        job = job_of(response)
        assert job.status == ImportJob.Status.FAILED
        message = job.message
    else:
        assert response.status_code == 400
        message = response.context["form"].errors["file"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert Organisation.objects.count() == before


def test_an_upload_over_the_limit_is_refused(admin_client, settings):
    settings.IMPORT_MAX_BYTES = 1024
    response = upload(admin_client, "orgs:organisation", "big.csv", csv_bytes([["名称", "单位类型"]] + [["甲" * 50, "企业"]] * 50))
    assert response.status_code == 400
    assert "MB" in response.context["form"].errors["file"][0]
    assert ImportJob.objects.count() == 0


def test_too_many_rows_is_refused(admin_client, settings):
    settings.IMPORT_MAX_ROWS = 10
    response = upload(admin_client, "orgs:organisation", "long.csv",
                      csv_bytes([["名称", "单位类型"]] + [[f"单位{i}", "企业"] for i in range(11)]))
    assert response.status_code == 400
    assert Organisation.objects.filter(name__startswith="单位").count() == 0


def test_a_failure_while_writing_leaves_nothing_half_written(admin_user, monkeypatch):
    from yiti.imports import write

    table = services.read(csv_bytes([["名称", "单位类型"]] + [[f"事务测试单位{i}", "企业"] for i in range(2500)]), "a.csv")
    plan = services.build_plan(registries()["orgs"], table, admin_user, {})

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(write, "_check_scope", explode)
    with pytest.raises(RuntimeError):
        write.apply(plan, admin_user)
    assert not Organisation.objects.filter(name__startswith="事务测试单位").exists()


# ---- scope --------------------------------------------------------------------------------------

def test_a_county_officer_cannot_import_into_another_county(client):
    world = build_world()
    client.force_login(world.users["county_staff_a"])
    other = world.b.division.name
    content = csv_bytes([["姓名", "人才类型", "主管地区"], ["孙一", "本土优秀人才", world.a.division.name],
                         ["孙二", "本土优秀人才", other]])
    job = job_of(upload(client, "talents:talent", "scope.csv", content))
    assert job.status == ImportJob.Status.FAILED
    assert "3" in job.message  # the row outside the scope is named
    assert not Talent.objects.filter(name__in=["孙一", "孙二"]).exists()


def test_a_job_is_its_uploaders_own(client, admin_client):
    world = build_world()
    job = job_of(upload(admin_client, "orgs:organisation", "o.csv", csv_bytes([["名称", "单位类型"], ["某单位", "企业"]])))
    client.force_login(world.users["city_staff"])
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404


# ---- round trip ---------------------------------------------------------------------------------

def snapshot(model) -> list[dict]:
    rows = []
    for obj in model.objects.order_by("pk"):
        row = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields
               if f.name not in {"updated_at", "search_text"}}
        for f in model._meta.many_to_many:
            row[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
        rows.append(row)
    return rows


@pytest.mark.parametrize("app", list(registries()))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(admin_client, admin_user, app, fmt):
    build_world()
    registry = registries()[app]
    before = snapshot(registry.model)
    exported = admin_client.get(reverse(registry.url_name("export")) + f"?format={fmt}")
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    updates_before = LogEntry.objects.filter(action=LogEntry.Action.UPDATE).count()
    table = services.read(content, f"export.{fmt}")
    plan = services.build_plan(registry, table, admin_user, {})
    counts = plan.counts()
    assert counts["errors"] == 0, plan.by_action("error")[0].errors
    assert counts["created"] == 0 and counts["updated"] == counts["unchanged"] == len(before)
    from yiti.imports import write

    write.apply(plan, admin_user)
    assert snapshot(registry.model) == before
    assert LogEntry.objects.filter(action=LogEntry.Action.UPDATE).count() == updates_before


# ---- background ---------------------------------------------------------------------------------

def test_a_large_import_runs_in_the_background_and_its_page_survives_a_reload(admin_client, settings):
    settings.IMPORT_BACKGROUND_ROWS = 3  # the test backend runs tasks at once; the path is the same
    content = csv_bytes([["名称", "单位类型"]] + [[f"后台单位{i}", "企业"] for i in range(5)])
    job = job_of(upload(admin_client, "orgs:organisation", "bg.csv", content))
    assert job.status == ImportJob.Status.READY and job.counts["created"] == 5
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    page = admin_client.get(reverse("imports:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert page.status_code == 200
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.progress()["done"] == 5
    assert Organisation.objects.filter(name__startswith="后台单位").count() == 5


# ---- command line -------------------------------------------------------------------------------

def test_cli_prints_counts_and_writes_the_error_report_beside_the_file(admin_user, tmp_path, capsys):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes([["单位名称", "类别"], ["命令行单位", "企业"], ["坏单位", "不存在的类型"]]))
    call_command("import", "orgs", str(path), "--map", "单位名称=名称", "--map", "类别=单位类型")
    counts = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert counts["rows"] == 2 and counts["created"] == 1 and counts["errors"] == 1
    assert counts["rows"] == counts["created"] + counts["updated"] + counts["duplicates"] + counts["errors"]
    assert (tmp_path / "orgs.csv.errors.xlsx").exists()
    assert Organisation.objects.filter(name="命令行单位").exists()


def test_cli_dry_run_writes_nothing(admin_user, tmp_path, capsys):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes([["名称", "单位类型"], ["试运行单位", "企业"]]))
    call_command("import", "orgs", str(path), "--dry-run")
    assert json.loads(capsys.readouterr().out.strip())["created"] == 1
    assert not Organisation.objects.filter(name="试运行单位").exists()


def test_cli_export_writes_the_registry(admin_user, tmp_path):
    make_org(name="导出单位")
    path = tmp_path / "orgs.xlsx"
    call_command("export", "orgs", str(path))
    values = [c.value for c in load_workbook(path).active["A"]]
    assert "导出单位" in values


# ---- real data ------------------------------------------------------------------------------------

NSSF = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "nssf_projects.csv"
TALENT_MAP = ["person=姓名", "org=单位", "rank=职称级别", "province=主管地区", "discipline=学科", "category=",
              "system=类别", "title=", "year=", "project_id=", "org_type="]
RESULT_MAP = ["title=名称", "org=所属单位", "person=团队负责人", "project_id=专利号/登记号", "year=年份",
              "discipline=学科", "category=项目类别", "rank=", "province=", "org_type=", "system="]


@pytest.mark.skipif(not NSSF.exists(), reason=f"{NSSF} is absent: the real-data import test needs ../shared/data")
def test_nssf_grant_list_imports_as_talents_and_results_and_every_row_is_accounted_for(admin_user, tmp_path, capsys):
    with NSSF.open(encoding="utf-8", newline="") as handle:
        source = list(csv.DictReader(handle))
    rows = len([r for r in source if any(v.strip() for v in r.values())])
    args = []
    for pair in TALENT_MAP:
        args += ["--map", pair]
    call_command("import", "talents", str(NSSF), *args, "--set", "人才类型=在外优秀人才", "--lenient")
    talents = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert talents["rows"] == rows
    assert talents["created"] + talents["updated"] + talents["duplicates"] + talents["errors"] == rows
    assert talents["created"] == Talent.objects.count()
    args = []
    for pair in RESULT_MAP:
        args += ["--map", pair]
    call_command("import", "results", str(NSSF), *args, "--set", "成果类型=科研项目", "--lenient")
    results = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert results["rows"] == rows
    assert results["created"] + results["updated"] + results["duplicates"] + results["errors"] == rows
    assert results["created"] == Result.objects.count()
    # Spelling variants of one discipline land on one dictionary entry.
    variants = {"马列·科社", "马列科社", "马列•科社"}
    rows_of_variants = [r for r in source if r["discipline"] in variants]
    # Organisations are one whatever the bracket width ("中国地质大学（武汉）" / "中国地质大学(武汉)").
    stored = {(i, t, norm(o)): d for i, t, o, d in Result.objects.filter(
        identifier__in={r["project_id"] for r in rows_of_variants}).values_list(
        "identifier", "title", "owner__name", "discipline__code")}
    codes = [stored.get((r["project_id"], r["title"], norm(r["org"]))) for r in rows_of_variants if r["org"]]
    assert len(codes) > 2000 and set(codes) == {"0305"}
    # 0000 is an unknown year, never a made-up one.
    unknown = {r["project_id"] for r in source if r["year"] == "0000"} - {r["project_id"] for r in source
                                                                            if r["year"] != "0000"}
    years = set(Result.objects.filter(identifier__in=unknown).values_list("year", flat=True))
    assert years == {None}


LABELS = Path(__file__).parent / "data" / "nssf_duplicate_labels.csv"


def _pairs(spec: list[str]) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in spec)


def duplicate_scores(kind: str, registry: str, mapping: list[str], constants: dict[str, str], user) -> dict:
    """Precision and recall of the importer's duplicate finding on the hand-labelled NSSF pairs of `kind`.

    Projects are scored as the README's import runs them: after the people of those rows are in.
    """
    from yiti.imports import write
    from yiti.imports.reader import Table

    with NSSF.open(encoding="utf-8", newline="") as handle:
        source = list(csv.reader(handle))
    headers, data = source[0], source[1:]
    with LABELS.open(encoding="utf-8") as handle:
        pairs = [(int(r["row_a"]), int(r["row_b"]), r["label"] == "1") for r in csv.DictReader(handle)
                 if r["kind"] == kind]
    wanted = sorted({i for a, b, _label in pairs for i in (a, b)})
    table = Table(headers=headers, rows=[data[i] for i in wanted], row_numbers=[i + 2 for i in wanted],
                  sheet="", encoding="utf-8", warnings=[])
    if registry == "results":
        people = services.build_plan(registries()["talents"], table, user, {
            "mapping": _pairs(TALENT_MAP), "constants": {"人才类型": "在外优秀人才"}, "lenient": True})
        write.apply(people, user)
    plan = services.build_plan(registries()[registry], table, user,
                               {"mapping": _pairs(mapping), "constants": constants, "lenient": True})
    group = {}
    for row in plan.rows:
        group[row.number - 2] = group.get(row.duplicate_of - 2, row.duplicate_of - 2) if row.duplicate_of else row.number - 2
    predicted = [(group[a] == group[b], label) for a, b, label in pairs]
    tp = sum(1 for p, label in predicted if p and label)
    precision = tp / max(1, sum(1 for p, _label in predicted if p))
    recall = tp / max(1, sum(1 for _p, label in predicted if label))
    return {"pairs": len(pairs), "precision": precision, "recall": recall}


@pytest.mark.skipif(not NSSF.exists(), reason=f"{NSSF} is absent: duplicate scoring needs ../shared/data")
def test_duplicate_finding_precision_and_recall_on_hand_labelled_nssf_pairs(admin_user, capsys):
    projects = duplicate_scores("project", "results", RESULT_MAP, {"成果类型": "科研项目"}, admin_user)
    people = duplicate_scores("person", "talents", TALENT_MAP, {"人才类型": "在外优秀人才"}, admin_user)
    with capsys.disabled():
        print(f"\nduplicate finding on hand-labelled NSSF pairs: projects {projects}, people {people}")
    # Floors just under what was measured (docs/benchmarks.md), so that a regression fails.
    assert projects["precision"] >= 0.88 and projects["recall"] >= 0.80
    assert people["precision"] >= 0.95 and people["recall"] >= 0.25


# ---- merge ------------------------------------------------------------------------------------------

def test_merge_takes_chosen_values_moves_links_and_keeps_both_histories(admin_client):
    org = make_org(name="山西大学")
    survivor = make_talent(name="李明", organisation=org, position="教授", expertise="")
    other = make_talent(name="李 明", organisation=org, position="副教授", expertise="晋商史",
                                id_number=testing.valid_id_number("19750101"))
    role = make_expert_role(talent=other)
    result = make_result(owner=org, leader=other)
    result.team_members.add(other)
    url = reverse("talents:talent_merge", args=[survivor.pk])
    page = admin_client.get(url, {"other": f"李 明 #{other.pk}"})
    assert page.status_code == 200
    assert {row[0] for row in page.context["rows"]} == {"name", "position", "expertise", "id_number"}
    response = admin_client.post(url, {"other": f"李 明 #{other.pk}", "take": ["expertise", "id_number"]})
    assert response.status_code == 302, [str(m) for m in response.context["messages"]]
    survivor.refresh_from_db()
    assert survivor.position == "教授" and survivor.expertise == "晋商史"
    assert survivor.id_number == other.id_number
    assert not Talent.objects.filter(pk=other.pk).exists()
    role.refresh_from_db()
    result.refresh_from_db()
    assert role.talent_id == survivor.pk and result.leader_id == survivor.pk
    assert list(result.team_members.values_list("pk", flat=True)) == [survivor.pk]
    # Both histories: the survivor's merge entry and the other's deletion with all its values.
    deleted = LogEntry.objects.get(object_pk=str(other.pk), action=LogEntry.Action.DELETE,
                                   content_type__model="talent")
    assert "副教授" in json.dumps(deleted.changes, ensure_ascii=False)
    assert LogEntry.objects.filter(object_pk=str(survivor.pk), additional_data__merged_from=other.pk).exists()


def test_merge_is_refused_outside_the_scope(client):
    world = build_world()
    client.force_login(world.users["county_staff_a"])
    mine, theirs = world.a.records["talents.talent"], world.b.records["talents.talent"]
    response = client.post(reverse("talents:talent_merge", args=[mine.pk]), {"other": f"x #{theirs.pk}", "take": []})
    assert response.status_code == 200 and response.context["other"] is None
    assert Talent.objects.filter(pk=theirs.pk).exists()
    assert client.get(reverse("talents:talent_merge", args=[theirs.pk])).status_code == 404


def test_a_name_written_with_other_brackets_or_width_finds_the_existing_organisation(admin_client):
    org = make_org(name="中国地质大学（武汉）")
    content = csv_bytes([["姓名", "人才类型", "单位"], ["周一", "本土优秀人才", "中国地质大学(武汉)"],
                         ["周二", "本土优秀人才", "中国地质大学 （武汉）"]])
    job = job_of(upload(admin_client, "talents:talent", "w.csv", content))
    assert job.report["new_organisation_count"] == 0
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    assert set(Talent.objects.filter(name__in=["周一", "周二"]).values_list("organisation", flat=True)) == {org.pk}
