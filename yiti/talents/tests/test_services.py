"""The contact log service on plain values: refusals by code, and what it records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yiti.talents import services
from yiti.talents.testing import make_talent


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {key: [e.code for e in errors] for key, errors in exc.error_dict.items()}


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "expected"), [
    ({"date": "tomorrow"}, {"date": ["future"]}),
    ({"date": None}, {"date": ["null"]}),
    ({"summary": "  "}, {"summary": ["blank"]}),
    ({"channel": "carrier_pigeon"}, {"channel": ["invalid_choice"]}),
])
def test_a_contact_is_refused_with_the_codes_of_its_fields(changes, expected):
    talent = make_talent()
    if changes.get("date") == "tomorrow":
        changes["date"] = timezone.localdate() + datetime.timedelta(days=1)
    given = {"date": datetime.date(2026, 1, 5), "channel": "phone", "summary": "电话回访", **changes}
    with pytest.raises(ValidationError) as caught:
        services.log_contact(talent, user=None, **given)
    assert codes(caught.value) == expected
    assert talent.contacts.count() == 0


@pytest.mark.django_db
def test_a_contact_of_today_is_recorded_with_its_author(django_user_model):
    user = django_user_model.objects.create_user("clerk", password="Pw-123456x", role="staff")
    talent = make_talent()
    contact = services.log_contact(talent, user=user, date=timezone.localdate(), channel="wechat",
                                   summary="  微信联系，了解回乡意向 ")
    assert contact.by_user == user and contact.summary == "微信联系，了解回乡意向"
    assert list(talent.contacts.all()) == [contact]


@pytest.mark.parametrize(("values", "expected"), [
    ({"birth_year": 1890}, {"birth_year": ["birth_year_range"]}),
    ({"population": "native_elsewhere", "category": ""}, {"category": ["category_needed"]}),
])
@pytest.mark.django_db
def test_a_talents_own_rules_refuse_with_codes(values, expected):
    from yiti.talents.models import Talent

    with pytest.raises(ValidationError) as caught:
        Talent(name="李四", **values).clean()
    assert codes(caught.value) == expected


@pytest.mark.django_db
def test_a_birth_year_that_differs_from_the_id_number_is_refused_by_code():
    from yiti.core.testing import valid_id_number
    from yiti.talents.models import Talent

    talent = Talent(name="李四", id_number=valid_id_number("19790302"), birth_year=1980)
    with pytest.raises(ValidationError) as caught:
        talent.clean()
    assert codes(caught.value) == {"birth_year": ["birth_year_mismatch"]}
