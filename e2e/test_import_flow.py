"""In a real browser, under the strict CSP: download the template, upload a GBK csv, read the preview, confirm."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_preview_and_confirm_an_organisation_list(page, live_server, django_user_model, tmp_path):
    from yiti.core.testing import valid_credit_code
    from yiti.orgs.models import Organisation

    django_user_model.objects.create_superuser("office", password="Zs-office-2026")
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server.url, "office", "Zs-office-2026")

    # the list's toolbar leads to the import page, which offers the template
    page.goto(f"{live_server.url}/orgs/")
    page.click("text=导入")
    page.wait_for_url("**/orgs/import/")
    with page.expect_download() as download:
        page.click("text=下载模板")
    assert download.value.suggested_filename.endswith(".xlsx")

    # an office's GBK csv with one bad row and one duplicate
    sheet = tmp_path / "单位名单.csv"
    sheet.write_bytes(("名称,单位类型,统一社会信用代码\n"
                       f"平遥县古城文旅发展有限公司,企业,{valid_credit_code()}\n"
                       "平遥县古城文旅发展有限公司 ,企业,\n"
                       "介休市绵山研究院,不知道,\n").encode("gbk"))
    page.set_input_files("#id_file", str(sheet))
    page.click("text=上传并校验")
    page.wait_for_selector("[data-count=created]")
    assert page.inner_text("[data-count=created]") == "1"
    assert page.inner_text("[data-count=duplicates]") == "1"
    assert page.inner_text("[data-count=errors]") == "1"
    assert "不知道" in page.inner_text("body")
    assert not Organisation.objects.filter(name="平遥县古城文旅发展有限公司").exists()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "import_preview.png"), full_page=True)

    page.click("text=确认导入")
    page.wait_for_selector("text=导入完成")
    assert Organisation.objects.filter(name="平遥县古城文旅发展有限公司").count() == 1
    assert violations == []
