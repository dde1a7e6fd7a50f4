"""Activities through the API (docs/api.md): another system writes events through the same form as the page."""

import json

import pytest
from django.test import Client

from yiti.accounts.models import Department, Role, Scope
from yiti.accounts.testing import make_user
from yiti.activities.models import Event
from yiti.core.models import Division

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    division = Division.objects.get(code="140702")
    department = Department.objects.create(name="榆次区人才办", kind="office", division=division)
    client = Client()
    client.force_login(make_user("talent_office", Role.STAFF, scope=Scope.COUNTY, department=department))
    return client, division


def post(client, body):
    return client.post("/api/activities/", data=json.dumps(body), content_type="application/json")


def test_an_event_is_created_and_changed_through_the_api(officer):
    client, division = officer
    response = post(client, {"event_type": "doctoral_lecture", "title": "博士大讲堂：铸造工艺", "status": "held",
                             "start_date": "2025-04-10", "division": division.pk, "attendance": 120})
    assert response.status_code == 201, response.content
    event = Event.objects.get(title="博士大讲堂：铸造工艺")
    assert event.division == division and event.attendance == 120
    patched = client.patch(f"/api/activities/{event.pk}", data=json.dumps({"talents_introduced": 3}),
                           content_type="application/json")
    assert patched.status_code == 200, patched.content
    event.refresh_from_db()
    assert event.talents_introduced == 3 and event.attendance == 120


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"start_date": "2025-04-10", "end_date": "2025-04-01"}, "end_date", "早于"),
    ({"start_date": "2099-04-10", "status": "held"}, "status", "举办"),
    ({"start_date": "2099-04-10", "intentions_signed": 5}, "intentions_signed", "成果"),
    ({"start_date": "2025-04-10", "event_type": "party"}, "event_type", "无效"),
    ({"start_date": "2025-04-10", "attendance": -3}, "attendance", ""),
])
def test_bad_input_is_refused_with_the_field_and_the_reason_in_chinese(officer, body, field, words):
    client, division = officer
    full = {"event_type": "training", "title": "培训班", "division": division.pk, **body}
    response = post(client, full)
    assert response.status_code == 400, response.content
    errors = {e["param"]: e["message"] for e in response.json()["errors"]}
    assert field in errors and words in errors[field], errors
    assert not Event.objects.exists()


def test_an_event_in_another_county_is_refused_and_not_written(officer):
    client, _division = officer
    other = Division.objects.get(code="140703")
    response = post(client, {"event_type": "training", "title": "他县培训", "start_date": "2025-04-10",
                             "division": other.pk})
    assert response.status_code == 403
    assert not Event.objects.exists()
