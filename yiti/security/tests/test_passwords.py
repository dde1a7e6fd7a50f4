"""Password rules: length, three of four character classes, not common, not one of the last five,
expiry after YITI_PASSWORD_MAX_AGE_DAYS and a forced change for administrator-set passwords."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from yiti.security.models import AccountSecurity, AuthEvent, PasswordHistory
from yiti.security.tests.conftest import PASSWORD, logged_in, login
from yiti.security.validators import CharacterClassesValidator, character_classes

pytestmark = pytest.mark.django_db


def codes(password, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


# ---- the rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("abcdefgh", {"lower"}),
        ("ABCdef12", {"upper", "lower", "digit"}),
        ("abc-12 34", {"lower", "symbol", "digit"}),
        ("口令Abc!", {"upper", "lower", "symbol"}),  # Chinese characters are none of the four
    ],
)
def test_character_classes(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("zhangsan2026", False),  # lower + digit
        ("ZHANGSAN-2026", True),  # upper + symbol + digit
        ("Zhangsanfeng", False),  # upper + lower
        ("Zhangsan2026", True),
        ("zhang.san.feng!", False),  # lower + symbol
        ("zhang.san.2026", True),
    ],
)
def test_three_of_four_classes(password, ok):
    refused = "password_too_simple" in codes(password)
    assert refused is not ok


def test_class_rule_message_is_chinese():
    with pytest.raises(ValidationError) as error:
        CharacterClassesValidator().validate("abcdefgh")
    assert "大写字母、小写字母、数字和符号" in error.value.messages[0]


def test_at_least_eight_characters():
    assert "password_too_short" in codes("Ab1-xyz")
    assert "password_too_short" not in codes("Ab1-xyzw")


def test_common_password_refused_by_django_validator():
    assert "password_too_common" in codes("Password1")


def test_last_five_passwords_refused_sixth_allowed(make_user):
    # given an account that has had six passwords, the last one current
    passwords = [f"Shanxi-{n}-Taiyuan" for n in range(1, 7)]
    user = make_user(password=passwords[0])
    for password in passwords[1:]:
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5

    # then the current one and the four before it are refused, the sixth back is allowed again
    for password in passwords[1:]:
        assert "password_reused" in codes(password, user), password
    assert "password_reused" not in codes(passwords[0], user)
    assert codes("Shanxi-7-Taiyuan", user) == set()


def test_history_stores_hashes_not_passwords(make_user):
    user = make_user()
    entry = PasswordHistory.objects.get(user=user)
    assert PASSWORD not in entry.password_hash and entry.password_hash == user.password


def test_account_created_before_history_still_refuses_current_password(make_user):
    user = make_user()
    PasswordHistory.objects.all().delete()
    assert "password_reused" in codes(PASSWORD, user)


# ---- expiry -----------------------------------------------------------------------------------


def age_password(user, days):
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - datetime.timedelta(days=days))


def test_setting_a_password_records_its_date(make_user):
    user = make_user()
    state = AccountSecurity.objects.get(user=user)
    assert timezone.now() - state.password_changed_at < datetime.timedelta(minutes=1)


def test_expired_password_sends_user_to_password_change(client, make_user):
    # given a password set 91 days ago (default maximum age 90)
    user = make_user()
    age_password(user, 91)

    # when the user logs in and opens a page
    login(client, "clerk")
    response = client.get(reverse("orgs:organisation_list"))

    # then they land on the password-change page, which explains why
    assert response.status_code == 302
    assert response.url == reverse("security:password_change") + "?next=%2Forgs%2F"
    page = client.get(response.url).content.decode()
    assert "已超过 90 天" in page and "修改密码" in page


def test_password_younger_than_max_age_passes(client, make_user):
    user = make_user()
    age_password(user, 89)
    login(client, "clerk")
    assert client.get(reverse("home")).status_code == 200


def test_max_age_is_a_setting(client, make_user, settings):
    settings.YITI_PASSWORD_MAX_AGE_DAYS = 30
    user = make_user()
    age_password(user, 31)
    login(client, "clerk")
    assert client.get(reverse("home")).status_code == 302

    settings.YITI_PASSWORD_MAX_AGE_DAYS = 0  # never expires
    client.logout()
    login(client, "clerk")
    assert client.get(reverse("home")).status_code == 200


def test_changing_the_expired_password_lets_the_user_continue(client, make_user):
    # given a user sent to the password change
    user = make_user()
    age_password(user, 100)
    login(client, "clerk")

    # when they change their password
    response = client.post(
        reverse("security:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fenhe-River-77", "new_password2": "Fenhe-River-77",
         "next": "/?page=2"},
    )

    # then they go on to the page they asked for, still logged in, and the change is recorded
    assert response.status_code == 302 and response.url == "/?page=2"
    assert logged_in(client)
    assert client.get(reverse("home")).status_code == 200
    user.refresh_from_db()
    assert user.check_password("Fenhe-River-77")
    assert timezone.now() - AccountSecurity.objects.get(user=user).password_changed_at < datetime.timedelta(minutes=1)
    assert AuthEvent.objects.filter(event="password_changed", user=user).exists()
    # and the new password works at the next login
    client.logout()
    assert login(client, "clerk", "Fenhe-River-77").status_code == 302


def test_password_change_refuses_bad_passwords_in_chinese(client, make_user):
    make_user()
    login(client, "clerk")
    url = reverse("security:password_change")

    wrong_old = client.post(url, {"old_password": "nope", "new_password1": "Fenhe-River-77",
                                  "new_password2": "Fenhe-River-77"})
    simple = client.post(url, {"old_password": PASSWORD, "new_password1": "fenheriver",
                               "new_password2": "fenheriver"})
    reused = client.post(url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})

    assert wrong_old.status_code == 200 and "旧密码不正确" in wrong_old.content.decode()
    assert simple.status_code == 200 and "至少包含" in simple.content.decode()
    assert reused.status_code == 200 and "最近 5 次" in reused.content.decode()


# ---- forced change ----------------------------------------------------------------------------


def test_new_account_must_change_its_first_password(client, make_user, settings):
    # given the production setting: an account someone else created starts with a forced change
    settings.YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD = True
    user = make_user()
    assert AccountSecurity.objects.get(user=user).must_change_password

    # when the user logs in, every page leads to the password change, which says why
    login(client, "clerk")
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("security:password_change"))
    assert "由管理员设置" in client.get(response.url).content.decode()

    # then after the change the flag is gone
    client.post(reverse("security:password_change"),
                {"old_password": PASSWORD, "new_password1": "Fenhe-River-77", "new_password2": "Fenhe-River-77"})
    assert not AccountSecurity.objects.get(user=user).must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_administrator_can_require_a_change(client, second_factor_off, admin_client, make_user):
    user = make_user()
    admin_client.post(
        reverse("admin:security_accountsecurity_changelist"),
        {"action": "require_password_change", "_selected_action": [user.pk]},
    )
    assert AccountSecurity.objects.get(user=user).must_change_password
    login(client, "clerk")
    assert client.get(reverse("home")).status_code == 302


def test_logout_and_language_switch_work_before_the_change(client, make_user, settings):
    settings.YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD = True
    make_user()
    login(client, "clerk")
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and not logged_in(client)


def test_password_reset_by_an_administrator_must_be_changed(client, second_factor_off, admin_client, make_user,
                                                           settings):
    # given the production setting and an account whose owner forgot the password
    settings.YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD = True
    user = make_user()
    AccountSecurity.objects.filter(user=user).update(must_change_password=False)

    # when an administrator sets a new one in the admin
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Reset-by-admin-9", "password2": "Reset-by-admin-9", "usable_password": "true"},
    )
    assert response.status_code == 302

    # then the owner must change it at the next login
    assert AccountSecurity.objects.get(user=user).must_change_password
    login(client, "clerk", "Reset-by-admin-9")
    assert client.get(reverse("home")).url.startswith(reverse("security:password_change"))


def test_own_password_change_does_not_set_the_flag(client, make_user, settings):
    settings.YITI_NEW_ACCOUNTS_MUST_CHANGE_PASSWORD = True
    user = make_user()
    AccountSecurity.objects.filter(user=user).update(must_change_password=False)
    login(client, "clerk")
    client.post(reverse("security:password_change"),
                {"old_password": PASSWORD, "new_password1": "Fenhe-River-77", "new_password2": "Fenhe-River-77"})
    assert not AccountSecurity.objects.get(user=user).must_change_password
