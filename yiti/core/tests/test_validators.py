import datetime

import pytest
from django.core.exceptions import ValidationError

from yiti.core.validators import clean_credit_code, clean_id_number, clean_mobile, clean_phone

# Check characters computed by hand from GB 32100-2015's weights for these bodies.
VALID_CREDIT = "91350100M000100Y43"


@pytest.mark.parametrize("value", [VALID_CREDIT, VALID_CREDIT.lower(), " 9135 0100 M000 100Y 43 ",
                                   "９１３５０１００Ｍ０００１００Ｙ４３"])
def test_credit_code_valid_forms(value):
    assert clean_credit_code(value) == VALID_CREDIT


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y44", "check"),
        ("91350100M0001O0Y43", "charset"),  # letter O is never used
        ("", "length"),
    ],
)
def test_credit_code_invalid(value, code):
    with pytest.raises(ValidationError) as exc:
        clean_credit_code(value)
    assert exc.value.code == code


# 11010519491231002X is the sample number printed in GB 11643-1999.
@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"])
def test_id_number_valid(value):
    assert clean_id_number(value) == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "check"),
        ("11010519491331002X", "birth_date"),  # month 13
        ("11010518000101002X", "birth_date"),  # before 1900
        ("1101051949123100", "length"),
        ("11010519491231002Y", "charset"),
    ],
)
def test_id_number_invalid(value, code):
    with pytest.raises(ValidationError) as exc:
        clean_id_number(value)
    assert exc.value.code == code


def test_id_number_birth_in_future_is_refused():
    body = "14070220990101001"
    from yiti.core.validators import id_check_char

    with pytest.raises(ValidationError) as exc:
        clean_id_number(body + id_check_char(body), today=datetime.date(2026, 1, 1))
    assert exc.value.code == "birth_date"


@pytest.mark.parametrize("value", ["13800138000", "+86 138-0013-8000", "0086 13800138000", "１３８００１３８０００"])
def test_mobile_valid(value):
    assert clean_mobile(value) == "13800138000"


@pytest.mark.parametrize(("value", "code"), [("1380013800", "length"), ("12800138000", "prefix"),
                                              ("1380013800a", "charset")])
def test_mobile_invalid(value, code):
    with pytest.raises(ValidationError) as exc:
        clean_mobile(value)
    assert exc.value.code == code


@pytest.mark.parametrize(("value", "expected"), [("0354-3021234", "0354-3021234"), ("03543021234", "0354-3021234"),
                                                 ("(0354)3021234转8", "0354-3021234#8"), ("13800138000", "13800138000")])
def test_phone_valid(value, expected):
    assert clean_phone(value) == expected


def test_phone_invalid():
    with pytest.raises(ValidationError):
        clean_phone("12345")
