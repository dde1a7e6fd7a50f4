import pytest
from django.test import Client
from django.urls import reverse

from yiti.needs.models import Need
from yiti.security.models import AuthEvent
from yiti.tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_tampered_id_is_refused_logged_and_changes_nothing(world, client):
    client.force_login(world.users["county_staff_a"])
    need_b = world.b.records["needs.need"]
    before = Need.objects.filter(pk=need_b.pk).values().get()
    response = client.post(reverse("needs:need_edit", args=[need_b.pk]), {
        "enterprise": world.a.enterprise.name, "need_type": "talent", "title": "篡改", "status": "closed",
        "published_date": "2026-01-01"})
    assert response.status_code == 404
    assert Need.objects.filter(pk=need_b.pk).values().get() == before
    event = AuthEvent.objects.get(event="access_denied")
    assert event.user == world.users["county_staff_a"] and f"/needs/{need_b.pk}/edit/" in event.detail


def test_a_page_outside_the_role_is_refused_and_logged(world, client):
    client.force_login(world.users["auditor"])
    assert client.get(reverse("talents:talent_list")).status_code == 403
    assert AuthEvent.objects.filter(event="access_denied", user=world.users["auditor"]).exists()


def test_forged_csrf_is_refused_and_logged(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["county_staff_a"])
    before = Need.objects.count()
    response = client.post(reverse("needs:need_add"), {"title": "无令牌", "csrfmiddlewaretoken": "forged" * 8})
    assert response.status_code == 403 and Need.objects.count() == before
    assert AuthEvent.objects.filter(event="csrf_failed").exists()


def test_missing_record_is_404_without_an_access_denied_event(world, client):
    client.force_login(world.users["county_staff_a"])
    assert client.get(reverse("needs:need_detail", args=[987654])).status_code == 404
    assert not AuthEvent.objects.filter(event="access_denied").exists()
