"""Issue 12 item 10: the ladder is walked rung by rung, each with its date, evidence and attachments."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yiti.agreements import services
from yiti.agreements.models import Agreement, Attachment
from yiti.agreements.services import StepEntry
from yiti.agreements.testing import make_agreement
from yiti.tests.world import build_world

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {key: [e.code for e in errors] for key, errors in exc.error_dict.items()}


def docx_bytes(part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# ---- the rules, on plain values ------------------------------------------------------------------

def test_a_skipped_rung_is_refused_with_its_code():
    with pytest.raises(ValidationError) as caught:
        services.check_steps("signed", D(2025, 1, 1), [StepEntry("landed", D(2025, 2, 1), "已投产")],
                             today=D(2026, 1, 1))
    assert codes(caught.value) == {NON_FIELD_ERRORS: ["skipped"]}
    assert "项目已启动" in caught.value.messages[0]  # names the rung to record first


def test_several_rungs_at_once_each_with_its_date_and_evidence():
    entries = [StepEntry("started", D(2025, 2, 1), "启动会"),
               StepEntry("funds_arrived", D(2025, 3, 1), "银行回单", amount=Decimal("500000.50")),
               StepEntry("landed", D(2025, 4, 1), "投产")]
    services.check_steps("signed", D(2025, 1, 1), entries, today=D(2026, 1, 1))  # no error


@pytest.mark.parametrize(("entries", "expected"), [
    ([StepEntry("started", D(2025, 3, 1), "启动会"), StepEntry("funds_arrived", D(2025, 2, 1), "回单", amount=Decimal(1))],
     {"funds_arrived_date": ["backwards"]}),
    ([StepEntry("started", D(2024, 12, 1), "启动会")], {"started_date": ["backwards"]}),
    ([StepEntry("started", D(2026, 2, 1), "启动会")], {"started_date": ["future"]}),
    ([StepEntry("started", None, "")], {"started_date": ["required"], "started_note": ["required"]}),
    ([StepEntry("started", D(2025, 2, 1), "启动会"), StepEntry("funds_arrived", D(2025, 3, 1), "回单")],
     {"funds_arrived_amount": ["amount"]}),
    ([StepEntry("started", D(2025, 2, 1), "启动会"),
      StepEntry("funds_arrived", D(2025, 3, 1), "回单", amount=Decimal("-5"))], {"funds_arrived_amount": ["amount"]}),
    ([], {NON_FIELD_ERRORS: ["no_step"]}),
])
def test_dates_evidence_and_amount_are_checked(entries, expected):
    with pytest.raises(ValidationError) as caught:
        services.check_steps("signed", D(2025, 1, 1), entries, today=D(2026, 1, 1))
    assert codes(caught.value) == expected


def test_a_final_agreement_takes_no_step():
    with pytest.raises(ValidationError) as caught:
        services.check_steps("landed", D(2025, 1, 1), [StepEntry("terminated", D(2025, 2, 1), "终止")],
                             today=D(2026, 1, 1))
    assert codes(caught.value) == {NON_FIELD_ERRORS: ["final"]}


def test_terminating_is_possible_from_any_rung_but_the_last():
    services.check_steps("funds_arrived", D(2025, 1, 1), [StepEntry("terminated", D(2025, 2, 1), "终止")],
                         today=D(2026, 1, 1))


@pytest.mark.parametrize(("name", "content", "code"), [
    ("合同.pdf", PDF, None),
    ("回单.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20, None),
    ("回单.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, None),
    ("会议纪要.docx", docx_bytes(), None),
    ("经费表.xlsx", docx_bytes("xl/workbook.xml"), None),
    ("病毒.exe", b"MZ\x90\x00", "file_type"),
    ("伪装.pdf", b"MZ\x90\x00 not a pdf", "file_content"),
    ("伪装.docx", docx_bytes("xl/workbook.xml"), "file_content"),
    ("伪装.xlsx", b"PK\x03\x04 broken zip", "file_content"),
    ("空.pdf", b"", "file_empty"),
])
def test_attachment_type_by_extension_and_content(name, content, code):
    if code is None:
        services.check_attachment(name, len(content), io.BytesIO(content))
        return
    with pytest.raises(ValidationError) as caught:
        services.check_attachment(name, len(content), io.BytesIO(content))
    assert caught.value.code == code
    assert name in caught.value.messages[0]


def test_attachment_size_limit_is_configurable(settings):
    settings.YITI_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        services.check_attachment("扫描件.pdf", 2048, io.BytesIO(PDF + b"0" * 2000))
    assert caught.value.code == "file_size"
    assert "扫描件.pdf" in caught.value.messages[0] and "1.0 KB" in caught.value.messages[0].replace("\xa0", " ")


# ---- the progress form on the agreement's page ---------------------------------------------------

def step_url(agreement):
    return reverse("agreements:agreement_record_step", args=[agreement.pk])


@pytest.mark.django_db
def test_the_form_refuses_a_skip_and_keeps_the_input(admin_client):
    agreement = make_agreement(signed_date=D(2025, 1, 10))
    response = admin_client.post(step_url(agreement), {"landed_date": "2025-06-01", "landed_note": "项目已投产运行"})
    assert response.status_code == 400  # refused: the page again, as for every detail action
    body = response.content.decode()
    assert "未记录" in body and "请先登记" in body
    assert "项目已投产运行" in body and 'value="2025-06-01"' in body
    agreement.refresh_from_db()
    assert agreement.status == "signed" and agreement.evidence.count() == 0


@pytest.mark.django_db
def test_a_late_entry_of_several_rungs_with_amount_and_attachment(admin_client, settings):
    agreement = make_agreement(signed_date=D(2025, 1, 10))
    receipt = SimpleUploadedFile("银行回单.pdf", PDF, content_type="application/pdf")
    response = admin_client.post(step_url(agreement), {
        "started_date": "2025-02-01", "started_note": "启动会已召开",
        "funds_arrived_date": "2025-03-01", "funds_arrived_note": "首笔经费到账", "funds_arrived_amount": "500000.00",
        "funds_arrived_files": [receipt],
    })
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "funds_arrived"
    rows = list(agreement.evidence.values_list("step", "date", "amount"))
    assert rows == [("started", D(2025, 2, 1), None), ("funds_arrived", D(2025, 3, 1), Decimal("500000.00"))]
    attachment = Attachment.objects.get()
    assert attachment.name == "银行回单.pdf" and attachment.size == len(PDF)
    assert str(settings.MEDIA_ROOT) in attachment.file.path and "银行回单" not in attachment.file.name
    # the page lists the amount and the file; the file is served through the checked view
    page = admin_client.get(agreement.get_absolute_url()).content.decode()
    assert "500000.00" in page and "银行回单.pdf" in page
    download = admin_client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.django_db
def test_a_refused_file_names_itself_and_nothing_is_recorded(admin_client):
    agreement = make_agreement(signed_date=D(2025, 1, 10))
    fake = SimpleUploadedFile("启动会照片.png", b"MZ\x90\x00 an executable", content_type="image/png")
    response = admin_client.post(step_url(agreement), {
        "started_date": "2025-02-01", "started_note": "启动会已召开", "started_files": [fake]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "启动会照片.png" in body and "未被接受" in body
    assert agreement.evidence.count() == 0 and Attachment.objects.count() == 0


@pytest.mark.django_db
def test_attachments_are_served_only_within_the_users_scope(settings):
    world = build_world()
    theirs = world.b.records["agreements.agreement"]
    evidence = services.record_step(theirs, "started", D(2025, 6, 1), "启动会", files=[
        SimpleUploadedFile("纪要.pdf", PDF)])
    url = evidence.attachments.get().get_absolute_url()
    county_a = Client()
    county_a.force_login(world.users["county_staff_a"])
    assert county_a.get(url).status_code == 404
    city = Client()
    city.force_login(world.users["city_staff"])
    assert city.get(url).status_code == 200
    # an attachment is reachable only under its own agreement
    ours = world.a.records["agreements.agreement"]
    wrong = reverse("agreements:agreement_attachment", args=[ours.pk, evidence.attachments.get().pk])
    assert city.get(wrong).status_code == 404


@pytest.mark.django_db
def test_the_form_offers_only_the_rungs_ahead(admin_client):
    agreement = make_agreement(signed_date=D(2025, 1, 10))
    services.record_step(agreement, "started", D(2025, 2, 1), "启动会")
    form = admin_client.get(agreement.get_absolute_url()).context["step_form"]
    assert form.steps == ["funds_arrived", "landed", "terminated"]


@pytest.mark.django_db
def test_imported_agreements_start_signed_whatever_the_row_said(django_user_model):
    user = django_user_model.objects.create_superuser("importer", password="Pw-123456x")
    agreement = make_agreement(status="landed")
    services.signed_on_import([agreement], user)
    agreement.refresh_from_db()
    assert agreement.status == "signed"
    assert list(agreement.evidence.values_list("step", flat=True)) == ["signed"]


@pytest.mark.django_db
def test_an_imported_row_cannot_put_an_agreement_up_the_ladder(admin_client):
    import csv

    from yiti.imports.models import ImportJob
    from yiti.orgs.testing import make_enterprise, make_org

    uni, ent = make_org(name="太原理工大学（导入）"), make_enterprise(name="榆次液压件有限公司（导入）")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["名称", "协议类型", "签约各方", "签约日期", "状态"],
                                  ["液压件校企合作协议（导入）", "校企合作", f"{uni.name}、{ent.name}", "2025-09-01", "已落地"]])
    response = admin_client.post(reverse("agreements:agreement_import"), {
        "file": SimpleUploadedFile("协议.csv", buffer.getvalue().encode("utf-8-sig"))})
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.READY, job.message
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    agreement = Agreement.objects.get(title="液压件校企合作协议（导入）")
    assert agreement.status == "signed"
    assert list(agreement.evidence.values_list("step", "date")) == [("signed", D(2025, 9, 1))]


@pytest.mark.django_db
def test_an_empty_file_is_refused_by_name(admin_client):
    agreement = make_agreement(signed_date=D(2025, 1, 10))
    response = admin_client.post(step_url(agreement), {
        "started_date": "2025-02-01", "started_note": "启动会已召开",
        "started_files": [SimpleUploadedFile("纪要.pdf", b"")]})
    assert response.status_code == 400
    assert "文件“纪要.pdf”未被接受：文件是空的" in response.content.decode()
    assert agreement.evidence.count() == 0
