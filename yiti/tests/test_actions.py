"""The detail actions declared on the registries (yiti.core.actions): one view, the same checks for each."""

import pytest
from django.test import Client
from django.urls import reverse

from yiti.core.registry import registries
from yiti.tests.world import build_world


def declared():
    return [(registry, action) for registry in registries().values() for action in registry.actions]


def test_the_detail_actions_are_declared_with_the_url_names_the_templates_use():
    names = {registry.url_name(action.name) for registry, action in declared()}
    assert names == {"talents:talent_add_contact", "experts:expertrole_add_assignment",
                     "agreements:agreement_record_step",
                     "activities:event_register", "fairs:position_add_intention", "fairs:position_advance_intention",
                     *(f"supervision:task_{step}" for step in ("receive", "start", "report", "complete", "close",
                                                               "return_task", "split")),
                     "pairing:pairing_add_service", "policies:policy_add_item"}


@pytest.mark.django_db
def test_each_action_checks_method_role_and_scope():
    world = build_world()
    for registry, action in declared():
        key = registry.model._meta.label_lower
        theirs, ours = world.b.records[key], world.a.records[key]
        before = {rel.name: getattr(ours, rel.get_accessor_name()).count()
                  for rel in registry.model._meta.related_objects if rel.one_to_many}
        url = reverse(registry.url_name(action.name), args=[theirs.pk])
        officer, leader = Client(), Client()
        officer.force_login(world.users["county_staff_a"])
        leader.force_login(world.users["leader"])
        assert officer.get(url).status_code == 405, url
        assert officer.post(url, {}).status_code == 404, url  # another county's record
        ours_url = reverse(registry.url_name(action.name), args=[ours.pk])
        assert leader.post(ours_url, {}).status_code == 403, url  # a role that only views
        # the leader sees the page without the form; the officer gets it, and a refusal keeps the page
        assert leader.get(ours.get_absolute_url()).context[action.context_name] is None
        response = officer.post(ours_url, {})
        assert response.status_code == 400 and response.context[action.context_name].errors, url
        after = {rel.name: getattr(ours, rel.get_accessor_name()).count()
                 for rel in registry.model._meta.related_objects if rel.one_to_many}
        assert after == before, url
