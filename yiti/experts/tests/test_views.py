import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yiti.core.testing import RegistryViewTests
from yiti.experts import services
from yiti.experts.testing import make_expert_role
from yiti.orgs.testing import make_enterprise
from yiti.talents.testing import make_talent


def role_data():
    talent = make_talent(name="王建国")
    return {"talent": f"王建国 #{talent.pk}", "role": "consulting", "capacity": 3, "status": "active"}


class TestExpertRoleViews(RegistryViewTests):
    app, model_name = "experts", "expertrole"
    list_queries = 7  # session, user, demo flag, filter selects, count, page ids, rows
    make = staticmethod(make_expert_role)
    list_label = staticmethod(lambda role: role.talent.name)
    create_data = staticmethod(role_data)
    edit_changes = {"capacity": 5}
    invalid_cases = [
        ({"role": "vice_president", "capacity": 2}, "capacity", "一家企业"),
        ({"start_date": "2025-05-01", "end_date": "2025-01-01"}, "end_date", "早于"),
        ({"talent": "查无此人"}, "talent", "查无此人"),
    ]
    filter_cases = [
        ("role=commissioner", {"role": "commissioner"}, {"role": "consulting"}),
        # the keyword reads the expert's name, expertise and position, not the notes (docs/access.md, the pool)
        ("q=田间", {"expertise": "田间指导"}, {"expertise": "企业咨询", "notes": "田间指导"}),
    ]


@pytest.mark.django_db
def test_assignment_refused_beyond_capacity():
    role = make_expert_role(capacity=1)
    today = timezone.localdate()
    services.assign(role, make_enterprise(), today)
    with pytest.raises(ValidationError) as refused:
        services.assign(role, make_enterprise(), today)
    assert refused.value.code == "capacity"
    assert role.assignments.count() == 1


@pytest.mark.django_db
def test_assignment_after_the_first_ended_is_accepted():
    role = make_expert_role(capacity=1)
    services.assign(role, make_enterprise(), datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    services.assign(role, make_enterprise(), datetime.date(2025, 1, 1))
    assert role.assignments.count() == 2


@pytest.mark.django_db
def test_assignment_form_on_detail_page(admin_client):
    from django.urls import reverse

    role = make_expert_role(capacity=2)
    enterprise = make_enterprise()
    url = reverse("experts:expertrole_add_assignment", args=[role.pk])
    response = admin_client.post(url, {"organisation": enterprise.name, "start_date": "2026-01-01"}, follow=True)
    assert role.assignments.filter(organisation=enterprise).exists()
    assert enterprise.name in response.content.decode()
