"""A need becomes readable by the university / expert contact a published matching item is addressed to
(issue 14 §1; yiti/matching/visibility.py, registered through yiti.core.extensions.add_visibility)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from yiti.accounts.models import Role
from yiti.accounts.testing import make_user
from yiti.core import extensions
from yiti.matching.models import MatchingItem, MatchingList
from yiti.matching.visibility import needs_addressed_to
from yiti.needs.models import Need
from yiti.tests.world import MARKER_B, build_world


@pytest.fixture
def world(db):
    return build_world()


def visible_needs(user) -> set[int]:
    return set(Need.objects.restrict(user, "view").values_list("pk", flat=True))


def address(world, need, organisation, published: bool) -> MatchingItem:
    matching_list = MatchingList.objects.create(title="铸造企业需求对接清单", kind="needs",
                                                created_by=world.users["city_staff"])
    return MatchingItem.objects.create(
        matching_list=matching_list, source=f"need:{need.pk}", candidate=f"org:{organisation.pk}", need=need,
        enterprise=need.enterprise, addressee=organisation, division=need.enterprise.division,
        published_at=timezone.now() if published else None)


def test_the_rule_is_registered_for_needs():
    assert needs_addressed_to in extensions.visibility_rules("needs.need")


def test_a_university_contact_sees_a_need_once_an_item_addressed_to_it_is_published(world, client):
    contact = world.users["university_contact_a"]
    need = world.b.records["needs.need"]
    assert need.pk not in visible_needs(contact)
    item = address(world, need, world.a.university, published=False)
    assert need.pk not in visible_needs(contact)  # proposed, not yet published
    item.published_at = timezone.now()
    item.save()
    assert need.pk in visible_needs(contact)
    # viewing only, and its public fields: no contact person or phone, no edit
    assert not Need.objects.restrict(contact, "change").filter(pk=need.pk).exists()
    need.contact_name, need.phone = f"{MARKER_B}刘经理", "13655557777"
    need.save()
    client.force_login(contact)
    response = client.get(reverse("needs:need_detail", args=[need.pk]))
    assert response.status_code == 200 and response.context["public_profile"]
    html = response.content.decode()
    assert need.title in html and MARKER_B + "刘经理" not in html and "7777" not in html


def test_an_expert_organisations_contact_sees_it_the_same_way(world):
    enterprise_contact = world.users["enterprise_contact_a"]  # an expert's organisation may be any organisation
    need = world.b.records["needs.need"]
    address(world, need, world.a.enterprise, published=True)
    assert need.pk in visible_needs(enterprise_contact)


def test_nobody_else_gains_the_need(world):
    need = world.b.records["needs.need"]
    address(world, need, world.a.university, published=True)
    for who in ("county_staff_a", "enterprise_contact_a", "department_staff_a"):
        assert need.pk not in visible_needs(world.users[who]), who
    other = make_user("uni_other", Role.ORG_CONTACT, organisation=world.b.university)
    assert need.pk not in visible_needs(other)
    # other needs of the same enterprise stay hidden from the addressee
    assert visible_needs(world.users["university_contact_a"]) == {need.pk}
