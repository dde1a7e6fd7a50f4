"""What an attack run found in the import (issue 12, items 22–27): personal data in previews and job
reports, an existence oracle, a crash on an organisation of another county, jobs stuck after a crash,
zip bombs and unbounded cells."""

import io
import json
import os
import time
import zipfile

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from yiti.core import testing
from yiti.core.registry import registries
from yiti.imports import plan as planner
from yiti.imports import services
from yiti.imports.columns import columns_for
from yiti.imports.models import ImportJob, Referral, SuggestionJob
from yiti.imports.reader import ImportFileError, Limits, read_table
from yiti.imports.tests.test_import import csv_bytes, job_of, upload
from yiti.orgs.forms import OrganisationForm
from yiti.orgs.models import Organisation
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent
from yiti.tests.world import build_world

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def header(app: str, name: str, user) -> str:
    return next(c.header for c in columns_for(registries()[app], user) if c.name == name)


def page(client, job) -> str:
    return client.get(reverse("imports:job", args=[job.pk])).content.decode()


# ---- 22: personal data in the preview and the job's report ---------------------------------------

def test_preview_and_job_report_hold_no_whole_id_number_or_phone_from_the_database(admin_client, admin_user):
    id_number = testing.valid_id_number("19800305")
    talent = make_talent(name="林测试", id_number=id_number, mobile="13594074583")
    content = csv_bytes([[header("talents", "name", admin_user), header("talents", "id_number", admin_user),
                          header("talents", "mobile", admin_user), "人才类型"],
                         [talent.name, id_number, "13800138000", "本土优秀人才"]])
    job = job_of(upload(admin_client, "talents:talent", "t.csv", content))
    assert job.status == ImportJob.Status.READY, job.message
    assert job.counts["updated"] == 1
    shown = page(admin_client, job)
    stored = json.dumps(job.report, ensure_ascii=False)
    for text in (shown, stored):
        assert "13594074583" not in text and id_number not in text and "13800138000" not in text
    assert "135****4583" in shown  # the change is still shown, masked
    admin_client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert "13594074583" not in json.dumps(job.report, ensure_ascii=False)


def test_reasons_stored_on_the_job_are_scrubbed_of_id_and_phone_numbers():
    assert services.scrub("未找到名为“140702198003050011”的人才，电话 13594074583") == \
        "未找到名为“1407**********0011”的人才，电话 135****4583"


# ---- 23: no existence oracle; 跨区记录 for the city office ---------------------------------------

