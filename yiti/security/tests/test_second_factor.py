"""TOTP second factor (django-otp) for superusers and the administrator roles."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiti.security.models import AccountSecurity, AuthEvent
from yiti.security.policy import requires_second_factor
from yiti.security.tests.conftest import logged_in, login

pytestmark = pytest.mark.django_db

KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex
ROOT_PASSWORD = "Root-pass-2026"


def code(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += offset * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password=ROOT_PASSWORD)


@pytest.fixture
def enrolled_root(root):
    device = TOTPDevice.objects.create(user=root, name="phone", key=KEY, confirmed=True)
    return root, device


@pytest.mark.parametrize(
    ("user", "needed"),
    [
        (SimpleNamespace(is_superuser=True, role=""), True),
        (SimpleNamespace(is_superuser=False, role="sysadmin"), True),
        (SimpleNamespace(is_superuser=False, role="secadmin"), True),
        (SimpleNamespace(is_superuser=False, role="auditor"), True),
        (SimpleNamespace(is_superuser=False, role="staff"), False),
        (SimpleNamespace(is_superuser=False), False),  # before the role field exists
    ],
)
def test_who_needs_a_second_factor(user, needed):
    assert requires_second_factor(user) is needed


def test_superuser_without_device_must_enrol_before_anything(client, root):
    # given a superuser who has just given the right password
    login(client, "root", ROOT_PASSWORD)
    assert logged_in(client)

    # when they open any page, the admin included
    for url in [reverse("home"), reverse("orgs:organisation_list"), reverse("admin:index")]:
        response = client.get(url, follow=True)
        # then they end on the enrolment page
        assert response.redirect_chain[-1][0].startswith(reverse("security:otp_setup")), url
    page = response.content.decode()
    assert "<svg" in page and "身份验证器" in page
    device = TOTPDevice.objects.get(user=root)
    assert not device.confirmed
    assert " ".join(page.split()).count(device.bin_key.hex()) == 0  # the page shows base32, not the raw key


def test_enrolment_confirmed_with_a_code(client, root):
    login(client, "root", ROOT_PASSWORD)
    client.get(reverse("security:otp_setup"))
    device = TOTPDevice.objects.get(user=root)

    # a wrong code is refused and recorded
    wrong = client.post(reverse("security:otp_setup"), {"token": "000000"})
    assert wrong.status_code == 200 and "验证码错误" in wrong.content.decode()
    assert AuthEvent.objects.filter(event="otp_failed", user=root).count() == 1
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()

    # the right code confirms the device and lets the user through
    response = client.post(reverse("security:otp_setup"), {"token": code(device), "next": "/orgs/"})
    assert response.status_code == 302 and response.url == "/orgs/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("orgs:organisation_list")).status_code == 200


def test_enrolled_superuser_must_verify_each_login(client, enrolled_root):
    root, device = enrolled_root
    login(client, "root", ROOT_PASSWORD)

    response = client.get(reverse("orgs:organisation_list"))
    assert response.status_code == 302
    assert response.url == reverse("security:otp_verify") + "?next=%2Forgs%2F"
    # enrolling again is not possible once a device is confirmed
    assert client.get(reverse("security:otp_setup")).url.startswith(reverse("security:otp_verify"))

    response = client.post(reverse("security:otp_verify"), {"token": code(device), "next": "/orgs/"})
    assert response.status_code == 302 and response.url == "/orgs/"
    assert client.get(reverse("orgs:organisation_list")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_code_is_refused_and_logged(client, enrolled_root):
    root, device = enrolled_root
    login(client, "root", ROOT_PASSWORD)

    response = client.post(reverse("security:otp_verify"), {"token": code(device, offset=10)})

    assert response.status_code == 200 and "验证码错误" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    event = AuthEvent.objects.get(event="otp_failed")
    assert event.user == root and event.username == "root" and event.remote_addr == "127.0.0.1"


def test_repeated_wrong_codes_are_throttled(client, enrolled_root):
    root, device = enrolled_root
    login(client, "root", ROOT_PASSWORD)
    client.post(reverse("security:otp_verify"), {"token": "111111"})

    # right after a wrong code even the right one waits (django-otp's growing delay)
    response = client.post(reverse("security:otp_verify"), {"token": code(device)})

    assert response.status_code == 200 and "秒后再试" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_code_is_not_accepted_twice(client, enrolled_root):
    root, device = enrolled_root
    login(client, "root", ROOT_PASSWORD)
    token = code(device)
    assert client.post(reverse("security:otp_verify"), {"token": token}).status_code == 302

    other = client.__class__()
    login(other, "root", ROOT_PASSWORD)
    assert other.post(reverse("security:otp_verify"), {"token": token}).status_code == 200


def test_non_digit_code_gets_a_chinese_error(client, enrolled_root):
    login(client, "root", ROOT_PASSWORD)
    response = client.post(reverse("security:otp_verify"), {"token": "abcdef"})
    assert response.status_code == 200 and "只能是数字" in response.content.decode()


def test_second_factor_only_in_this_session(client, enrolled_root):
    root, device = enrolled_root
    login(client, "root", ROOT_PASSWORD)
    client.post(reverse("security:otp_verify"), {"token": code(device)})
    client.post(reverse("logout"))

    login(client, "root", ROOT_PASSWORD)

    assert client.get(reverse("home")).status_code == 302


def test_ordinary_users_need_no_second_factor(client, make_user):
    make_user()
    login(client, "clerk")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("security:otp_setup")).status_code == 302  # nothing to set up
    assert not TOTPDevice.objects.exists()


def test_second_factor_can_be_switched_off(client, root, settings):
    settings.YITI_REQUIRE_SECOND_FACTOR = False
    login(client, "root", ROOT_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_htmx_request_is_redirected_by_header(client, enrolled_root):
    login(client, "root", ROOT_PASSWORD)
    response = client.get(reverse("orgs:organisation_list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("security:otp_verify")


def test_password_change_waits_for_the_code(client, enrolled_root, settings):
    settings.YITI_PASSWORD_MAX_AGE_DAYS = 1
    root, device = enrolled_root
    AccountSecurity.objects.filter(user=root).update(password_changed_at=timezone.now() - datetime.timedelta(days=2))
    login(client, "root", ROOT_PASSWORD)

    # first the code, even on the password page
    assert client.get(reverse("security:password_change")).url.startswith(reverse("security:otp_verify"))
    response = client.post(reverse("security:otp_verify"), {"token": code(device)})
    # then the password change
    assert client.get(response.url).url.startswith(reverse("security:password_change"))


def test_admin_lists_devices_without_their_keys(second_factor_off, admin_client, enrolled_root):
    root, device = enrolled_root
    page = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert "phone" in page and KEY not in page and "qrcode" not in page.lower()
