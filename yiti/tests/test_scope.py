import pytest
from django.urls import reverse

from yiti.accounts.models import ObjectGrant
from yiti.needs.models import Need
from yiti.talents.models import Talent
from yiti.tests.world import MARKER_B, PUBLIC_B, build_world

# The registries whose world record of county B is in the city-wide pool (docs/access.md): its expert (the talent
# and the role), its research result and its platform. Its enterprise, need and agreement are not.
POOLED = {"talents.talent", "experts.expertrole", "results.result", "platforms.platform"}


@pytest.fixture
def world(db):
    return build_world()


def visible(model, user):
    return set(model.objects.restrict(user, "view").values_list("pk", flat=True))


def test_county_staff_see_their_county_and_the_city_wide_pool_only(world):
    user = world.users["county_staff_a"]
    for label, record in world.a.records.items():
        model = type(record)
        seen = visible(model, user)
        assert record.pk in seen, label
        assert {r.pk for r in world.a.hidden.get(label, [])} <= seen, label
        assert (world.b.records[label].pk in seen) == (label in POOLED), label
        assert not {r.pk for r in world.b.hidden.get(label, [])} & seen, label
    assert world.b.university.pk in visible(type(world.b.university), user)


def test_department_scope_is_what_its_members_created(world, client):
    user = world.users["department_staff_a"]
    assert visible(Need, user) == set()  # the fixtures were created by nobody
    client.force_login(user)
    # an enterprise another department entered is not theirs to link to
    response = client.post(reverse("needs:need_add"), {
        "enterprise": world.a.enterprise.name, "need_type": "technology", "title": "本部门录入的需求",
        "published_date": "2026-01-05", "status": "published"})
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    # one they entered themselves is
    client.post(reverse("orgs:organisation_add"), {"name": "本部门登记的企业", "org_type": "enterprise",
                                                   "division": world.a.division.pk})
    response = client.post(reverse("needs:need_add"), {
        "enterprise": "本部门登记的企业", "need_type": "technology", "title": "本部门录入的需求",
        "published_date": "2026-01-05", "status": "published"})
    assert response.status_code == 302
    assert visible(Need, user) == {Need.objects.get(title="本部门录入的需求").pk}


def test_organisation_contact_sees_own_organisation_records(world):
    enterprise_user = world.users["enterprise_contact_a"]
    assert visible(Need, enterprise_user) == {world.a.records["needs.need"].pk}
    university_user = world.users["university_contact_a"]
    # their own talents, and the experts of the city-wide pool (county B's)
    assert visible(Talent, university_user) == {world.a.records["talents.talent"].pk,
                                                 *(t.pk for t in world.a.hidden["talents.talent"]),
                                                 world.b.records["talents.talent"].pk}
    assert not visible(Need, university_user)


def test_leader_reads_everything_and_changes_nothing(world, client):
    leader = world.users["leader"]
    assert {world.a.records["needs.need"].pk, world.b.records["needs.need"].pk} <= visible(Need, leader)
    assert not Need.objects.restrict(leader, "change").exists()
    client.force_login(leader)
    need = world.b.records["needs.need"]
    assert client.get(reverse("needs:need_edit", args=[need.pk])).status_code == 403
    assert client.post(reverse("needs:need_delete", args=[need.pk])).status_code == 403


def test_administrator_roles_see_no_records(world):
    for role in ("sysadmin", "secadmin", "auditor"):
        assert not visible(Need, world.users[role]) and not visible(Talent, world.users[role]), role


def test_county_staff_cannot_move_a_record_out_of_their_county(world, client):
    user = world.users["county_staff_a"]
    client.force_login(user)
    org = world.a.records["orgs.organisation"]
    response = client.post(reverse("orgs:organisation_edit", args=[org.pk]), {
        "name": org.name, "org_type": "enterprise", "division": world.b.division.pk, "ladder_stage": "tech_sme"})
    assert response.status_code == 200
    assert "数据范围" in response.content.decode()
    org.refresh_from_db()
    assert org.division == world.a.division


def test_enterprise_contact_cannot_file_a_need_for_another_enterprise(world, client):
    client.force_login(world.users["enterprise_contact_a"])
    before = Need.objects.count()
    response = client.post(reverse("needs:need_add"), {
        "enterprise": world.b.enterprise.name, "need_type": "technology", "title": "冒名需求",
        "published_date": "2026-01-05", "status": "published"})
    assert response.status_code == 200 and Need.objects.count() == before


def test_object_grant_opens_one_record_of_another_county(world):
    user = world.users["county_staff_a"]
    need_b = world.b.records["needs.need"]
    grant = ObjectGrant.objects.create(name="协查", content_type_id=_ct(Need), actions="view",
                                       constraints={"pk__in": [need_b.pk]})
    grant.users.add(user)
    user = type(user).objects.get(pk=user.pk)  # a new request: grants are read once per request
    assert need_b.pk in visible(Need, user)
    assert not Need.objects.restrict(user, "change").filter(pk=need_b.pk).exists()


def _ct(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def test_list_pages_do_not_show_the_other_county(world, client):
    client.force_login(world.users["county_staff_a"])
    for url_name in ("orgs:organisation_list", "talents:talent_list", "needs:need_list", "results:result_list",
                     "platforms:platform_list", "agreements:agreement_list", "experts:expertrole_list", "home"):
        html = client.get(reverse(url_name)).content.decode()
        assert MARKER_B not in html, url_name
        # the pooled records of county B are listed, with their public fields
        assert (PUBLIC_B in html) == (url_name in {"orgs:organisation_list", "talents:talent_list",
                                                   "results:result_list", "platforms:platform_list",
                                                   "experts:expertrole_list"}), url_name


def test_new_account_without_role_sees_nothing(world, client, django_user_model):
    user = django_user_model.objects.create_user("newbie", password="Zs-2026-access!")
    client.force_login(user)
    assert client.get(reverse("needs:need_list")).status_code == 403
    assert not visible(Need, user)


def test_a_county_officers_division_tree_is_walked_once_per_request(world):
    """A list page asks for the scope several times (its rows, its count, each lookup): the county's divisions are
    read once for the user object the request holds, not once per question."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiti.core.access import scope_q

    user = world.users["county_staff_a"]
    with CaptureQueriesContext(connection) as first:
        scope_q(user, Need)
    with CaptureQueriesContext(connection) as again:
        for model in (Need, Talent, Need):
            scope_q(user, model)
    assert any("core_division" in q["sql"] for q in first.captured_queries)
    assert not any("core_division" in q["sql"] for q in again.captured_queries)
