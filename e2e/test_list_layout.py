"""In a real browser: a list page as office users expect it (issue 12, items 12–15) — short cells on one
line, an 操作 column, row checkboxes with batch actions, a page-size choice, a filter form folded to
one row, and the 省 → 市 → 县 region picker."""

import datetime
import re

import pytest
from django.utils import timezone

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each cell of the named columns: its text's height against one line of its font.
CELL_LINES = """(names) => {
  const heads = [...document.querySelectorAll('#results thead th')].map(th => th.innerText.trim());
  const out = [];
  for (const name of names) {
    const i = heads.findIndex(h => h.replace(/[↑↓]/g, '').trim() === name);
    if (i < 0) { out.push({name, missing: true}); continue; }
    for (const row of document.querySelectorAll('#results tbody tr')) {
      const td = row.children[i];
      const range = document.createRange();
      range.selectNodeContents(td);
      const lineHeight = parseFloat(getComputedStyle(td).lineHeight);
      out.push({name, text: td.innerText, height: range.getBoundingClientRect().height, lineHeight});
    }
  }
  return out;
}"""


def test_list_layout(page, live_server, django_user_model):
    from yiti.core.models import Division
    from yiti.needs.testing import make_need
    from yiti.orgs.testing import make_enterprise

    # given an office user and needs with long titles, dates and statuses
    django_user_model.objects.create_superuser("office", password="Zs-office-2026")
    yuci = make_enterprise(name="晋中市榆次区华盛精密机械制造有限责任公司（新能源汽车零部件事业部）",
                           division=Division.objects.get(code="140702"))
    taigu = make_enterprise(name="太谷精工铸业有限公司", division=Division.objects.get(code="140703"))
    today = timezone.localdate()
    for i in range(12):
        make_need(enterprise=yuci if i % 2 else taigu, status="signed" if i % 3 else "in_talks",
                  title=f"面向新能源汽车一体化压铸件的轻量化设计与激光焊接质量稳定性提升关键技术联合攻关需求{i}",
                  published_date=today - datetime.timedelta(days=i), deadline=today + datetime.timedelta(days=90 + i),
                  budget=120 + i)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "office", "Zs-office-2026")

    # when they open the needs list
    page.goto(f"{live_server.url}/needs/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "list_layout.png"), full_page=True)

    # then dates, statuses and 操作 stay on one line however long the titles are
    cells = page.evaluate(CELL_LINES, ["截止日期", "状态", "发布日期", "需求类型", "操作"])
    assert not [c for c in cells if c.get("missing")], cells
    assert len(cells) == 5 * 12
    for cell in cells:
        assert cell["height"] <= cell["lineHeight"] * 1.3, f"{cell['name']} cell wraps: {cell}"
    title_cells = page.evaluate(CELL_LINES, ["名称"])
    assert max(c["height"] / c["lineHeight"] for c in title_cells) >= 2  # the long text column takes the wrapping

    # and each row has its 操作: 查看, 编辑, 删除
    first_ops = page.locator("#results tbody tr").first.locator("a.yiti-op")
    assert first_ops.all_inner_texts() == ["查看", "编辑", "删除"]

    # and the filter form is one row, the rest behind 展开
    main_row = page.locator(".yiti-filter-main").bounding_box()
    control = page.locator("#id_q").bounding_box()
    assert main_row["height"] < control["height"] * 2.5, main_row
    assert not page.locator("input[name=deadline_after]").is_visible()
    assert page.locator("text=展开").is_visible() and not page.locator("text=收起").is_visible()
    page.click("label.yiti-more-label")
    assert page.locator("input[name=deadline_after]").is_visible() and page.locator("text=收起").is_visible()
    # a date range reads as one control: 开始 — 结束 on one line
    after, before = page.locator("input[name=deadline_after]").bounding_box(), page.locator("input[name=deadline_before]").bounding_box()
    assert abs(after["y"] - before["y"]) < 2 and before["x"] > after["x"]
    assert page.locator("#id_status option").first.inner_text() == "全部"

    # and the region is picked 省 → 市 → 县 (the grouped select underneath is the no-JS form)
    levels = page.locator(".yiti-cascade-box select")
    assert levels.count() == 3 and not page.locator("#id_division").is_visible()
    assert levels.nth(1).is_disabled()
    levels.nth(0).select_option(label="山西省")
    levels.nth(1).select_option(label="晋中市")
    assert "榆次区" in levels.nth(2).inner_text() and "太原市" not in levels.nth(2).inner_text()
    levels.nth(2).select_option(label="榆次区")
    yuci_division = Division.objects.get(code="140702")
    assert page.locator("#id_division").input_value() == str(yuci_division.pk)
    page.screenshot(path=str(ARTIFACTS / "list_filters_expanded.png"), full_page=True)
    page.click("form.yiti-filter button[type=submit]")
    page.wait_for_url(re.compile(rf".*division={yuci_division.pk}.*"))
    page.locator("#results tbody tr", has_text="太谷精工").first.wait_for(state="detached")
    assert page.locator("#results tbody tr").count() == 6

    # and a reload keeps the chosen region in the picker
    page.reload()
    assert page.locator(".yiti-cascade-box select").nth(2).input_value() == str(yuci_division.pk)

    # and the page size is a choice that keeps the filter
    page.goto(f"{live_server.url}/needs/")
    page.select_option("#per-page", "10")
    page.wait_for_url(re.compile(r".*per_page=10.*"))
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 10")

    # and ticked rows go to the batch delete's confirmation page
    page.locator("#results tbody input.yiti-select").nth(0).check()
    page.locator("#results tbody input.yiti-select").nth(1).check()
    page.click("button[value=delete]")
    page.wait_for_selector("text=确定删除这 2 条企业需求记录吗")
    assert page.locator(".yiti-batch-list tbody tr").count() == 2
    page.screenshot(path=str(ARTIFACTS / "list_batch_delete.png"), full_page=True)
