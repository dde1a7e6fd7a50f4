"""A job fair in a real browser, under the strict CSP: the enterprise's positions imported from Excel, a talent
registered, checked in at the door on a phone (the QR's address, then 确认签到; a cancelled registration refused), an
intention recorded and moved to 录用, and the fair's funnel showing it."""

import datetime

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def positions_sheet(path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for row in (["招聘会", "企业", "岗位名称", "招聘人数", "岗位要求", "月薪下限（元）", "月薪上限（元）"],
                ["2025年晋中市秋季招聘会", "山西精工铸造有限公司", "铸造工艺工程师", 3, "材料成型专业", 6000, 9000],
                ["2025年晋中市秋季招聘会", "山西精工铸造有限公司", "质检员", 2, "", 4000, 5000]):
        book.active.append(row)
    book.save(path)


def test_a_job_fair_from_position_import_to_check_in_to_a_hire(browser, page, live_server, django_user_model,
                                                               tmp_path):
    from yiti.activities.fairs.models import Intention, Position, Registration
    from yiti.activities.fairs.testing import make_fair, make_registration
    from yiti.orgs.testing import make_enterprise
    from yiti.talents.testing import make_talent

    django_user_model.objects.create_superuser("office", password="Zs-office-2026")
    fair = make_fair(title="2025年晋中市秋季招聘会", start_date=datetime.date(2025, 10, 18), status="held")
    make_enterprise(name="山西精工铸造有限公司")
    make_talent(name="王晓明")
    cancelled = make_registration(fair, make_talent(name="李娜"), status="cancelled")
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server.url, "office", "Zs-office-2026")

    # the enterprise's Excel of positions
    sheet = tmp_path / "岗位.xlsx"
    positions_sheet(sheet)
    page.goto(f"{live_server.url}/fairs/import/")
    page.set_input_files("#id_file", str(sheet))
    page.click("text=上传并校验")
    page.wait_for_selector("[data-count=created]")
    assert page.inner_text("[data-count=created]") == "2"
    page.click("text=确认导入")
    page.wait_for_selector("text=导入完成")
    assert Position.objects.filter(fair=fair).count() == 2

    # the talent registers on the fair's page
    page.goto(f"{live_server.url}{fair.get_absolute_url()}")
    page.fill("#registrations input[name=talent]", "王晓明")
    page.click("#registrations button:has-text('报名')")
    page.wait_for_selector("text=人才已报名")
    registration = Registration.objects.get(fair=fair, talent__name="王晓明")
    assert registration.code in page.inner_text("#registrations")

    # at the door, on a phone, a city officer (no administrator's buttons in the header): the QR's address opens the
    # check-in page with the code filled in
    from yiti.accounts.models import Role, Scope
    from yiti.accounts.testing import PASSWORD, make_user

    make_user("door", Role.STAFF, scope=Scope.CITY)
    phone = browser.new_context(locale="zh-CN", **PHONE)
    door = phone.new_page()
    door.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(door, live_server.url, "door", PASSWORD)
    door.goto(f"{live_server.url}{registration.checkin_url()}")
    assert door.input_value("#id_code") == registration.code
    wide = door.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)""")
    assert door.evaluate("document.documentElement.scrollWidth") <= 390, wide  # no sideways scrolling on the phone
    box = door.locator("#checkin-submit").bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 40  # a button a thumb can hit
    ARTIFACTS.mkdir(exist_ok=True)
    door.screenshot(path=str(ARTIFACTS / "checkin_phone.png"), full_page=True)
    door.click("#checkin-submit")
    door.wait_for_selector("#checkin-ok")
    assert "王晓明 已签到" in door.inner_text("#checkin-ok")
    door.screenshot(path=str(ARTIFACTS / "checkin_phone_done.png"), full_page=True)
    # a cancelled registration is refused, in Chinese
    door.fill("#id_code", cancelled.code)
    door.click("#checkin-submit")
    door.wait_for_selector("#checkin-error")
    assert "已取消" in door.inner_text("#checkin-error")
    door.screenshot(path=str(ARTIFACTS / "checkin_phone_refused.png"), full_page=True)
    phone.close()

    # the intention, the interview, the hire
    position = Position.objects.get(title="铸造工艺工程师")
    page.goto(f"{live_server.url}{position.get_absolute_url()}")
    page.fill("#intentions input[name=talent]", "王晓明")
    page.fill("#intentions input[name=date]", "2025-10-18")
    page.click("text=记录意向")
    page.wait_for_selector("text=招聘意向已记录")
    intention = Intention.objects.get(position=position)
    for stage, day in (("interview", "2025-10-25"), ("hired", "2025-11-03")):
        page.select_option("#intentions select[name=intention]", str(intention.pk))
        page.select_option("#intentions select[name=stage]", stage)
        page.fill("#intentions form:last-of-type input[name=date]", day)
        page.click("text=登记进展")
        page.wait_for_selector("text=进展已登记")
    intention.refresh_from_db()
    assert intention.stage == "hired"

    page.goto(f"{live_server.url}{fair.get_absolute_url()}")
    funnel = [page.inner_text(f"[data-funnel='{n}']") for n in range(1, 6)]
    assert funnel == ["1", "1", "1", "1", "1"]  # registered (the cancelled one not), checked in, intention, interview, hired
    page.screenshot(path=str(ARTIFACTS / "job_fair_funnel.png"), full_page=True)
    assert violations == []
