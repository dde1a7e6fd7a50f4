"""校地融合 pairing (issue 16 §3): pairs kept like every registry, services logged within the term, proposals from
the assignment solver within capacity and scope, outcome figures in the ledger."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yiti.accounts.models import Department, Role, Scope
from yiti.accounts.testing import make_user
from yiti.core.models import Division
from yiti.core.testing import RegistryViewTests
from yiti.orgs.testing import make_enterprise, make_org
from yiti.pairing import services
from yiti.pairing.models import Pairing, ServiceLog
from yiti.pairing.testing import make_community, make_pairing

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return Division.objects.get(code="140702")


@pytest.fixture
def other_county():
    return Division.objects.get(code="140703")


@pytest.fixture
def officer(county):
    city = Division.objects.get(code="140700")
    top = Department.objects.create(name="市科技局", kind="city", division=city)
    office = Department.objects.create(name="榆次区科技局", kind="office", parent=top, division=county)
    return make_user("pair_officer", Role.STAFF, scope=Scope.COUNTY, department=office)


def test_an_officer_pairs_a_community_of_the_county_with_a_university(client, officer, county):
    community = make_community(name="锦纶社区", division=county)
    university = make_org(name="晋中学院", org_type="university", division=county)
    client.force_login(officer)
    response = client.post(reverse("pairing:pairing_add"), {
        "community": "锦纶社区", "partner": "晋中学院", "status": "active", "term_start": "2026-03-01",
        "term_end": "2029-02-28", "community_needs": "养老服务", "partner_services": "护理培训"})
    assert response.status_code == 302, response.content.decode()[:2000]
    pairing = Pairing.objects.get()
    assert (pairing.community, pairing.partner, pairing.division) == (community, university, county)


def test_the_form_takes_only_each_sides_kinds_and_a_term_in_order(client, officer, county):
    make_enterprise(name="某机械公司", division=county)
    make_org(name="晋中学院", org_type="university", division=county)
    make_community(name="锦纶社区", division=county)
    client.force_login(officer)
    response = client.post(reverse("pairing:pairing_add"), {
        "community": "某机械公司", "partner": "晋中学院", "status": "active", "term_start": "2026-03-01"})
    assert response.status_code == 200 and "只能选择" in response.content.decode()
    response = client.post(reverse("pairing:pairing_add"), {
        "community": "锦纶社区", "partner": "晋中学院", "status": "active", "term_start": "2026-03-01",
        "term_end": "2025-01-01"})
    assert response.status_code == 200 and "任期在开始之前就结束了" in response.content.decode()
    assert not Pairing.objects.exists()


def test_a_service_is_logged_within_the_term_of_a_pair_in_force(officer, county):
    pairing = make_pairing(community=make_community(division=county), term_start=datetime.date(2026, 1, 1),
                           term_end=datetime.date(2026, 12, 31))
    services.log_service(pairing, user=officer, date=datetime.date(2026, 3, 5), content="健康讲座", people_served=40)
    with pytest.raises(ValidationError) as before:
        services.log_service(pairing, user=officer, date=datetime.date(2025, 12, 31), content="早了")
    assert "date" in before.value.error_dict
    pairing.status = "ended"
    pairing.save()
    with pytest.raises(ValidationError):
        services.log_service(pairing, user=officer, date=datetime.date(2026, 3, 6), content="已结束")
    assert list(ServiceLog.objects.values_list("content", flat=True)) == ["健康讲座"]


def test_the_detail_page_records_a_service_and_refuses_a_future_date(client, officer, county):
    pairing = make_pairing(community=make_community(division=county), division=county)
    client.force_login(officer)
    url = reverse("pairing:pairing_add_service", args=[pairing.pk])
    client.post(url, {"date": "2026-02-01", "content": "电商直播培训", "people_served": "25"})
    client.post(url, {"date": "2999-01-01", "content": "未来", "people_served": "1"})
    assert list(pairing.services.values_list("content", "people_served")) == [("电商直播培训", 25)]
    page = client.get(pairing.get_absolute_url()).content.decode()
    assert "电商直播培训" in page


def test_proposals_pair_most_communities_within_capacity_by_fit(county, other_county):
    elderly = make_community(name="甲社区", division=county, description="养老服务 老年人照护")
    commerce = make_community(name="乙社区", division=county, description="电商直播 农产品销售")
    third = make_community(name="丙社区", division=county, description="养老服务")
    nursing = make_org(name="护理学院", org_type="university", division=county, description="养老服务 护理培训")
    business = make_org(name="商学院", org_type="university", division=county, description="电商直播 市场营销")
    from yiti.orgs.models import Organisation

    found = services.propose(Organisation.objects.all(), Organisation.objects.all(), capacity=1)
    chosen = {(p.community, p.partner) for p in found.pairs}
    assert len(chosen) == 2 and len(found.unpaired) == 1
    assert (commerce, business) in chosen
    assert {(elderly, nursing), (third, nursing)} & chosen
    # A pair in force counts against its partner's capacity, and its community is not proposed again.
    make_pairing(community=elderly, partner=nursing, status="active")
    again = services.propose(Organisation.objects.all(), Organisation.objects.all(), capacity=1)
    assert {(p.community, p.partner) for p in again.pairs} == {(commerce, business)}
    assert again.unpaired == [third]


def test_proposals_can_keep_to_the_communitys_county(county, other_county):
    from yiti.orgs.models import Organisation

    community = make_community(name="甲社区", division=county, description="养老")
    make_org(name="外县学院", org_type="university", division=other_county, description="养老")
    found = services.propose(Organisation.objects.all(), Organisation.objects.all(), capacity=2,
                             same_county_only=True)
    assert found.pairs == [] and found.unpaired == [community]


def test_an_officer_confirms_proposals_and_cannot_confirm_another_countys_community(client, officer, county,
                                                                                    other_county):
    mine = make_community(name="甲社区", division=county, description="养老服务")
    theirs = make_community(name="外县社区", division=other_county, description="养老服务")
    partner = make_org(name="护理学院", org_type="university", division=county, description="养老服务")
    client.force_login(officer)
    page = client.get(reverse("pairing:pairing_proposals"), {"capacity": 3}).content.decode()
    assert "甲社区" in page and "外县社区" not in page
    forged = client.post(reverse("pairing:pairing_proposals"), {"pair": [f"{theirs.pk}:{partner.pk}"]})
    assert forged.status_code == 403 and not Pairing.objects.exists()
    response = client.post(reverse("pairing:pairing_proposals"), {"pair": [f"{mine.pk}:{partner.pk}"]})
    assert response.status_code == 302
    pairing = Pairing.objects.get()
    assert (pairing.community, pairing.partner, pairing.status, pairing.created_by) == (mine, partner, "active",
                                                                                       officer)
    assert pairing.term_end == pairing.term_start.replace(year=pairing.term_start.year + 3)


def test_a_leader_may_not_propose_pairs(client):
    client.force_login(make_user("pair_leader", Role.LEADER))
    assert client.get(reverse("pairing:pairing_proposals")).status_code == 403


def test_the_ledger_counts_pairs_formed_and_people_served_as_its_drill_down(officer, county):
    from yiti.dashboard import indicators

    pairing = make_pairing(community=make_community(division=county), division=county,
                           term_start=datetime.date(2026, 2, 1))
    make_pairing(community=make_community(division=county), division=county, term_start=datetime.date(2025, 2, 1))
    make_pairing(community=make_community(division=county), division=county, status="proposed",
                 term_start=datetime.date(2026, 5, 1))
    services.log_service(pairing, user=officer, date=datetime.date(2026, 3, 1), content="讲座", people_served=30)
    services.log_service(pairing, user=officer, date=datetime.date(2026, 4, 1), content="义诊", people_served=12)
    formed, served = indicators.get("pairs_formed"), indicators.get("pair_services")
    assert indicators.value(formed, None, 2026) == 1
    assert list(indicators.records(formed, None, 2026)) == [pairing]
    assert indicators.value(served, None, 2026) == 42
    assert indicators.value(served, officer, 2026, county) == 42


def pairing_data():
    community = make_community(name="锦纶社区（测试）")
    make_org(name="晋中学院（测试）", org_type="university", division=community.division)
    return {"community": "锦纶社区（测试）", "partner": "晋中学院（测试）", "status": "active",
            "term_start": "2026-03-01", "term_end": "2029-02-28", "community_needs": "养老服务"}


class TestPairingViews(RegistryViewTests):
    app, model_name = "pairing", "pairing"
    list_queries = 7  # session, user, demo flag, filter select, count, page ids, rows, …
    make = staticmethod(make_pairing)
    list_label = staticmethod(lambda pairing: pairing.community.name)  # the table shows each side in its column
    create_data = staticmethod(pairing_data)
    edit_changes = {"status": "ended"}
    invalid_cases = [({"term_end": "2020-01-01"}, "term_end", "截止日期早于起始日期"),
                     ({"partner": "锦纶社区（测试）"}, "partner", "只能选择")]
    filter_cases = [("status=proposed", {"status": "proposed"}, {"status": "active"})]


def _world_of_proposals(county, other_county, communities=36, partners=7):
    """Communities and partners in two counties with needs and services drawn from a few themes, some without a
    county or a text, and two pairs in force with the first partner."""
    import random

    rng = random.Random(16)
    themes = ["养老服务", "老年人照护", "电商直播", "农产品销售", "青少年科普", "法律援助", "社区医疗", "垃圾分类",
              "文化活动", "就业培训"]
    made_communities = [make_community(name=f"社区{n:02d}", division=rng.choice([county, other_county, None]),
                                       description=" ".join(rng.sample(themes, rng.randint(0, 3))))
                        for n in range(communities)]
    made_partners = [make_org(name=f"学院{n}", org_type=rng.choice(["university", "institute", "government"]),
                              division=rng.choice([county, other_county]),
                              description=" ".join(rng.sample(themes, rng.randint(1, 4))))
                     for n in range(partners)]
    for community in made_communities[:2]:
        make_pairing(community=community, partner=made_partners[0], status="active", community_needs="",
                     partner_services="")
    return made_communities, made_partners


def _by_brute_force(capacity, same_county_only=False):
    """The proposals as first written: fit() for every community × partner pair, then the solver."""
    from yiti.engine import Candidate, assign
    from yiti.orgs.models import Organisation

    active = Pairing.objects.filter(status="active")
    paired = set(active.values_list("community_id", flat=True))
    communities = [c for c in Organisation.objects.filter(org_type="community") if c.pk not in paired]
    partners = list(Organisation.objects.filter(org_type__in=["university", "institute", "government"]))
    candidates = [Candidate(f"p{p.pk}", f"c{c.pk}", round(services.fit(c.description, p.description), 4),
                            c.division_id is not None and c.division_id == p.division_id)
                  for c in communities for p in partners
                  if not same_county_only or (c.division_id is not None and c.division_id == p.division_id)]
    room = {f"p{p.pk}": max(0, capacity - active.filter(partner=p).count()) for p in partners}
    result = assign([f"c{c.pk}" for c in communities], room, candidates, same_county_weight=0.2)
    return {(p.target, p.expert, p.fit) for p in result.pairs}


@pytest.mark.parametrize(("capacity", "same_county_only"), [(3, False), (6, False), (4, True)])
def test_proposals_scored_at_once_are_those_of_scoring_pair_by_pair(county, other_county, capacity,
                                                                    same_county_only):
    from yiti.orgs.models import Organisation

    _world_of_proposals(county, other_county)
    found = services.propose(Organisation.objects.all(), Organisation.objects.all(), capacity=capacity,
                             same_county_only=same_county_only)
    mine = {(f"c{p.community.pk}", f"p{p.partner.pk}", p.fit) for p in found.pairs}
    assert mine and mine == _by_brute_force(capacity, same_county_only)


def test_narrowed_proposals_keep_capacity_pairs_in_force_and_the_county(county, other_county):
    """Past max_candidates each community keeps its best partners only: the rules still hold."""
    from yiti.orgs.models import Organisation

    communities, partners = _world_of_proposals(county, other_county)
    everyone = Organisation.objects.all()
    full = services.propose(everyone, everyone, capacity=3)
    narrowed = services.propose(everyone, everyone, capacity=3, max_candidates=2 * len(communities))
    assert len(narrowed.pairs) <= len(full.pairs)
    for found in (full, narrowed):
        load = {p.pk: 0 for p in partners}
        for pair in found.pairs:
            load[pair.partner.pk] += 1
        load[partners[0].pk] += 2  # its two pairs in force
        assert max(load.values()) <= 3
        proposed = [p.community for p in found.pairs]
        assert len(proposed) == len(set(proposed))
        assert set(proposed) | set(found.unpaired) == set(communities[2:])  # not the two paired already
    # each community's proposal is among its two best-scoring partners
    for pair in narrowed.pairs:
        community = pair.community
        scores = sorted((round(services.fit(community.description, p.description), 4)
                         + 0.2 * (community.division_id is not None and community.division_id == p.division_id)
                         for p in partners), reverse=True)
        assert pair.fit + 0.2 * pair.same_county >= scores[1] - 1e-9
    same_only = services.propose(everyone, everyone, capacity=3, same_county_only=True, max_candidates=40)
    assert same_only.pairs and all(p.same_county for p in same_only.pairs)


def test_proposals_with_no_partner_or_no_community(county):
    from yiti.orgs.models import Organisation

    community = make_community(name="甲社区", division=county, description="")
    found = services.propose(Organisation.objects.all(), Organisation.objects.none(), capacity=2)
    assert found.pairs == [] and found.unpaired == [community]
    none = services.propose(Organisation.objects.none(), Organisation.objects.all(), capacity=2)
    assert none.pairs == [] and none.unpaired == []
