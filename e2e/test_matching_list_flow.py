"""In a real browser, issue 14 §7: a county officer opens a need, sees recommendations with reasons, adopts two
onto a matching list and publishes it; the university's contact sees the item on 我的对接 and answers 有意向;
the officer records a contact and creates the agreement from the item."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    from yiti.accounts.models import Department, Role, Scope
    from yiti.accounts.testing import PASSWORD, make_user
    from yiti.core.models import Division
    from yiti.matching import store
    from yiti.needs.testing import make_need
    from yiti.orgs.testing import make_enterprise, make_org
    from yiti.talents.testing import make_talent

    division = Division.objects.get(code="140702")
    city = Division.objects.get(code="140700")
    city_department = Department.objects.create(name="晋中市人才办", kind="city", division=city)
    department = Department.objects.create(name="榆次区科技局", kind="office", parent=city_department,
                                           division=division)
    enterprise = make_enterprise(name="太谷精工铸业有限公司", division=division, description="可锻铸铁管件生产")
    university = make_org(name="晋中学院", org_type="university", division=division,
                          description="材料科学与铸造工艺研究，退火炉节能改造")
    for name, expertise in (("王铸", "可锻铸铁;退火;蓄热式燃烧"), ("李温", "退火炉;智能温控;节能改造")):
        make_talent(name=name, division=division, organisation=university, expertise=expertise, position="教授",
                    consent_to_recommend=True)
    need = make_need(enterprise=enterprise, title="可锻铸铁管件退火能耗降低",
                     description="现有退火炉单位能耗偏高，希望引入蓄热式燃烧与智能温控。",
                     keywords="可锻铸铁、退火、蓄热式燃烧、智能温控")
    officer = make_user("yc_officer", Role.STAFF, scope=Scope.COUNTY, department=department, last_name="张",
                        first_name="专员")
    make_user("jzxy_contact", Role.ORG_CONTACT, organisation=university)
    store.reset()
    store.build()
    yield {"need": need, "officer": officer, "password": PASSWORD, "university": university,
           "enterprise": enterprise}
    store.reset()


def test_a_need_to_an_agreement_through_a_matching_list(browser, live_server, county):
    base = live_server.url
    need = county["need"]

    # the county officer makes a list to fill by hand
    officer = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000}).new_page()
    officer.set_default_timeout(15000)
    log_in(officer, base, "yc_officer", county["password"])
    officer.click("text=对接清单")
    officer.fill("#hand-title", "退火节能对接清单")
    officer.click("#new-by-hand button[type=submit]")
    officer.wait_for_selector("h2.page-title:has-text('退火节能对接清单')")
    list_url = officer.url

    # opens the need and sees recommended experts, each with its reasons
    officer.goto(f"{base}/needs/{need.pk}/")
    lines = officer.locator("#rec-experts .yiti-rec-lines li.list-group-item")
    lines.first.wait_for()
    assert lines.count() >= 2
    first_reasons = lines.first.locator("ul li").all_inner_texts()
    assert any("共同关键词" in r for r in first_reasons), first_reasons

    # adopts two of them onto the list
    for _ in range(2):
        adopt_forms = officer.locator("#rec-experts form:has(input[name=verdict][value=accepted])")
        before = adopt_forms.count()
        form = adopt_forms.first
        form.locator("select[name=matching_list]").select_option(label="退火节能对接清单")
        form.locator("button[type=submit]").click()
        officer.wait_for_function(
            "n => document.querySelectorAll('#rec-experts form input[name=verdict][value=accepted]').length < n",
            arg=before)

    # the list holds the two, accepted; the officer publishes it
    officer.goto(list_url)
    rows = officer.locator("#items tbody tr[data-state=accepted]")
    assert rows.count() == 2
    assert "共同关键词" in officer.locator("#items").inner_text()
    officer.click("#publish-form button[type=submit]")
    officer.wait_for_selector("text=已向双方推送 2 条对接项")
    assert officer.locator("#items tbody tr[data-published]").count() == 2
    ARTIFACTS.mkdir(exist_ok=True)
    officer.screenshot(path=str(ARTIFACTS / "matching_list_published.png"), full_page=True)

    # the university's contact sees the items on 我的对接 and answers 有意向
    contact = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000}).new_page()
    contact.set_default_timeout(15000)
    log_in(contact, base, "jzxy_contact", county["password"])
    contact.click("text=我的对接")
    contact.wait_for_url("**/matching/mine/")
    card = contact.locator(".card[id^=item-]").first
    assert need.title in card.inner_text()
    card.locator("input[name=answer][value=interested]").check()
    card.locator("button[type=submit]").click()
    contact.wait_for_selector("text=您的回复已提交")
    assert contact.locator("[data-answer=interested]").count() == 1

    # the officer sees the answer, records a contact and creates the agreement from the item
    officer.goto(list_url)
    officer.locator("#items tbody tr[data-published] a:has-text('跟进')").first.click()
    officer.wait_for_selector("#contact-form")
    if "有意向" not in officer.locator("#addressee-answer").inner_text():  # the other item was answered
        officer.goto(list_url)
        officer.locator("#items tbody tr[data-published] a:has-text('跟进')").nth(1).click()
        officer.wait_for_selector("#contact-form")
    assert "有意向" in officer.locator("#addressee-answer").inner_text()
    officer.select_option("#contact-form select[name=channel]", "phone")
    officer.fill("#contact-form textarea[name=summary]", "电话联系企业与学院，约定下周到企业现场考察。")
    officer.click("#contact-form button[type=submit]")
    officer.wait_for_selector("text=联系记录已登记")
    assert officer.locator("#item-stage").get_attribute("data-stage") == "contacted"
    officer.fill("#sign-form input[name=title]", "退火节能校企合作协议")
    officer.click("#sign-form button[type=submit]")
    officer.wait_for_selector("text=合作协议已创建")
    assert "/agreements/" in officer.url
    body = officer.locator("body").inner_text()
    assert "退火节能校企合作协议" in body and county["enterprise"].name in body and county["university"].name in body
    officer.screenshot(path=str(ARTIFACTS / "matching_agreement.png"), full_page=True)
