"""The job fair's services: registration, check-in at the door (refusals by code), the intention ladder, the funnel."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yiti.activities.fairs import services
from yiti.activities.fairs.testing import make_fair, make_intention, make_position
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    exc = caught.value
    if hasattr(exc, "error_dict"):
        return {name: [e.code for e in errors] for name, errors in exc.error_dict.items()}
    return {None: [e.code for e in exc.error_list]}


def test_registration_gets_a_code_and_checks_in_once():
    # given a registered talent
    fair, talent = make_fair(), make_talent()
    registration = services.register(fair, user=None, talent=talent)
    assert len(registration.code) == 8
    # when the code is scanned (the QR carries the whole address) at this fair's door
    checked = services.check_in(fair, user=None, code=f"http://x/activities/{fair.pk}/checkin/?code={registration.code}")
    # then the talent is checked in, and a second scan is refused
    assert checked.status == "checked_in" and checked.checked_in_at is not None
    assert refused(services.check_in, fair, user=None, code=registration.code) == {"code": ["already_checked_in"]}


def test_check_in_refuses_a_cancelled_registration_or_one_of_another_fair_in_chinese():
    from django.utils import translation

    fair, other = make_fair(), make_fair()
    cancelled = services.register(fair, user=None, talent=make_talent())
    services.cancel(cancelled, user=None)
    elsewhere = services.register(other, user=None, talent=make_talent())
    assert refused(services.check_in, fair, user=None, code=cancelled.code) == {"code": ["cancelled"]}
    assert refused(services.check_in, fair, user=None, code=elsewhere.code) == {"code": ["other_fair"]}
    assert refused(services.check_in, fair, user=None, code="ZZZZ2222") == {"code": ["unknown"]}
    assert refused(services.check_in, fair, user=None, code="  ") == {"code": ["required"]}
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.check_in(fair, user=None, code=elsewhere.code.lower())
    assert "另一场招聘会" in caught.value.messages[0]
    assert other.title not in caught.value.messages[0]  # the other fair is not named
    elsewhere.refresh_from_db()
    assert elsewhere.status == "registered"


def test_a_talent_registers_once_and_a_cancelled_registration_is_renewed_with_a_new_code():
    fair, talent = make_fair(), make_talent()
    first = services.register(fair, user=None, talent=talent)
    assert refused(services.register, fair, user=None, talent=talent) == {"talent": ["already_registered"]}
    old_code = first.code
    services.cancel(first, user=None)
    again = services.register(fair, user=None, talent=talent)
    assert again.pk == first.pk and again.status == "registered" and again.code != old_code


def test_only_a_job_fair_takes_registrations():
    from yiti.activities.testing import make_event

    lecture = make_event(event_type="doctoral_lecture")
    assert refused(services.register, lecture, user=None, talent=make_talent()) == {None: ["not_a_fair"]}


def test_the_intention_ladder_moves_one_step_at_a_time_with_dates_in_order():
    position = make_position(fair=make_fair(start_date=datetime.date(2025, 3, 1)))
    talent = make_talent()
    intention = services.record_intention(position, user=None, talent=talent, date=datetime.date(2025, 3, 1))
    assert refused(services.record_intention, position, user=None, talent=talent,
                   date=datetime.date(2025, 3, 2)) == {"talent": ["duplicate"]}
    assert refused(services.record_intention, position, user=None, talent=make_talent(),
                   date=datetime.date(2025, 2, 1)) == {"date": ["before_fair"]}
    assert refused(services.advance, intention, user=None, stage="hired",
                   date=datetime.date(2025, 3, 5)) == {"stage": ["ladder"]}
    assert refused(services.advance, intention, user=None, stage="interview",
                   date=datetime.date(2025, 2, 5)) == {"date": ["date_order"]}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert refused(services.advance, intention, user=None, stage="interview", date=tomorrow) == {"date": ["future"]}
    services.advance(intention, user=None, stage="interview", date=datetime.date(2025, 3, 5))
    services.advance(intention, user=None, stage="hired", date=datetime.date(2025, 3, 10))
    intention.refresh_from_db()
    assert (intention.stage, intention.interview_date, intention.decided_date) == (
        "hired", datetime.date(2025, 3, 5), datetime.date(2025, 3, 10))
    assert refused(services.advance, intention, user=None, stage="not_hired",
                   date=datetime.date(2025, 3, 11)) == {"stage": ["ladder"]}


def test_the_funnel_counts_each_step():
    fair = make_fair(start_date=datetime.date(2025, 3, 1))
    talents = [make_talent() for _ in range(4)]
    regs = [services.register(fair, user=None, talent=t) for t in talents]
    services.cancel(regs[3], user=None)
    services.check_in(fair, user=None, code=regs[0].code)
    services.check_in(fair, user=None, code=regs[1].code)
    position = make_position(fair=fair)
    hired = make_intention(position, talents[0], stage="hired", interview_date=datetime.date(2025, 3, 2))
    make_intention(position, talents[1], stage="not_hired", interview_date=datetime.date(2025, 3, 2))
    make_intention(position, talents[2])
    make_intention(make_position(), talents[0])  # another fair's
    assert hired.stage == "hired"
    assert services.funnel(fair) == {"registered": 3, "checked_in": 2, "intentions": 3, "interviews": 2, "hired": 1}
