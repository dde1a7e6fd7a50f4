"""In a real browser, under the strict CSP: 建议代码 from the needs list — learn, change one choice, write."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MACHINES = ["数控机床主轴振动", "齿轮箱故障诊断", "液压系统密封", "轴承寿命预测", "机床导轨磨损", "减速器齿轮修形"]
BIOLOGY = ["水稻抗病基因", "小麦蛋白表达", "玉米基因组测序", "植物细胞分裂", "微生物发酵菌株", "酶蛋白结构"]


def test_suggest_review_and_write_codes_for_needs(page, live_server, django_user_model):
    from yiti.core import testing
    from yiti.needs.testing import make_need
    from yiti.orgs.testing import make_enterprise
    from yiti.results.testing import make_result

    django_user_model.objects.create_superuser("office", password="Zs-office-2026")
    enterprise = make_enterprise()
    for i in range(12):
        make_need(enterprise=enterprise, title=f"{MACHINES[i % 6]}技术攻关{i}", discipline=testing.discipline("0802"))
        make_result(title=f"{BIOLOGY[i % 6]}研究{i}", discipline=testing.discipline("0710"))
    gears = make_need(enterprise=enterprise, title="齿轮箱轴承故障诊断系统", discipline=None)
    rice = make_need(enterprise=enterprise, title="水稻抗病基因育种需求", discipline=None)
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server.url, "office", "Zs-office-2026")

    page.goto(f"{live_server.url}/needs/")
    page.click("text=建议代码")
    page.check("text=学科")
    page.click("text=开始学习并建议")
    page.wait_for_selector(f"select[name=code_{gears.pk}]")
    assert page.inner_text("[data-count=suggested]") == "2"
    assert page.input_value(f"select[name=code_{gears.pk}]") in ("0802", "")  # pre-chosen only if confident
    page.select_option(f"select[name=code_{gears.pk}]", "0802")
    page.select_option(f"select[name=code_{rice.pk}]", "")  # staff decide not to write this one
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "suggest_codes_review.png"), full_page=True)
    page.click("text=写入本页所选代码")
    page.wait_for_selector("text=已写入：1 条")
    gears.refresh_from_db()
    rice.refresh_from_db()
    assert gears.discipline.code == "0802" and rice.discipline is None
    assert page.inner_text("[data-count=applied]") == "1"
    assert violations == []
