"""Validators for the identifiers office staff type in: credit codes, ID numbers, mobile numbers.

Each cleaner normalises what people paste from spreadsheets (full-width characters, spaces,
lower case) and raises ValidationError with a message that names the reason.
"""

import datetime
import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def to_half_width(text: str) -> str:
    """Full-width letters, digits and punctuation (as typed with a Chinese IME) to ASCII."""
    return unicodedata.normalize("NFKC", text)


def compact(text: str) -> str:
    return re.sub(r"[\s\-]+", "", to_half_width(text or "")).upper()


# GB 32100-2015: 31 characters, I O Z S V are never used.
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARSET[(31 - total % 31) % 31]


def clean_credit_code(value: str) -> str:
    code = compact(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        )
    if not _USCC_RE.match(code):
        raise ValidationError(
            _("A unified social credit code uses digits and upper-case letters except I, O, S, V and Z."),
            code="charset",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check character of this credit code is wrong: it should be %(expected)s, not %(got)s."),
            code="check",
            params={"expected": expected, "got": code[17]},
        )
    return code


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def clean_id_number(value: str, today: datetime.date | None = None) -> str:
    """A resident identity number (GB 11643-1999): 18 characters, birth date, check character."""
    number = compact(value)
    if len(number) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(number)},
        )
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(
            _("A resident ID number is 17 digits followed by a digit or X."), code="charset"
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date %(date)s inside this ID number does not exist."),
            code="birth_date",
            params={"date": number[6:14]},
        ) from None
    today = today or timezone.localdate()
    if birth.year < 1900 or birth > today:
        raise ValidationError(
            _("The birth date %(date)s inside this ID number is not plausible."),
            code="birth_date",
            params={"date": number[6:14]},
        )
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The check character of this ID number is wrong: it should be %(expected)s, not %(got)s."),
            code="check",
            params={"expected": expected, "got": number[17]},
        )
    return number


def clean_mobile(value: str) -> str:
    """A mainland mobile number: 11 digits starting 13–19; +86 or 0086 prefixes are dropped."""
    number = re.sub(r"[\s\-()（）]+", "", to_half_width(value or ""))
    number = re.sub(r"^(\+86|0086)", "", number)
    if not re.fullmatch(r"\d+", number):
        raise ValidationError(_("A mobile number may contain only digits."), code="charset")
    if len(number) != 11:
        raise ValidationError(
            _("A mobile number has 11 digits; this one has %(n)d."), code="length", params={"n": len(number)}
        )
    if not re.fullmatch(r"1[3-9]\d{9}", number):
        raise ValidationError(_("A mobile number starts with 13 to 19."), code="prefix")
    return number


def clean_phone(value: str) -> str:
    """A mobile number, or a landline with its area code (0354-1234567, extension after #)."""
    text = re.sub(r"[\s()（）]+", "", to_half_width(value or ""))
    digits = re.sub(r"^(\+86|0086)", "", text)
    if re.fullmatch(r"1\d{10}", digits.replace("-", "")):
        return clean_mobile(digits)
    if m := re.fullmatch(r"(0\d{2,3})-?(\d{7,8})(?:[#转](\d{1,6}))?", digits):
        area, local, ext = m.groups()
        return f"{area}-{local}" + (f"#{ext}" if ext else "")
    raise ValidationError(
        _("A phone number is an 11-digit mobile number or a landline with its area code, e.g. 0354-1234567."),
        code="format",
    )


def not_in_future(value: datetime.date | None) -> None:
    """For a date that records something that happened (signed, published, accredited, contacted).

    A deadline or a renewal date may lie ahead and does not use this; the list of decisions is in
    docs/forms.md. On model fields, so that forms and imports apply the same rule.
    """
    today = timezone.localdate()
    if value is not None and value > today:
        raise ValidationError(
            _("The date %(value)s lies after today (%(today)s); it records something that has happened."),
            code="future", params={"value": value.isoformat(), "today": today.isoformat()},
        )


# Django's own messages reworded so that they name the field ("名称最多 200 个字，现在有 10000 个字"),
# by error code. Forms (yiti.core.forms.NamedErrorsMixin) and imports (yiti.imports.plan) use them.
FIELD_MESSAGES = {
    "max_length": _("%(field)s may have at most %(limit_value)d characters; this one has %(show_value)d."),
    "min_length": _("%(field)s needs at least %(limit_value)d characters; this one has %(show_value)d."),
    "required": _("%(field)s is required."),
    "blank": _("%(field)s is required."),
    "null": _("%(field)s is required."),
    "max_value": _("%(field)s may be at most %(limit_value)s."),
    "min_value": _("%(field)s must be at least %(limit_value)s."),
    "future": _("%(field)s %(value)s lies after today (%(today)s); it records something that has happened."),
}
# Other codes of Django's built-in messages ("请输入一个有效的日期。"): the field's name is put before them.
PREFIXED_CODES = {"invalid", "invalid_choice", "invalid_list", "invalid_pk_value", "max_digits",
                  "max_decimal_places", "max_whole_digits", "invalid_date", "overflow", "ambiguous",
                  "wrong_kind", "step_size"}


def name_the_field(error: ValidationError, label: Any) -> ValidationError:
    """`error` (one message) reworded to name the field `label` in the user's words."""
    if not label or not getattr(error, "code", None):
        return error
    params = {**(error.params or {}), "field": label}
    if error.code in FIELD_MESSAGES:
        return ValidationError(FIELD_MESSAGES[error.code], code=error.code, params=params)
    if error.code in PREFIXED_CODES:
        try:
            text = str(error.message) % error.params if error.params else str(error.message)
        except (KeyError, TypeError, ValueError):
            text = str(error.message)
        return ValidationError(_("%(field)s: %(message)s"), code=error.code, params={"field": label, "message": text})
    return error
