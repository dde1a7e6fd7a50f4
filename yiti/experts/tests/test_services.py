"""Assigning an expert on plain values: every refusal has its code."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from yiti.experts import services
from yiti.experts.testing import make_expert_role
from yiti.orgs.testing import make_enterprise
from yiti.tests.world import build_world

D = datetime.date


def refusal(**kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        services.assign(**kwargs)
    return caught.value


@pytest.mark.django_db
def test_an_ended_role_takes_no_assignment():
    role = make_expert_role(status="ended")
    assert refusal(role=role, organisation=make_enterprise(), start_date=D(2025, 1, 1)).code == "role_ended"
    assert not role.assignments.exists()


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused_on_the_end_date():
    error = refusal(role=make_expert_role(), organisation=make_enterprise(), start_date=D(2025, 3, 1),
                    end_date=D(2025, 1, 1))
    assert [e.code for e in error.error_dict["end_date"]] == ["end_before_start"]


@pytest.mark.django_db
def test_the_same_organisation_twice_in_one_period_is_refused():
    role, enterprise = make_expert_role(capacity=3), make_enterprise()
    services.assign(role, enterprise, D(2025, 1, 1))
    assert refusal(role=role, organisation=enterprise, start_date=D(2025, 6, 1)).code == "already_serving"


@pytest.mark.django_db
def test_a_full_capacity_is_refused():
    role = make_expert_role(capacity=1)
    services.assign(role, make_enterprise(), D(2025, 1, 1))
    assert refusal(role=role, organisation=make_enterprise(), start_date=D(2025, 6, 1)).code == "capacity"
    assert role.assignments.count() == 1


@pytest.mark.django_db
def test_an_organisation_outside_the_users_scope_is_refused():
    world = build_world()
    officer = world.users["county_staff_a"]
    role = world.a.records["experts.expertrole"]
    error = refusal(role=role, organisation=world.b.enterprise, start_date=D(2025, 1, 1), user=officer)
    assert [e.code for e in error.error_dict["organisation"]] == ["organisation_scope"]
    assignment = services.assign(role, world.a.enterprise, D(2025, 1, 1), user=officer)
    assert list(role.assignments.all()) == [assignment]


@pytest.mark.parametrize(("values", "expected"), [
    ({"start_date": D(2025, 3, 1), "end_date": D(2025, 1, 1)}, {"end_date": ["end_before_start"]}),
    ({"role": "vice_president", "capacity": 2}, {"capacity": ["vice_president_capacity"]}),
])
def test_a_roles_own_rules_refuse_with_codes(values, expected):
    from yiti.experts.models import ExpertRole

    with pytest.raises(ValidationError) as caught:
        ExpertRole(**{"role": "consulting", "capacity": 1, **values}).clean()
    assert {name: [e.code for e in errors] for name, errors in caught.value.error_dict.items()} == expected
