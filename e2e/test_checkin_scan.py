"""扫码签到 on a phone, under the strict CSP: the registration's QR (drawn by segno, as the fair's page draws it) read
in the page — from a photo (the path for phones whose browser refuses the live camera) and from the live camera
(Chromium's fake camera playing the QR) — and checked in by the server as if typed; a cancelled registration and
another fair's registration refused in Chinese; typing still works."""

import datetime

import pytest

from e2e.conftest import ARTIFACTS, CHROMIUM, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def qr_png(text: str, path) -> str:
    """The QR as a photo of it would be: the code on a white sheet, not alone on the image."""
    import segno
    from PIL import Image

    # make_qr: make() would draw a short bare code as a Micro QR, which the fair's page never does
    segno.make_qr(text, error="m").save(str(path), scale=8, border=4)
    sheet = Image.new("RGB", (1200, 1600), "white")
    sheet.paste(Image.open(path).convert("RGB"), (300, 500))
    sheet.save(path)
    return str(path)


def qr_y4m(text: str, path) -> str:
    """The QR as a raw video (YUV4MPEG2, 4:2:0) for Chromium's fake camera, which plays it in a loop."""
    import segno
    from PIL import Image

    png = path.with_suffix(".png")
    segno.make_qr(text, error="m").save(str(png), scale=6, border=4)
    frame = Image.new("RGB", (640, 480), "white")
    code = Image.open(png).convert("RGB")
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    path.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n" + (b"FRAME\n" + planes) * 10)
    return str(path)


@pytest.fixture
def door(browser, live_server):
    """A fair with a registration, a cancelled one and one of another fair; the door's phone, logged in."""
    from yiti.accounts.models import Role, Scope
    from yiti.accounts.testing import PASSWORD, make_user
    from yiti.activities.fairs.testing import make_fair, make_registration
    from yiti.talents.testing import make_talent

    fair = make_fair(title="2025年晋中市秋季招聘会", start_date=datetime.date(2025, 10, 18), status="held")
    other = make_fair(title="2025年晋中市春季招聘会", start_date=datetime.date(2025, 4, 18), status="held")
    records = {"ok": make_registration(fair, make_talent(name="王晓明")),
               "cancelled": make_registration(fair, make_talent(name="李娜"), status="cancelled"),
               "other": make_registration(other, make_talent(name="赵强"))}
    make_user("door", Role.STAFF, scope=Scope.CITY)
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    log_in(page, live_server.url, "door", PASSWORD)
    yield page, fair, records, violations
    context.close()


def test_a_photo_of_the_qr_checks_the_talent_in(door, live_server, tmp_path):
    from yiti.activities.fairs.models import Registration

    page, fair, records, violations = door
    checkin = f"{live_server.url}/activities/{fair.pk}/checkin/"
    page.goto(checkin)
    assert page.locator("#scan-start").is_visible()  # the scanner shows once its script runs
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "checkin_scan_phone.png"), full_page=True)

    # the QR carries the check-in address, as the fair's page draws it
    page.set_input_files("#scan-photo", qr_png(live_server.url + records["ok"].checkin_url(), tmp_path / "ok.png"))
    page.wait_for_selector("#checkin-ok")
    assert "王晓明 已签到" in page.inner_text("#checkin-ok")
    assert Registration.objects.get(pk=records["ok"].pk).status == "checked_in"
    page.screenshot(path=str(ARTIFACTS / "checkin_scan_photo_done.png"), full_page=True)

    # a cancelled registration and another fair's are refused, in Chinese, and stay as they were
    page.set_input_files("#scan-photo", qr_png(live_server.url + records["cancelled"].checkin_url(),
                                               tmp_path / "cancelled.png"))
    page.wait_for_selector("#checkin-error")
    assert "已取消" in page.inner_text("#checkin-error")
    page.screenshot(path=str(ARTIFACTS / "checkin_scan_photo_refused.png"), full_page=True)
    page.set_input_files("#scan-photo", qr_png(records["other"].code, tmp_path / "other.png"))  # a bare code too
    page.wait_for_selector("#checkin-error:has-text('另一场招聘会')")  # (wait_for_function would need eval)
    assert Registration.objects.get(pk=records["cancelled"].pk).status == "cancelled"
    assert Registration.objects.get(pk=records["other"].pk).status == "registered"

    # a photo without a QR: a message, nothing submitted
    from PIL import Image

    Image.new("RGB", (800, 600), "white").save(tmp_path / "blank.png")
    page.set_input_files("#scan-photo", str(tmp_path / "blank.png"))
    page.wait_for_selector("#scan-message:not(.d-none)")
    assert "没有识别到二维码" in page.inner_text("#scan-message")

    # typing is still the fallback
    records["ok"].status = "registered"
    records["ok"].save()
    page.fill("#id_code", records["ok"].code)
    page.click("#checkin-submit")
    page.wait_for_selector("#checkin-ok")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations == []


def test_the_live_camera_reads_the_qr(browser, live_server, tmp_path, django_user_model):
    """Chromium's fake camera plays a video of the QR: 扫码签到 opens it, reads the code and checks the talent in."""
    from yiti.accounts.models import Role, Scope
    from yiti.accounts.testing import PASSWORD, make_user
    from yiti.activities.fairs.models import Registration
    from yiti.activities.fairs.testing import make_fair, make_registration
    from yiti.talents.testing import make_talent

    fair = make_fair(title="2025年晋中市秋季招聘会", start_date=datetime.date(2025, 10, 18), status="held")
    registration = make_registration(fair, make_talent(name="王晓明"))
    make_user("door", Role.STAFF, scope=Scope.CITY)
    video = qr_y4m(live_server.url + registration.checkin_url(), tmp_path / "qr.y4m")
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"])
    try:
        # localhost counts as a secure context: getUserMedia is offered over plain HTTP here, as the docs say
        context = camera.new_context(locale="zh-CN", permissions=["camera"], **PHONE)
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server.url, "door", PASSWORD)
        page.goto(f"{live_server.url}/activities/{fair.pk}/checkin/")
        page.click("#scan-start")
        page.wait_for_selector("#checkin-ok")
        assert "王晓明 已签到" in page.inner_text("#checkin-ok")
        assert Registration.objects.get(pk=registration.pk).status == "checked_in"
    finally:
        camera.close()


def test_a_refused_camera_points_to_the_photo(door, live_server):
    """Where the browser gives no camera (here: none is plugged in), the page says to take a photo or type."""
    page, fair, _records, _violations = door
    page.goto(f"{live_server.url}/activities/{fair.pk}/checkin/")
    page.click("#scan-start")
    page.wait_for_selector("#scan-message:not(.d-none)")
    assert "拍照" in page.inner_text("#scan-message")
    assert page.locator("#scan-view").is_hidden()
