"""In a real browser: an edit form shows personal data masked and typing replaces it; the list's 明文导出
asks for a reason and downloads the unmasked file."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = "13912345678"


def test_masked_edit_and_plain_export(page, live_server, django_user_model):
    from yiti.core.testing import valid_id_number
    from yiti.talents.testing import make_talent

    # given a city office worker who may reveal personal data, and a talent
    django_user_model.objects.create_user("cityoffice", password="Zs-office-2026", role="staff", scope="city",
                                          may_reveal_personal_data=True)
    id_number = valid_id_number("19790302", 456)
    talent = make_talent(name="王工", birth_year=1979, mobile=MOBILE, id_number=id_number)
    log_in(page, live_server.url, "cityoffice", "Zs-office-2026")

    # when they open the talent's edit form, the phone and ID number are masked
    page.goto(f"{live_server.url}/talents/{talent.pk}/edit/")
    assert page.input_value("#id_mobile") == "139****5678"
    assert MOBILE not in page.content() and id_number not in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "talent_edit_masked.png"), full_page=True)

    # and clicking into the masked phone and typing replaces it (the stars are not mixed in)
    page.click("#id_mobile")
    page.keyboard.type("13800138000")
    assert page.input_value("#id_mobile") == "13800138000"
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"**/talents/{talent.pk}/")
    talent.refresh_from_db()
    assert talent.mobile == "13800138000" and talent.id_number == id_number  # the untouched one is kept

    # then the list offers 明文导出, which asks for a reason
    page.goto(f"{live_server.url}/talents/")
    page.click("text=明文导出")
    page.wait_for_selector("#id_reason")
    assert page.locator("#plain-export-count").inner_text().strip() == "1"
    page.fill("#id_reason", "省厅人才普查核对")
    page.check("input[name=format][value=csv]")
    page.screenshot(path=str(ARTIFACTS / "plain_export.png"), full_page=True)
    with page.expect_download() as download:
        page.click("form.card button[type=submit]")
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert "13800138000" in text and id_number in text
