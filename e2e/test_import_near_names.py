"""In a real browser (issue 12, items 18-20): a traditional-character variant of an enterprise is offered as
疑似已有单位, picked, and imported to the existing enterprise; a file of errors only cannot be confirmed and
says why; 疑似重复 leads from the list to a prefilled merge."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_near_name_choice_disabled_confirm_and_duplicates_page(page, live_server, django_user_model, tmp_path):
    from yiti.orgs.testing import make_enterprise
    from yiti.talents.models import Talent
    from yiti.talents.testing import make_talent

    django_user_model.objects.create_superuser("office", password="Zs-office-2026")
    enterprise = make_enterprise(name="榆次协和电力科技有限公司")
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server.url, "office", "Zs-office-2026")
    ARTIFACTS.mkdir(exist_ok=True)

    # 自动新建单位 is unticked; the traditional spelling is offered as the existing enterprise
    page.goto(f"{live_server.url}/talents/import/")
    assert not page.is_checked("#id_create_missing")
    sheet = tmp_path / "人才.csv"
    sheet.write_text("姓名,人才类型,单位\n王一,本土优秀人才,榆次協和電力科技有限公司\n", encoding="utf-8")
    page.set_input_files("#id_file", str(sheet))
    page.click("text=上传并校验")
    page.wait_for_selector("#near-organisations")
    assert "您是不是指" in page.inner_text("body")
    assert page.is_disabled("text=确认导入")
    assert "疑似已有单位" in page.inner_text("[data-nothing-to-write]")
    page.screenshot(path=str(ARTIFACTS / "import_near_organisations.png"), full_page=True)
    page.select_option("#near-organisations select", str(enterprise.pk))
    page.click("text=按所选重新检查")
    page.wait_for_selector("[data-count=created]")
    assert page.inner_text("[data-count=created]") == "1"
    page.click("text=确认导入")
    page.wait_for_selector("text=导入完成")
    assert Talent.objects.get(name="王一").organisation_id == enterprise.pk

    # every row wrong: the button is disabled and the page says why
    page.goto(f"{live_server.url}/talents/import/")
    sheet.write_text("姓名,人才类型\n王二,不存在的类型\n王三,也不存在\n", encoding="utf-8")
    page.set_input_files("#id_file", str(sheet))
    page.click("text=上传并校验")
    page.wait_for_selector("[data-nothing-to-write]")
    assert "全部 2 行有错误，没有可导入的行" in page.inner_text("[data-nothing-to-write]")
    assert page.is_disabled("text=确认导入")
    page.screenshot(path=str(ARTIFACTS / "import_all_rows_fail.png"), full_page=True)

    # 疑似重复 from the list's toolbar, one click into the merge page with the pair compared
    make_talent(name="王 一", organisation=enterprise)
    page.goto(f"{live_server.url}/talents/")
    page.click("text=疑似重复")
    page.wait_for_url("**/talents/duplicates/")
    assert "同名，同单位" in page.inner_text("[data-duplicates]")
    page.screenshot(path=str(ARTIFACTS / "talent_duplicates.png"), full_page=True)
    page.click("text=比对并合并")
    page.wait_for_selector("text=合并")
    assert "王 一" in page.inner_text("body")
    assert violations == []
