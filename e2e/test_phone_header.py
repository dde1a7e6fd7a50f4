"""On a phone (390 px wide) no page scrolls sideways: the header's entries wrap instead of overflowing — for the
superuser, whose header has one entry more (后台管理), and for a county officer — on the home page, a list page and
the job fair's check-in page."""

import pytest

from e2e.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# The elements that reach past the phone's width, to say what overflows when the test fails.
WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
  .filter(e => !e.closest('.table-responsive'))
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12)"""


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, django_user_model):
    from yiti.accounts.models import Department, Role, Scope
    from yiti.accounts.testing import PASSWORD, make_user
    from yiti.activities.fairs.testing import make_fair
    from yiti.core.testing import county

    django_user_model.objects.create_superuser("admin", password=PASSWORD)  # the demo superuser: a name with no break
    office = Department.objects.create(name="榆次区科技局", kind="office", division=county("140702"))
    make_user("staff_140702", Role.STAFF, scope=Scope.COUNTY, department=office, last_name="榆次区", first_name="科技局")
    fair = make_fair(title="2025年榆次区高校毕业生春季招聘会", division=county("140702"), status="held")
    ARTIFACTS.mkdir(exist_ok=True)
    for username in ("admin", "staff_140702"):
        context = browser.new_context(locale="zh-CN", **PHONE)
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server.url, username, PASSWORD)
        for name, path in (("home", "/"), ("list", "/talents/"), ("checkin", f"/activities/{fair.pk}/checkin/")):
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, (username, path)
            page.screenshot(path=str(ARTIFACTS / f"phone_header_{username}_{name}.png"))
            # With is_mobile, Chromium widens the layout viewport to the content: innerWidth grows with an overflow.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 and page.evaluate("innerWidth") <= 390, (username, path, width, page.evaluate(WIDE))
            # every entry of the header is still there (wrapped, not hidden)
            assert page.locator("header button:has-text('退出登录')").is_visible()
            assert page.locator("header a[href$='/password/']").is_visible()
            if username == "admin":
                assert page.locator("header a:has-text('后台管理')").is_visible()
        context.close()
