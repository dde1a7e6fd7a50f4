"""Issue 12, item 20: 疑似重复 lists candidate pairs by the import's keys, within the user's scope, each with
one click into the merge page prefilled with the pair."""

import pytest
from django.urls import reverse

from yiti.core.registry import registries
from yiti.imports import duplicates
from yiti.orgs.testing import make_enterprise, make_org
from yiti.results.testing import make_result
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent
from yiti.tests.world import MARKER_B, build_world

pytestmark = pytest.mark.django_db


def pairs_of(registry: str, user) -> set[tuple[int, int]]:
    return {(p.a, p.b) for p in duplicates.candidates(registries()[registry], user)}


def test_people_same_name_at_the_same_or_a_differently_spelled_organisation(admin_user):
    org = make_enterprise(name="榆次协和电力科技有限公司")
    variant = make_enterprise(name="榆次協和電力科技有限責任公司")
    other = make_org(name="山西大学")
    a = make_talent(name="李颖", organisation=org)
    b = make_talent(name="李穎", organisation=variant)   # traditional name, organisation spelled differently
    c = make_talent(name="李颖", organisation=other)     # another organisation, no discipline: a candidate
    make_talent(name="李英", organisation=org)           # another name: never
    found = {(p.a, p.b): str(p.reason) for p in duplicates.candidates(registries()["talents"], admin_user)}
    assert set(found) == {(a.pk, b.pk), (a.pk, c.pk), (b.pk, c.pk)}
    assert found[(a.pk, b.pk)] == "同名，单位名称写法不同"


def test_people_of_the_same_name_in_different_disciplines_are_not_paired(admin_user):
    from yiti.core.models import Discipline

    first, second = Discipline.objects.exclude(code="").order_by("code")[:2]
    a = make_talent(name="王磊", organisation=make_org(), discipline=first)
    b = make_talent(name="王磊", organisation=make_org(), discipline=second)
    assert (a.pk, b.pk) not in pairs_of("talents", admin_user)
    b.discipline = first
    b.save()
    assert (a.pk, b.pk) in pairs_of("talents", admin_user)


def test_results_with_near_identical_titles_and_the_same_leader(admin_user):
    owner = make_org(name="山西大学")
    leader = make_talent(name="赵明", organisation=owner)
    someone = make_talent(name="钱亮", organisation=owner)
    a = make_result(title="晋商史料整理与研究", owner=owner, leader=leader, trl=None, year=2019)
    b = make_result(title="晋商史料整理与研究（英文）", owner=owner, leader=leader, trl=None, year=2020)
    c = make_result(title="晋商史料整理与研究", owner=owner, leader=someone, trl=None)  # another team
    d = make_result(title="晋商史料整理与研究", owner=owner, leader=leader, trl=None, year=2024)  # a new grant
    e = make_result(title="晋商史料整理与研究", owner=owner, leader=leader, trl=None, year=2019,
                            identifier="19FZS001")  # 后期资助: its own number
    f = make_result(title="晋商史料整理与研究", owner=owner, leader=leader, trl=None, year=2019,
                            identifier="19BZS001")
    found = pairs_of("results", admin_user)
    assert (a.pk, b.pk) in found and (a.pk, e.pk) in found
    assert not {(a.pk, c.pk), (b.pk, c.pk), (a.pk, d.pk), (e.pk, f.pk)} & found


def test_organisations_with_near_identical_names(admin_user):
    a = make_enterprise(name="榆次协和电力科技有限公司")
    b = make_enterprise(name="榆次協和電力科技有限公司")
    c = make_enterprise(name="榆次协和电力设备有限公司")
    found = pairs_of("orgs", admin_user)
    assert (a.pk, b.pk) in found and not {(a.pk, c.pk), (b.pk, c.pk)} & found


def test_a_very_common_name_is_paired_only_where_the_organisation_agrees(admin_user):
    org = make_org()
    people = [make_talent(name="张伟", organisation=make_org()) for _ in range(duplicates.MAX_GROUP)]
    same_org = [make_talent(name="张伟", organisation=org) for _ in range(2)]
    assert len(people) + len(same_org) > duplicates.MAX_GROUP
    assert pairs_of("talents", admin_user) == {(same_org[0].pk, same_org[1].pk)}


def test_page_lists_pairs_with_a_prefilled_merge_link_that_merges(admin_client):
    org = make_org(name="山西大学")
    a = make_talent(name="李明", organisation=org, position="教授")
    b = make_talent(name="李 明", organisation=org, expertise="晋商史")
    list_page = admin_client.get(reverse("talents:talent_list")).content.decode()
    url = reverse("talents:talent_duplicates")
    assert f'href="{url}"' in list_page and "疑似重复" in list_page
    page = admin_client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "同名，同单位" in body
    [row] = page.context["rows"]
    assert row["first"] == a and row["second"] == b
    merge = admin_client.get(row["merge_url"])
    assert merge.status_code == 200 and merge.context["other"] == b  # one click: the comparison is shown
    admin_client.post(row["merge_url"], {"other": f"{b} #{b.pk}", "take": ["expertise"]})
    assert not Talent.objects.filter(pk=b.pk).exists()
    assert Talent.objects.get(pk=a.pk).expertise == "晋商史"
    assert admin_client.get(url).context["total"] == 0


@pytest.mark.parametrize("app", list(registries()))
def test_every_registry_has_the_page(admin_client, app):
    registry = registries()[app]
    assert admin_client.get(reverse(registry.url_name("duplicates"))).status_code == 200


def test_candidates_only_from_records_the_user_may_change(client):
    world = build_world()
    for county in (world.a, world.b):  # a pair in each county
        talent = county.records["talents.talent"]
        make_talent(name=talent.name, organisation=talent.organisation, division=talent.division)
    staff_a = world.users["county_staff_a"]
    mine = pairs_of("talents", staff_a)
    assert len(mine) == 1
    assert not {pk for pair in mine for pk in pair} & set(
        Talent.objects.filter(name__startswith=MARKER_B).values_list("pk", flat=True))
    client.force_login(staff_a)
    body = client.get(reverse("talents:talent_duplicates")).content.decode()
    assert "甲县专属张工" in body and MARKER_B not in body
    # Roles that may not merge (a leader views, an enterprise contact) do not get the page.
    for who in ("leader", "enterprise_contact_a"):
        client.force_login(world.users[who])
        assert client.get(reverse("talents:talent_duplicates")).status_code == 403
