"""In a real browser: the talent form lays its 人才计划 checkboxes out as a grid that overlaps nothing
(issue 12 item 4: they were one character wide and ran over 身份证号码, 电子邮箱, 备注, 保存 and the errors)."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overlaps(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_talent_form_checkbox_grid_overlaps_nothing(page, live_server, django_user_model):
    from yiti.talents.models import Programme

    django_user_model.objects.create_superuser("office", password="Zs-office-2026")
    assert Programme.objects.count() >= 10  # the package code table
    log_in(page, live_server.url, "office", "Zs-office-2026")

    # a form that fails, so that the error messages are on the page too
    page.goto(f"{live_server.url}/talents/add/")
    page.fill("#id_name", "李四")
    page.select_option("#id_population", "local")
    page.fill("#id_id_number", "12345")
    page.fill("#id_email", "not-an-address")
    page.locator("#id_programmes label", has_text="三晋英才").first.click()
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".invalid-feedback")

    grid = page.locator("#id_programmes")
    labels = grid.locator("label")
    assert labels.count() == Programme.objects.count()
    # the box ticked before the failed save is still ticked
    assert page.locator("#id_programmes label", has_text="三晋英才").first.locator("input").is_checked()
    others = {
        "身份证号码": page.locator("#id_id_number"), "电子邮箱": page.locator("#id_email"),
        "备注": page.locator("#id_notes"), "保存": page.locator("form.card button[type=submit]"),
    }
    errors = page.locator(".invalid-feedback")
    for i in range(errors.count()):
        others[f"error {i}"] = errors.nth(i)
    grid_box = grid.bounding_box()
    for i in range(labels.count()):
        box = labels.nth(i).bounding_box()
        text = labels.nth(i).inner_text()
        assert box["width"] >= 60, f"checkbox label {text!r} is {box['width']:.0f} px wide"
        # inside the grid, not spilling out of it
        assert grid_box["x"] - 1 <= box["x"] and box["x"] + box["width"] <= grid_box["x"] + grid_box["width"] + 1
        for name, element in others.items():
            assert not overlaps(box, element.bounding_box()), f"checkbox label {text!r} overlaps {name}"
    for name, element in others.items():
        assert not overlaps(grid_box, element.bounding_box()), f"the checkbox grid overlaps {name}"
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, f"the talent form is {height} px tall"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "talent_form.png"), full_page=True)
    assert (ARTIFACTS / "talent_form.png").stat().st_size > 10_000


def test_need_enterprise_suggestions_in_the_browser_are_enterprises_by_name(page, live_server, django_user_model):
    from yiti.orgs.testing import make_enterprise, make_org

    django_user_model.objects.create_superuser("office", password="Zs-office-2026")
    make_enterprise(name="榆次协和电力科技有限公司")
    make_org(name="榆次区人民医院", org_type="hospital")
    make_org(name="榆次区科学技术局", org_type="government")
    log_in(page, live_server.url, "office", "Zs-office-2026")
    page.goto(f"{live_server.url}/needs/add/")
    page.locator("#id_enterprise").press_sequentially("榆次")
    options = page.locator("#id_enterprise-suggestions option")
    options.first.wait_for(state="attached")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert values == ["榆次协和电力科技有限公司"]  # no hospital, no department, no "#id"
