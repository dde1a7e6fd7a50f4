"""In a real browser, under the strict Content-Security-Policy: an administrator's first login enrols the
authenticator app, a forced password change works, and no page needs anything inline."""

import base64

import pytest
from playwright.sync_api import expect

from e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations


def current_code(secret: str) -> str:
    from django_otp.oath import totp

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def test_administrator_enrols_the_authenticator_at_first_login(page, live_server, django_user_model, settings):
    from yiti.orgs.testing import make_org

    # given the production rule: administrators need a second factor
    settings.YITI_REQUIRE_SECOND_FACTOR = True
    django_user_model.objects.create_superuser("chief", password="Zs-chief-2026")
    make_org(name="太原理工大学")
    violations = watch_csp(page)

    # when the administrator logs in with the password
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "Zs-chief-2026")
    page.click("button[type=submit]")

    # then the enrolment page shows a QR code and the key
    page.wait_for_url("**/security/otp/setup/**")
    assert page.locator("svg.yiti-qr").is_visible()
    secret = page.locator("#yiti-otp-secret").inner_text().strip()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "otp_setup.png"), full_page=True)

    # and a wrong code is refused, the right one lets them in
    page.fill("#id_token", "000000")
    page.click("form.card button[type=submit]")
    # The refusal reloads the same URL: wait for the message, not for a URL (reading the body at once read the
    # page between the two documents, empty).
    expect(page.locator(".invalid-feedback")).to_contain_text("验证码错误")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username="chief").update(throttling_failure_count=0,
                                                             throttling_failure_timestamp=None)
    page.fill("#id_token", current_code(secret))
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "身份验证器已绑定" in page.locator("body").inner_text()

    # and the list page with its htmx filter, a detail page and the admin work without inline code
    page.goto(f"{live_server.url}/orgs/")
    page.fill("#id_q", "太原理工")
    page.click("form.yiti-filter button[type=submit]")
    page.locator("#results a", has_text="太原理工大学").wait_for()
    page.locator("#results a", has_text="太原理工大学").click()
    page.wait_for_selector("h2.page-title")
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_selector("#content")
    assert violations == []


def test_forced_password_change_in_the_browser(page, live_server, django_user_model, settings):
    settings.YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD = True
    django_user_model.objects.create_user("newcomer", password="Given-by-admin-1")
    violations = watch_csp(page)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "newcomer")
    page.fill("#id_password", "Given-by-admin-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/security/password/**")
    assert "由管理员设置" in page.locator("body").inner_text()

    page.fill("#id_old_password", "Given-by-admin-1")
    page.fill("#id_new_password1", "simplepassword")
    page.fill("#id_new_password2", "simplepassword")
    page.click("form.card button[type=submit]")
    expect(page.locator(".invalid-feedback").first).to_contain_text("至少包含")

    page.fill("#id_old_password", "Given-by-admin-1")
    page.fill("#id_new_password1", "Jinci-Temple-88")
    page.fill("#id_new_password2", "Jinci-Temple-88")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "密码已修改" in page.locator("body").inner_text()
    page.screenshot(path=str(ARTIFACTS / "password_changed.png"), full_page=True)
    assert violations == []
