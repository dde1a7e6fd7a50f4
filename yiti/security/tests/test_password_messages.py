"""Every message of every password rule reaches the Chinese UI in Chinese (issue 12, item 32)."""

import re

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm, SetPasswordForm
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from yiti.security.tests.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

# Passwords that between them break every configured rule: too short, like the user name, common,
# all digits, one character class, and the account's current password (history).
BAD_PASSWORDS = ["Ab1!", "clerk2026", "password", "12345678901", "abcdefghij", PASSWORD]


def is_chinese(message: str) -> bool:
    # Chinese text, and no English word in it (a number or "%" may stay).
    return bool(re.search(r"[\u4e00-\u9fff]", message)) and not re.search(r"[A-Za-z]{2,}", message)


def test_every_rule_refuses_and_explains_in_chinese(make_user):
    user = make_user(username="clerk")
    validators = get_default_password_validators()
    refused_by = set()
    with translation.override("zh-hans"):
        for validator in validators:
            assert is_chinese(str(validator.get_help_text())), validator
            for password in BAD_PASSWORDS:
                try:
                    validator.validate(password, user)
                except ValidationError as error:
                    refused_by.add(type(validator).__name__)
                    for message in error.messages:
                        assert is_chinese(message), (type(validator).__name__, message)
    # every configured rule was exercised, so none of them can hide an English message
    assert refused_by == {type(v).__name__ for v in validators}


def test_too_short_is_chinese_on_the_password_change_page(client, make_user):
    make_user()
    login(client, "clerk")
    response = client.post(reverse("security:password_change"),
                           {"old_password": PASSWORD, "new_password1": "Ab1-x", "new_password2": "Ab1-x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "密码太短，至少须包含 8 个字符。" in html and "too short" not in html


@pytest.mark.parametrize("form_class", [SetPasswordForm, AdminPasswordChangeForm])
def test_password_set_forms_answer_in_chinese(make_user, form_class):
    user = make_user()
    fields = ("new_password1", "new_password2") if form_class is SetPasswordForm else ("password1", "password2")
    with translation.override("zh-hans"):
        short = form_class(user, {fields[0]: "Ab1-x", fields[1]: "Ab1-x"})
        mismatch = form_class(user, {fields[0]: "Fenhe-River-77", fields[1]: "Fenhe-River-78"})
        messages = [m for form in (short, mismatch) for errors in form.errors.values() for m in errors]
    assert not short.is_valid() and not mismatch.is_valid()
    assert "密码太短，至少须包含 8 个字符。" in messages
    assert all(is_chinese(m) for m in messages), messages
