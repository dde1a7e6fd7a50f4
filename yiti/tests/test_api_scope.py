import pytest

from yiti.tests.world import MARKER_B, PUBLIC_B, build_world


@pytest.fixture
def world(db):
    return build_world()


def test_api_lists_in_scope_and_masks_personal_data(world, client):
    client.force_login(world.users["county_staff_a"])
    response = client.get("/api/talents/")
    assert response.status_code == 200
    body = response.json()
    # the county's three talents and county B's expert (the city-wide pool), never B's other talents
    assert body["count"] == 4 and MARKER_B not in response.content.decode()
    by_id = {row["id"]: row for row in body["results"]}
    talent = by_id[world.a.records["talents.talent"].pk]
    assert talent["mobile"] == "139****5678" and "*" in talent["id_number"]
    # the pooled expert of county B: their public profile, no personal data at all
    expert_b = by_id[world.b.records["talents.talent"].pk]
    assert expert_b["name"].startswith(PUBLIC_B) and expert_b["organisation"].startswith(PUBLIC_B)
    assert expert_b["mobile"] == expert_b["id_number"] == expert_b["email"] == expert_b["notes"] == ""


def test_api_masks_even_for_users_who_may_reveal(world, client):
    from yiti.accounts.testing import make_user

    client.force_login(make_user("revealer", "staff", scope="city", may_reveal_personal_data=True))
    assert "13912345678" not in client.get("/api/talents/").content.decode()


def test_api_detail_outside_scope_is_404(world, client):
    client.force_login(world.users["enterprise_contact_a"])
    assert client.get(f"/api/needs/{world.b.records['needs.need'].pk}").status_code == 404
    assert client.get(f"/api/needs/{world.a.records['needs.need'].pk}").json()["title"].startswith("甲县专属")


def test_api_keyword_filter_and_paging(world, client):
    client.force_login(world.users["leader"])
    body = client.get("/api/needs/?q=乙县专属&per_page=1").json()
    assert body["count"] == 1 and body["results"][0]["title"].startswith(MARKER_B)
    assert client.get("/api/needs/?per_page=1000").status_code == 400
    assert client.get("/api/needs/?page=abc").status_code in (400, 422)


def test_api_refuses_anonymous_and_roles_without_records(world, client):
    assert client.get("/api/needs/").status_code == 401
    client.force_login(world.users["auditor"])
    assert client.get("/api/needs/").status_code == 403