def test_a_row_matching_a_record_of_another_county_is_referred_to_the_city_office(client):
    world = build_world()
    staff_a, city = world.users["county_staff_a"], world.users["city_staff"]
    talent_b = world.b.records["talents.talent"]
    id_number = talent_b.id_number
    client.force_login(staff_a)
    content = csv_bytes([[header("talents", "name", staff_a), header("talents", "id_number", staff_a),
                          header("talents", "mobile", staff_a), "人才类型"],
                         ["王某", id_number, "13800138000", "本土优秀人才"]])
    job = job_of(upload(client, "talents:talent", "t.csv", content))
    assert job.status == ImportJob.Status.READY, job.message
    (error,) = job.report["errors"]
    assert error["errors"] == [["", "该行需由市级管理部门核对"]]  # the same words whatever the reason
    shown = page(client, job)
    assert "范围" not in shown and "已有匹配" not in shown
    assert "1 行需由市级管理部门核对" in shown
    assert client.get(reverse("imports:referrals")).status_code == 403  # the county cannot see the list

    referral = Referral.objects.get()
    assert referral.user == staff_a and referral.targets == [talent_b.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_data FROM imports_referral")
        (stored,) = cursor.fetchone()
    assert stored.startswith("v1:") and id_number not in stored  # encrypted at rest
    client.force_login(city)
    listing = client.get(reverse("imports:referrals")).content.decode()
    assert "王某" in listing and id_number not in listing and id_number[:4] + "*" in listing
    assert world.a.department.name in listing  # who sent it
    client.post(reverse("imports:referral_resolve", args=[referral.pk]), {"action": "apply"})
    talent_b.refresh_from_db()
    assert talent_b.mobile == "13800138000" and talent_b.name == "王某"
    referral.refresh_from_db()
    assert referral.resolution == Referral.Resolution.APPLIED and referral.resolved_by == city
    assert referral.row_data == ""  # nothing personal is kept once resolved


def test_a_row_matching_records_in_and_out_of_scope_gets_the_same_words(admin_user):
    world = build_world()
    staff_a = world.users["county_staff_a"]
    talent_a = world.a.records["talents.talent"]
    talent_b = world.b.records["talents.talent"]
    # one row naming the ID number of B's talent and the name + organisation of A's
    table = services.read(csv_bytes([[header("talents", "name", staff_a), header("talents", "organisation", staff_a),
                                      header("talents", "id_number", staff_a), "人才类型"],
                                     [talent_a.name, world.a.university.name, talent_b.id_number, "本土优秀人才"]]),
                          "t.csv")
    plan = services.build_plan(registries()["talents"], table, staff_a, {})
    (row,) = plan.rows
    assert row.errors == [("", planner.referred_message())] and row.referred_to == sorted([talent_a.pk, talent_b.pk])


def test_a_referred_row_can_be_dismissed_with_a_reason(client):
    world = build_world()
    staff_a = world.users["county_staff_a"]
    client.force_login(staff_a)
    org_b = world.b.enterprise
    content = csv_bytes([["名称", "单位类型"], [org_b.name, "企业"]])
    job_of(upload(client, "orgs:organisation", "o.csv", content))
    referral = Referral.objects.get()
    client.force_login(world.users["city_staff"])
    client.post(reverse("imports:referral_resolve", args=[referral.pk]), {"action": "dismiss", "note": "重复报送"})
    referral.refresh_from_db()
    assert referral.resolution == Referral.Resolution.DISMISSED and referral.note == "重复报送"
    assert "重复报送" in client.get(reverse("imports:referrals") + "?state=resolved").content.decode()


# ---- 24: an organisation of another county ----------------------------------------------------

def test_a_row_naming_an_enterprise_of_another_county_links_to_it_and_never_crashes(client):
    world = build_world()
    staff_a = world.users["county_staff_a"]
    client.force_login(staff_a)
    enterprise_b = world.b.enterprise
    # as the attack run sent it: no 500, no job left checking
    response = upload(client, "talents:talent", "t.csv", csv_bytes([["姓名", "单位", "人才类型"],
                                                                    ["林利钰", enterprise_b.name, "本土优秀人才"]]))
    job = job_of(response)
    assert job.status == ImportJob.Status.READY, job.message
    assert page(client, job)
    assert Organisation.objects.filter(name=enterprise_b.name).count() == 1
    # the file names no county: the officer's own county is taken, as on the add form
    client.post(reverse("imports:confirm", args=[job.pk]))
    created = Talent.objects.get(name="林利钰")
    assert created.division == world.a.division and created.organisation == enterprise_b
    created.delete()
    # with the county named, the talent is created and works at the other county's enterprise
    content = csv_bytes([["姓名", "单位", "人才类型", header("talents", "division", staff_a)],
                         ["林利钰", enterprise_b.name, "本土优秀人才", world.a.division.name]])
    job = job_of(upload(client, "talents:talent", "t2.csv", content))
    assert job.status == ImportJob.Status.READY, job.message
    assert job.counts["created"] == 1 and not job.report["new_organisation_count"]
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Talent.objects.get(name="林利钰").organisation == enterprise_b


def test_an_unexpected_error_while_checking_fails_the_job_with_a_reason(admin_client, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "build_plan", explode)
    job = job_of(upload(admin_client, "orgs:organisation", "o.csv", csv_bytes([["名称", "单位类型"], ["某单位", "企业"]])))
    assert job.status == ImportJob.Status.FAILED and "意外" in job.message
    assert not job.file


# ---- 25: heartbeat, lease, cancel, restart, private uploads -------------------------------------

def _ready_job(client, name="租约单位") -> ImportJob:
    job = job_of(upload(client, "orgs:organisation", "o.csv", csv_bytes([["名称", "单位类型"], [name, "企业"]])))
    assert job.status == ImportJob.Status.READY, job.message
    return job


def test_uploads_and_error_sheets_are_readable_by_the_server_only(admin_client):
    content = csv_bytes([["名称", "单位类型"], ["私有单位", "企业"], ["坏单位", "外星机构"]])
    job = job_of(upload(admin_client, "orgs:organisation", "o.csv", content))
    assert os.stat(job.file.path).st_mode & 0o777 == 0o600
    assert os.stat(services.errors_path(job)).st_mode & 0o777 == 0o600


def test_a_job_whose_worker_died_is_marked_failed_and_can_be_started_again(admin_client, settings):
    settings.JOB_LEASE_SECONDS = 5
    job = _ready_job(admin_client)
    # the worker took the job, beat, and was killed while writing
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING, started_at=timezone.now())
    job.refresh_from_db()
    job.beat()
    assert "正在导入" in page(admin_client, job) or job.status == ImportJob.Status.WRITING
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WRITING  # a fresh heartbeat: alive
    stale = time.time() - 60
    os.utime(job.side_file("alive"), (stale, stale))
    shown = page(admin_client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "中断" in job.message and "中断" in shown
    assert not Organisation.objects.filter(name="租约单位").exists()  # nothing half-written
    assert job.file  # kept for the restart
    admin_client.post(reverse("imports:restart", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Organisation.objects.filter(name="租约单位").exists()
    assert not job.file


def test_the_upload_of_an_interrupted_job_is_removed_after_a_day(admin_client, settings):
    job = _ready_job(admin_client, "过期单位")
    services._fail(job, "中断", keep_upload=True)
    path = job.file.path
    admin_client.get(reverse("orgs:organisation_import"))
    assert os.path.exists(path)  # kept for 重新开始
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timezone.timedelta(hours=25))
    admin_client.get(reverse("orgs:organisation_import"))
    job.refresh_from_db()
    assert not job.file and not os.path.exists(path)


def test_a_job_that_never_beat_within_the_lease_is_dead_but_a_queued_one_waits(admin_client, settings, monkeypatch):
    from yiti.core import jobs

    settings.JOB_LEASE_SECONDS = 5
    job = _ready_job(admin_client)
    long_ago = timezone.now() - timezone.timedelta(minutes=5)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, started_at=long_ago,
                                               task_id="t-1")
    job.refresh_from_db()
    monkeypatch.setattr(jobs, "_task_state", lambda task_id: "READY")
    assert not job.is_dead()  # waiting in the worker's queue
    monkeypatch.setattr(jobs, "_task_state", lambda task_id: "RUNNING")
    assert job.is_dead()  # taken, but no heartbeat for five minutes


def test_cancel_works_in_every_state(admin_client):
    # ready: at once, upload removed
    job = _ready_job(admin_client, "取消单位一")
    admin_client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not job.file

    # checking, with a live worker: the worker stops at its next step
    job = _ready_job(admin_client, "取消单位二")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    job.refresh_from_db()
    job.beat()
    admin_client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKING and job.cancel_requested()
    services.check(job)  # the worker goes on …
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.message == "已取消，未导入任何数据。"
    assert not job.file

    # queued, never started: at once
    job = _ready_job(admin_client, "取消单位三")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING)
    admin_client.post(reverse("imports:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    services.run(job)  # a worker that picks it up late does nothing
    assert not Organisation.objects.filter(name="取消单位三").exists()


def test_cancel_while_writing_rolls_the_write_back(admin_client, admin_user, monkeypatch):
    rows = [["名称", "单位类型"]] + [[f"回滚单位{i}", "企业"] for i in range(1500)]
    job = job_of(upload(admin_client, "orgs:organisation", "o.csv", csv_bytes(rows)))
    assert job.status == ImportJob.Status.READY, job.message
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING)
    job.refresh_from_db()
    planned = services.build_plan

    def plan_then_cancel(*args, **kwargs):  # the user presses 取消 while the rows are being written
        result = planned(*args, **kwargs)
        job.request_cancel()
        return result

    monkeypatch.setattr(services, "build_plan", plan_then_cancel)
    services.run(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "取消" in job.message
    assert not Organisation.objects.filter(name__startswith="回滚单位").exists()


def test_a_suggestion_job_whose_worker_died_is_marked_failed(client, settings):
    settings.JOB_LEASE_SECONDS = 5
    world = build_world()
    user = world.users["city_staff"]
    job = SuggestionJob.objects.create(registry="results", field="discipline", user=user,
                                       started_at=timezone.now() - timezone.timedelta(minutes=5))
    client.force_login(user)
    client.get(reverse("imports:suggestions", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == SuggestionJob.Status.FAILED and "中断" in job.message


# ---- 26: zip bombs --------------------------------------------------------------------------------

def _workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _with_part(xlsx: bytes, name: str, content: bytes) -> bytes:
    """The workbook with one part replaced (deflated, as Excel writes it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info.filename))
    return out.getvalue()


def _shared_strings_workbook(strings: list[str]) -> bytes:
    """A workbook (as Excel writes one) whose first column holds `strings` through the shared-strings
    table; openpyxl itself writes inline strings and cuts them at 32,767 characters."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n - 1}</v></c></row>' for n in range(1, len(strings) + 1))
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}"><Relationship '
                        f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
                            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
                                     f"<sheetData>{rows}</sheetData></worksheet>"),
        "xl/sharedStrings.xml": (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(strings)}" '
                                 f'uniqueCount="{len(strings)}">{items}</sst>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def read(data, limits=None):
    return read_table(data, "bomb.xlsx", max_bytes=50 * MB, max_rows=1000, limits=limits or Limits())


def test_a_sheet_padded_with_whitespace_is_refused_before_it_is_unpacked():
    xlsx = _workbook([["名称"], ["某单位"]])
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (40 * MB), 1)
    bomb = _with_part(xlsx, "xl/worksheets/sheet1.xml", padded)
    assert len(bomb) < MB
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as info:
        read(bomb)
    assert info.value.code == "too_large" and "解压" in str(info.value)
    assert time.perf_counter() - started < 5  # refused from the zip directory, not by reading 40 MB


def test_a_workbook_that_unpacks_past_the_limit_is_refused(settings, admin_client):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 100 * 1024
    xlsx = _workbook([["名称", "单位类型"]] + [[f"解压单位{i}", "企业"] for i in range(3000)])
    response = upload(admin_client, "orgs:organisation", "big.xlsx", xlsx)
    assert response.status_code == 400 and "解压" in response.content.decode()


def test_a_huge_shared_string_is_refused_before_openpyxl_loads_it():
    assert read(_shared_strings_workbook(["名称", "某单位"])).rows == [["某单位"]]  # the handmade file reads
    huge = _shared_strings_workbook(["名称", "A" * (2 * MB)])
    with pytest.raises(ImportFileError) as info:
        read(huge)  # packs 1000-fold: refused by its ratio
    assert info.value.code == "too_large"
    with pytest.raises(ImportFileError) as info:
        read(huge, Limits(zip_ratio=10**9))  # and, ratio aside, by the scan of the shared strings
    assert info.value.code == "cell_too_long" and "32767" in str(info.value)
    with pytest.raises(ImportFileError) as info:
        read(_shared_strings_workbook(["名称"] + [f"单位{i}" * 10 for i in range(2000)]),
             Limits(shared_strings_bytes=50_000))
    assert info.value.code == "too_large"


# ---- 27: length of cells and text fields -----------------------------------------------------------

def test_a_cell_longer_than_excel_allows_is_refused_naming_row_and_column_xlsx_and_csv():
    long = "长" * 40_000
    with pytest.raises(ImportFileError) as info:
        read(_shared_strings_workbook(["名称", "某单位", long]))
    assert info.value.code == "cell_too_long" and info.value.params["row"] == 3
    assert "第 3 行" in str(info.value) and "A（名称）" in str(info.value) and "40000" in str(info.value)
    # CSV: the csv module's own field limit (128 KB) used to answer with a message about quote marks
    with pytest.raises(ImportFileError) as info:
        read_table(csv_bytes([["名称", "简介"], ["某单位", "x" * 200_000]]), "long.csv", max_bytes=50 * MB,
                   max_rows=1000)
    assert info.value.code == "cell_too_long" and "引号" not in str(info.value) and "B（简介）" in str(info.value)


def test_a_text_field_has_a_limit_and_the_import_gives_the_forms_message(admin_client, admin_user):
    too_long = "述" * 10_001
    form = OrganisationForm(data={"name": "长简介单位", "org_type": "enterprise", "description": too_long},
                            user=admin_user)
    assert not form.is_valid()
    (form_message,) = form.errors["description"]
    content = csv_bytes([["名称", "单位类型", header("orgs", "description", admin_user)],
                         ["长简介单位", "企业", too_long]])
    job = job_of(upload(admin_client, "orgs:organisation", "o.csv", content))
    (error,) = job.report["errors"]
    assert error["errors"] == [[header("orgs", "description", admin_user), form_message]]
    assert not Organisation.objects.filter(name="长简介单位").exists()
