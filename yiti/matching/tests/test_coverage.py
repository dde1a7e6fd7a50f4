"""Commissioner coverage (issue 14 §4): targets and experts → solver → proposals → review → publish."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from yiti.accounts.models import Department, Role, Scope
from yiti.accounts.testing import make_user
from yiti.core.models import Division
from yiti.core.testing import industry
from yiti.experts.models import Assignment, ExpertRole
from yiti.experts.testing import make_expert_role
from yiti.matching import coverage, store
from yiti.matching.choices import RejectReason, Verdict
from yiti.matching.models import CoverageProposal, CoverageRun, Feedback
from yiti.orgs.testing import make_enterprise, make_org
from yiti.talents.testing import make_talent

START = datetime.date(2026, 12, 1)
END = datetime.date(2027, 11, 30)
CAR = "新能源汽车动力电池热管理与整车控制"
FOOD = "杂粮加工与小米深加工食品工艺"


@dataclass
class World:
    a: Division
    b: Division
    city: Any
    staff_a: Any
    staff_b: Any
    university: Any
    cars: list[Any]  # enterprises of county A in the reserve pool, automotive
    food: Any  # county A, food processing, in the reserve pool
    car_b: Any  # county B, automotive, in the reserve pool
    car_expert: ExpertRole  # 汽车 expertise, county A, capacity 2
    food_expert: ExpertRole  # 食品 expertise, county A, capacity 1


@pytest.fixture(autouse=True)
def _fresh_index():
    store.reset()
    yield
    store.reset()


@pytest.fixture
def world(db) -> World:
    a, b = Division.objects.get(code="140702"), Division.objects.get(code="140703")
    city = Division.objects.get(code="140700")
    city_dept = Department.objects.create(name="晋中市科技局", kind="city", division=city)
    dept_a = Department.objects.create(name="榆次区科技局", kind="office", parent=city_dept, division=a)
    dept_b = Department.objects.create(name="太谷区科技局", kind="office", parent=city_dept, division=b)
    car, food = industry("36"), industry("13")
    cars = [make_enterprise(name=f"榆次新能源汽车零部件公司{i}", division=a, industry=car, in_reserve_pool=True,
                            description=CAR) for i in range(2)]
    food_org = make_enterprise(name="榆次杂粮食品公司", division=a, industry=food, in_reserve_pool=True,
                               description=FOOD)
    car_b = make_enterprise(name="太谷汽车电池公司", division=b, industry=car, in_reserve_pool=True, description=CAR)
    university = make_org(name="晋中理工学院", org_type="university", division=a)
    car_talent = make_talent(name="李汽车", division=a, organisation=university, industry=car,
                             expertise="新能源汽车;动力电池;热管理;整车控制", position="教授")
    food_talent = make_talent(name="王食品", division=a, organisation=university, industry=food,
                              expertise="杂粮加工;小米深加工;食品工艺", position="副教授")
    return World(
        a=a, b=b,
        city=make_user("city", Role.STAFF, scope=Scope.CITY, department=city_dept),
        staff_a=make_user("staff_a", Role.STAFF, scope=Scope.COUNTY, department=dept_a),
        staff_b=make_user("staff_b", Role.STAFF, scope=Scope.COUNTY, department=dept_b),
        university=university, cars=cars, food=food_org, car_b=car_b,
        car_expert=make_expert_role(talent=car_talent, capacity=2),
        food_expert=make_expert_role(talent=food_talent, capacity=1),
    )


def criteria(**kw: Any) -> coverage.Criteria:
    values: dict[str, Any] = {"org_type": "enterprise", "reserve_pool": True, "k": 1, "start": START.isoformat(),
                              "end": END.isoformat()}
    values.update(kw)
    return coverage.Criteria(**values)


def run(user: Any, **kw: Any) -> CoverageRun:
    """Start a run and solve it (the background task runs inline in tests)."""
    role = kw.pop("role", "commissioner")
    started = coverage.start_run(user, title="全覆盖测试", role=role, criteria=criteria(**kw))
    started.queued(coverage.coverage_job.enqueue(started.pk))
    started.refresh_from_db()
    assert started.status == CoverageRun.Status.REVIEW, started.message
    return started


def pairs(r: CoverageRun) -> set[tuple[str, str]]:
    return {(p.target.name, p.expert.talent.name)
            for p in r.proposals.filter(removed=False, expert__isnull=False).select_related("target", "expert__talent")}


def uncovered(r: CoverageRun) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in r.proposals.filter(expert__isnull=True).select_related("target"):
        out.setdefault(p.target.name, []).append(p.uncovered_reason)
    return out


def test_end_to_end_targets_experts_proposals_publish_assignments(world, client):
    r = run(world.staff_a, divisions=[world.a.pk])
    # county A's four reserve-pool enterprises; the car expert takes two car makers, the food expert the food one
    assert pairs(r) == {(world.cars[0].name, "李汽车"), (world.cars[1].name, "李汽车"), (world.food.name, "王食品")}
    assert uncovered(r) == {}
    line = r.proposals.get(target=world.food)
    assert 0 < line.fit <= 1
    with translation.override("zh-hans"):
        texts = coverage.reason_texts(line)
    assert any("行业" in t for t in texts), texts  # same industry, in Chinese
    assert coverage.summary(r)["total"] | {} == {"division": "", "targets": 3, "covered": 3, "experts": 2,
                                                 "rate": 1.0}

    made = coverage.publish(world.staff_a, r)
    assert len(made) == 3
    r.refresh_from_db()
    assert r.status == CoverageRun.Status.PUBLISHED
    assignment = Assignment.objects.get(role=world.food_expert)
    assert (assignment.organisation, assignment.start_date, assignment.end_date) == (world.food, START, END)
    assert all(p.assignment_id for p in r.proposals.filter(expert__isnull=False))
    # published twice? no
    with pytest.raises(ValidationError) as exc:
        coverage.publish(world.staff_a, r)
    assert exc.value.code == "not_in_review"

    # the expert's page lists their assignments; so does it for the contact of the expert's university
    contact = make_user("uni", Role.ORG_CONTACT, organisation=world.university)
    for user in (world.staff_a, contact):
        client.force_login(user)
        page = client.get(reverse("experts:expertrole_detail", args=[world.food_expert.pk]))
        assert page.status_code == 200
        assert world.food.name in page.content.decode()


def test_capacity_never_exceeded_counting_existing_assignments(world):
    # the car expert already serves one organisation during the term: one place is left of two
    other = make_enterprise(name="已服务企业", division=world.a)
    Assignment.objects.create(role=world.car_expert, organisation=other, start_date=datetime.date(2026, 6, 1),
                              end_date=datetime.date(2027, 6, 1))
    # an assignment that ended before the term does not count
    Assignment.objects.create(role=world.car_expert, organisation=other, start_date=datetime.date(2025, 1, 1),
                              end_date=datetime.date(2025, 12, 31))
    r = run(world.staff_a, divisions=[world.a.pk])
    car_lines = r.proposals.filter(expert=world.car_expert, removed=False)
    assert car_lines.count() == 1
    assert r.proposals.filter(expert=world.food_expert).count() <= 1
    # the other car maker is not covered, and the page says why: the fitting expert is full
    missing = [name for name in uncovered(r) if name.startswith("榆次新能源")]
    assert len(missing) == 1 and uncovered(r)[missing[0]] == ["no_capacity"]
    line = r.proposals.get(target__name=missing[0])
    with translation.override("zh-hans"):
        assert coverage.uncovered_text(line) == "专家名额已满：李汽车"
    # publishing stays within capacity too
    coverage.publish(world.staff_a, r)
    assert coverage.loads([world.car_expert.pk], START, END)[world.car_expert.pk] == world.car_expert.capacity


def test_same_organisation_is_forbidden_and_said_so(world):
    # the food enterprise's own engineer is its only fitting expert: conflict of interest
    world.food_expert.talent.organisation = world.food
    world.food_expert.talent.save()
    r = run(world.staff_a, divisions=[world.a.pk])
    assert not r.proposals.filter(expert=world.food_expert, target=world.food).exists()
    assert uncovered(r)[world.food.name] == ["forbidden"]
    with translation.override("zh-hans"):
        assert coverage.uncovered_text(r.proposals.get(target=world.food)) == "仅有回避关系的专家：王食品"
    # nor can staff swap them in
    line = r.proposals.get(target=world.food)
    with pytest.raises(ValidationError) as exc:
        coverage.swap(world.staff_a, line, world.food_expert.pk)
    assert exc.value.error_dict["expert"][0].code == "conflict"


def test_removed_and_rejected_pairs_are_not_proposed_again(world):
    r = run(world.staff_a, divisions=[world.a.pk])
    line = r.proposals.get(target=world.food)
    coverage.remove(world.staff_a, line)
    assert uncovered(r)[world.food.name] == ["removed"]
    # a rejected recommendation (不合适) of the car expert for the first car maker
    Feedback.objects.create(source=f"org:{world.cars[0].pk}", candidate=f"talent:{world.car_expert.talent_id}",
                            verdict=Verdict.REJECTED, reason=RejectReason.FIELD, user=world.staff_a)
    again = run(world.staff_a, divisions=[world.a.pk])
    assert (world.food.name, "王食品") not in pairs(again)
    assert (world.cars[0].name, "李汽车") not in pairs(again)
    assert uncovered(again)[world.food.name] == ["forbidden"]


def test_locked_and_swapped_pairs_are_kept_on_resolve(world):
    extra = make_expert_role(talent=make_talent(name="赵备选", division=world.a, industry=industry("36"),
                                                expertise="新能源汽车;动力电池"), capacity=1)
    r = run(world.staff_a, divisions=[world.a.pk])
    first = r.proposals.get(target=world.cars[0])
    second = r.proposals.get(target=world.cars[1])
    # swap the first car maker to the other expert: locked as staff's choice
    other = extra if first.expert_id != extra.pk else world.car_expert
    coverage.swap(world.staff_a, first, other.pk)
    first.refresh_from_db()
    assert first.locked and first.expert_id == other.pk
    with translation.override("zh-hans"):
        assert "工作人员指定" in coverage.reason_texts(first)
    coverage.lock(world.staff_a, second)
    kept = (second.target_id, second.expert_id)
    # a swap to a full expert is refused with a code
    full = world.food_expert  # its one place is taken by the food enterprise
    with pytest.raises(ValidationError) as exc:
        coverage.swap(world.staff_a, second, full.pk)
    assert exc.value.error_dict["expert"][0].code == "capacity"

    coverage.resolve_again(world.staff_a, r)
    r.queued(coverage.coverage_job.enqueue(r.pk))
    r.refresh_from_db()
    assert r.status == CoverageRun.Status.REVIEW, r.message
    assert r.proposals.get(pk=first.pk).expert_id == other.pk
    assert (r.proposals.get(pk=second.pk).target_id, r.proposals.get(pk=second.pk).expert_id) == kept
    assert r.proposals.filter(target=world.cars[0], removed=False).count() == 1  # no second line for it
    for role in (world.car_expert, world.food_expert, extra):
        assert r.proposals.filter(expert=role, removed=False).count() <= role.capacity


def test_infeasible_input_gives_partial_coverage_with_reasons(world, client):
    # villages with k = 2: one only the food expert fits by text; one in a county without experts fits nobody
    yushe = Division.objects.get(code="140721")
    make_org(name="东阳村", org_type="community", division=world.a, description="杂粮种植 小米深加工 食品工艺合作社")
    make_org(name="西山村", org_type="community", division=yushe, description="社区养老服务")
    r = run(world.city, org_type="community", reserve_pool=False, divisions=[world.a.pk, yushe.pk], k=2)
    assert pairs(r) == {("东阳村", "王食品")}
    assert sorted(uncovered(r)["东阳村"]) == ["no_candidate"]
    assert uncovered(r)["西山村"] == ["no_candidate", "no_candidate"]
    total = coverage.summary(r)["total"]
    assert (total["targets"], total["covered"], total["rate"]) == (2, 0, 0.0)
    client.force_login(world.city)
    page = client.get(reverse("matching:coverage_run", args=[r.pk])).content.decode()
    assert "无匹配专家" in page and "西山村" in page and "覆盖率" in page


def test_a_target_with_nothing_to_match_gets_an_expert_of_its_county(world):
    make_org(name="北关村", org_type="community", division=world.a, description="")
    r = run(world.staff_a, org_type="community", reserve_pool=False)
    line = r.proposals.get(target__name="北关村")
    assert line.expert_id in (world.car_expert.pk, world.food_expert.pk)
    assert line.fit == coverage.COUNTY_FIT
    with translation.override("zh-hans"):
        assert coverage.reason_texts(line) == ["无可匹配的领域信息：安排同区县专家"]


def test_uncovered_reasons_shown_in_chinese_on_the_page(world, client):
    world.car_expert.capacity = 1
    world.car_expert.save()
    r = run(world.staff_a, divisions=[world.a.pk])
    client.force_login(world.staff_a)
    page = client.get(reverse("matching:coverage_run", args=[r.pk])).content.decode()
    assert "专家名额已满：李汽车" in page
    assert "榆次区" in page  # the summary by county


def test_county_officer_stays_in_their_county(world, client):
    # targets: no county chosen means their county only; another county is refused
    r = run(world.staff_a)
    assert world.car_b.name not in {p.target.name for p in r.proposals.select_related("target")}
    with pytest.raises(ValidationError) as exc:
        coverage.start_run(world.staff_a, title="越界", role="commissioner", criteria=criteria(divisions=[world.b.pk]))
    assert exc.value.error_dict["divisions"][0].code == "division_scope"
    # the form does not even offer county B
    client.force_login(world.staff_a)
    form = client.get(reverse("matching:coverage_new")).content.decode()
    assert "太谷区" not in form and "榆次区" in form
    # county B's officer neither sees nor changes county A's run
    client.force_login(world.staff_b)
    assert client.get(reverse("matching:coverage_run", args=[r.pk])).status_code == 404
    assert r.title not in client.get(reverse("matching:coverage")).content.decode()
    line = r.proposals.filter(expert__isnull=False).first()
    assert client.post(reverse("matching:coverage_line_remove", args=[line.pk])).status_code == 404
    assert client.post(reverse("matching:coverage_publish", args=[r.pk])).status_code == 404
    assert not Assignment.objects.exists()
    with pytest.raises(PermissionDenied):
        coverage.publish(world.staff_b, r)
    # the city office sees it
    client.force_login(world.city)
    assert client.get(reverse("matching:coverage_run", args=[r.pk])).status_code == 200
    # an organisation contact has no coverage pages at all
    client.force_login(make_user("ent", Role.ORG_CONTACT, organisation=world.food))
    assert client.get(reverse("matching:coverage")).status_code == 403


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"ladder_stage": "listed"}, "org_type", "没有符合筛选条件的服务对象"),
    ({"k": "0"}, "k", "每个服务对象的专家数至少为 1"),
    ({"end": "2026-01-01"}, "end", "结束日期早于开始日期"),
    ({"start": ""}, "start", "请填写任期开始日期"),
])
def test_bad_input_gets_a_chinese_message(world, client, data, field, message):
    client.force_login(world.staff_a)
    post = {"title": "全覆盖", "role": "commissioner", "org_type": "enterprise", "reserve_pool": "on", "k": "1",
            "weight": "0.1", "start": "2026-12-01", "end": "", **data}
    response = client.post(reverse("matching:coverage_new"), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CoverageRun.objects.exists()


def test_the_page_runs_the_whole_flow(world, client):
    client.force_login(world.city)
    response = client.post(reverse("matching:coverage_new"), {
        "title": "市级全覆盖", "role": "commissioner", "org_type": "enterprise", "reserve_pool": "on", "k": "1",
        "weight": "0.1", "start": "2026-12-01", "end": "2027-11-30"})
    r = CoverageRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("matching:coverage_run", args=[r.pk])
    page = client.get(response["Location"]).content.decode()
    assert "李汽车" in page and "太谷区" in page  # the city covers both counties
    line = CoverageProposal.objects.filter(run=r, expert__isnull=False).first()
    assert client.get(reverse("matching:coverage_line_swap", args=[line.pk])).status_code == 200
    assert client.post(reverse("matching:coverage_line_lock", args=[line.pk]), {"locked": "1"}).status_code == 302
    assert CoverageProposal.objects.get(pk=line.pk).locked
    assert client.post(reverse("matching:coverage_publish", args=[r.pk])).status_code == 302
    assert Assignment.objects.count() == r.proposals.filter(expert__isnull=False, removed=False).count() > 0
    assert "覆盖率" in client.get(reverse("matching:coverage_run", args=[r.pk])).content.decode()
    menu = client.get(reverse("matching:coverage")).content.decode()
    assert "科技特派员全覆盖" in menu and "市级全覆盖" in menu


def test_a_locked_line_that_no_longer_fits_fails_the_resolve_saying_so(world):
    r = run(world.staff_a, divisions=[world.a.pk])
    line = r.proposals.get(target=world.food)
    coverage.lock(world.staff_a, line)
    # meanwhile the food expert was assigned elsewhere for the term: the locked line is over capacity
    Assignment.objects.create(role=world.food_expert, organisation=world.university, start_date=START)
    coverage.resolve_again(world.staff_a, r)
    with translation.override("zh-hans"):
        r.queued(coverage.coverage_job.enqueue(r.pk))
    r.refresh_from_db()
    assert r.status == CoverageRun.Status.FAILED
    assert "已锁定的配对不再成立" in r.message
    # staff unlock it (locking is for runs under review only) and solve again
    with pytest.raises(ValidationError):
        coverage.lock(world.staff_a, r.proposals.get(pk=line.pk), locked=True)
    coverage.lock(world.staff_a, r.proposals.get(pk=line.pk), locked=False)
    coverage.resolve_again(world.staff_a, r)
    r.queued(coverage.coverage_job.enqueue(r.pk))
    r.refresh_from_db()
    assert r.status == CoverageRun.Status.REVIEW
    assert uncovered(r)[world.food.name] == ["no_capacity"]


def test_menu_entry_under_matching_for_staff_only(world, client):
    url = reverse("matching:coverage")
    client.force_login(world.staff_a)
    home = client.get("/").content.decode()
    assert f'href="{url}"' in home and "供需对接" in home
    client.force_login(make_user("ent", Role.ORG_CONTACT, organisation=world.food))
    assert f'href="{url}"' not in client.get("/").content.decode()


def test_a_target_already_served_in_the_term_needs_no_new_expert(world):
    extra = make_expert_role(talent=make_talent(name="孙在任", division=world.a), capacity=1)
    Assignment.objects.create(role=extra, organisation=world.food, start_date=datetime.date(2026, 1, 1))
    r = run(world.staff_a)
    assert not r.proposals.filter(target=world.food).exists()
    summary = coverage.summary(r)
    assert summary["already_served"] == 1
    assert [(row["division"], row["targets"], row["covered"]) for row in summary["rows"]] == [("榆次区", 3, 3)]
    assert (summary["total"]["targets"], summary["total"]["covered"]) == (3, 3)


def test_experts_whose_role_ended_before_the_term_are_not_assigned(world):
    world.food_expert.end_date = START - datetime.timedelta(days=1)
    world.food_expert.save()
    r = run(world.staff_a)
    assert not r.proposals.filter(expert=world.food_expert).exists()
    assert world.food.name in uncovered(r)  # the car expert, its only other candidate, is full


def test_text_fit_comes_from_the_finder_even_when_its_log_odds_are_below_zero(world):
    class Finder:  # the expert finder scores in log-odds, mostly negative
        def experts(self, text, top=100):
            return [(f"talent:{world.car_expert.talent_id}", -1.0), (f"talent:{world.food_expert.talent_id}", -4.0)]

    found = coverage.fits(world.cars[0], [], [world.car_expert, world.food_expert], Finder())
    assert found[world.car_expert.pk].text_fit == 1.0
    assert 0 < found[world.food_expert.pk].text_fit < 0.2


def test_the_new_run_form_offers_a_title_naming_the_county(world, client):
    client.force_login(world.staff_a)
    page = client.get(reverse("matching:coverage_new")).content.decode()
    assert f"榆次区科技特派员覆盖方案 {coverage.today().isoformat()}" in page
