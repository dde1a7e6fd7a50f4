"""In a real browser, as a leader: an agreement walked up its ladder shows its history in names, and
the narrow columns of the history (操作, 操作人) and of the evidence table do not wrap (issue 12, items 10/11/17)."""

import datetime

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_reads_the_ladder_and_its_history(page, live_server, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from yiti.accounts.models import Department, Role, Scope
    from yiti.accounts.testing import PASSWORD, make_user
    from yiti.core import testing
    from yiti.orgs.testing import make_enterprise, make_org

    settings.MEDIA_ROOT = tmp_path
    # given: an agreement entered, edited and advanced by a named officer
    city = testing.county("140700")
    office = Department.objects.create(name="晋中市委人才办", kind="city", division=city)
    officer = make_user("city_officer", Role.STAFF, scope=Scope.CITY, department=office, last_name="刘",
                        first_name="洋")
    make_user("leader_zhao", Role.LEADER, last_name="赵", first_name="立新")
    uni = make_org(name="太原理工大学")
    ent = make_enterprise(name="榆次液压件有限公司")
    other = make_enterprise(name="太谷精工铸业有限公司")
    client = Client()
    client.force_login(officer)
    data = {"title": "液压件智能制造校企合作协议", "kind": "enterprise", "parties": f"{uni.name}\n{ent.name}",
            "division": testing.county().pk, "signed_date": "2025-09-01", "item_count": 2, "committed_funds": "150"}
    location = client.post(reverse("agreements:agreement_add"), data)["Location"]
    pk = int(location.strip("/").split("/")[-1])
    client.post(reverse("agreements:agreement_edit", args=[pk]), {**data, "parties": f"{uni.name}\n{other.name}"})
    client.post(reverse("agreements:agreement_record_step", args=[pk]), {
        "started_date": "2025-10-01", "started_note": "启动会已召开",
        "funds_arrived_date": "2025-11-01", "funds_arrived_note": "首笔经费到账", "funds_arrived_amount": "500000",
        "funds_arrived_files": [SimpleUploadedFile("银行回单.pdf", b"%PDF-1.4\n%%EOF\n")]})

    # when the leader opens it in a narrow window
    page.set_viewport_size({"width": 1024, "height": 900})
    log_in(page, live_server.url, "leader_zhao", PASSWORD)
    page.goto(f"{live_server.url}{location}")
    history = page.locator("#history")
    text = history.inner_text()

    # then the history speaks in names, and the action and person columns keep to one line
    assert "新增 太原理工大学、榆次液压件有限公司" in text and "移除 榆次液压件有限公司" in text
    for internal in ("type", "operation", "objects", "Evidence", "None"):
        assert internal not in text
    assert "刘洋（晋中市委人才办）" in text
    lines_of = "e => { const r = document.createRange(); r.selectNodeContents(e); " \
               "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    for cell in history.locator("tbody tr td:nth-child(3)").all() + history.locator("tbody tr td:nth-child(2)").all():
        assert cell.evaluate(lines_of) == 1, cell.inner_text()
    evidence = page.locator("#evidence").inner_text()
    assert "项目已启动" in evidence and "500000.00" in evidence and "银行回单.pdf" in evidence
    assert page.locator("#evidence form").count() == 0  # a leader reads; only officers record steps
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "agreement_history_leader.png"), full_page=True)


def test_officer_records_a_late_entry_of_two_rungs(page, live_server, settings, tmp_path):
    from yiti.accounts.models import Department, Role, Scope
    from yiti.accounts.testing import PASSWORD, make_user
    from yiti.agreements.testing import make_agreement
    from yiti.core import testing

    settings.MEDIA_ROOT = tmp_path / "media"
    city = testing.county("140700")
    office = Department.objects.create(name="晋中市委人才办", kind="city", division=city)
    make_user("city_officer", Role.STAFF, scope=Scope.CITY, department=office, last_name="刘", first_name="洋")
    agreement = make_agreement(signed_date=datetime.date(2025, 9, 1), title="液压件校企合作协议")
    receipt = tmp_path / "银行回单.pdf"
    receipt.write_bytes(b"%PDF-1.4\n%%EOF\n")
    log_in(page, live_server.url, "city_officer", PASSWORD)
    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")

    # a skip (landed without the rungs before it) is refused and the typed evidence stays
    page.fill("#id_landed_date", "2025-12-01")
    page.fill("#id_landed_note", "生产线已投产")
    page.click("#evidence button[type=submit]")
    page.wait_for_selector("#evidence .alert-danger")
    assert "请先登记“项目已启动”" in page.locator("#evidence").inner_text()
    assert page.input_value("#id_landed_note") == "生产线已投产"
    assert page.input_value("#id_landed_date") == "2025-12-01"

    # two consecutive rungs, each with its date and evidence, the second with the amount and a receipt
    page.fill("#id_landed_date", "")
    page.fill("#id_landed_note", "")
    page.fill("#id_started_date", "2025-10-01")
    page.fill("#id_started_note", "启动会已召开")
    page.fill("#id_funds_arrived_date", "2025-11-01")
    page.fill("#id_funds_arrived_note", "首笔经费到账")
    page.fill("#id_funds_arrived_amount", "500000")
    page.set_input_files("#id_funds_arrived_files", str(receipt))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "agreement_ladder_form.png"), full_page=True)
    page.click("#evidence button[type=submit]")
    page.wait_for_selector("text=银行回单.pdf")
    evidence = page.locator("#evidence table").inner_text()
    assert "项目已启动" in evidence and "资金已到位" in evidence and "500000.00" in evidence
    agreement.refresh_from_db()
    assert agreement.status == "funds_arrived"
