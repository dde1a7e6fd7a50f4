"""The activity registry: its pages (the generic registry tests) and its own rules, refused by code."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yiti.activities.models import Event
from yiti.activities.testing import make_event
from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.orgs.testing import make_enterprise, make_org

D = datetime.date


def event_data():
    organiser = make_org(name="晋中学院（活动测试）", org_type="university")
    enterprise = make_enterprise(name="晋中精密铸造有限公司（活动测试）")
    return {"event_type": "job_fair", "title": "2025年晋中市高校毕业生春季招聘会", "status": "held",
            "start_date": "2025-03-15", "end_date": "2025-03-16", "place": "晋中学院体育馆",
            "division": testing.county().pk, "organisers": organiser.name, "participants": enterprise.name,
            "attendance": "1200", "intentions_signed": "310", "projects_introduced": "0", "talents_introduced": "85"}


class TestEventViews(RegistryViewTests):
    app, model_name = "activities", "event"
    list_queries = 7  # session, user, demo flag, count, page ids, rows …
    make = staticmethod(make_event)
    create_data = staticmethod(event_data)
    edit_changes = {"place": "晋中市会展中心"}
    invalid_cases = [
        ({"end_date": "2025-03-01"}, "end_date", "早于"),
        ({"start_date": ""}, "start_date", "必填"),
        ({"start_date": "2099-01-01", "end_date": "2099-01-02"}, "status", "举办"),
    ]
    filter_cases = [
        ("event_type=training", {"event_type": "training"}, {"event_type": "doctoral_lecture"}),
        ("start_date_after=2025-01-01&start_date_before=2025-12-31", {"start_date": D(2025, 5, 1)},
         {"start_date": D(2024, 5, 1)}),
    ]


def codes(caught) -> dict:
    return {name: [e.code for e in errors] for name, errors in caught.value.error_dict.items()}


@pytest.mark.parametrize(("values", "expected"), [
    ({"start_date": D(2025, 3, 2), "end_date": D(2025, 3, 1)}, {"end_date": ["end_before_start"]}),
    ({"start_date": D(2099, 3, 1), "status": "held"}, {"status": ["held_in_future"]}),
    ({"start_date": D(2099, 3, 1), "talents_introduced": 3}, {"talents_introduced": ["outcome_too_early"]}),
    ({"start_date": D(2025, 3, 1), "status": "cancelled", "intentions_signed": 2},
     {"intentions_signed": ["outcome_too_early"]}),
])
def test_an_events_dates_and_outcomes_are_refused_by_code(values, expected):
    with pytest.raises(ValidationError) as caught:
        Event(title="招聘会", event_type="job_fair", **values).clean()
    assert codes(caught) == expected


def test_a_held_event_of_today_with_outcomes_is_accepted():
    Event(title="招聘会", event_type="job_fair", start_date=timezone.localdate(), status="held",
          intentions_signed=5).clean()
