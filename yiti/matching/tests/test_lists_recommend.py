"""A matching run on the real recommendation service (yiti.matching.recommend over the in-process index): the
proposals carry the engine's reasons, and a candidate rejected in review does not come back in the next run."""

import os

import pytest

from yiti.matching import lists, store
from yiti.matching.choices import ListKind
from yiti.matching.documents import key
from yiti.matching.testing import make_places
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    found = make_places()
    a = found.a
    a.expert.expertise = "可锻铸铁;退火;蓄热式燃烧;智能温控"
    a.expert.save()
    a.extra["refusing"] = make_talent(name="不同意推荐的专家", organisation=a.university, division=a.division,
                                      expertise="可锻铸铁;退火;蓄热式燃烧", consent_to_recommend=False)
    a.university.description = "材料与铸造工艺研究，退火炉节能改造"
    a.university.save()
    store.reset()
    store.build()
    yield found
    store.reset()


def run(user, division):
    job = lists.start_run(user, lists.Scope(kind=ListKind.NEEDS, division_id=division))
    lists.build(job)
    job.refresh_from_db()
    return job


def test_a_run_proposes_the_fitting_expert_with_the_engines_reasons(places):
    a = places.a
    job = run(a.officer, a.division.pk)
    items = {i.candidate: i for i in job.matching_list.items.filter(source=key(a.need))}
    assert key(a.expert) in items, job.message
    item = items[key(a.expert)]
    assert 0 < item.score <= 1 and item.addressee == a.university
    assert any("共同关键词" in r for r in item.reasons), item.reasons
    assert key(a.extra["refusing"]) not in items  # no consent: never proposed
    assert key(places.b.expert) not in items  # outside the county officer's view of talents


def test_a_candidate_rejected_in_review_is_not_proposed_again(places):
    a = places.a
    first = run(a.officer, a.division.pk).matching_list
    item = first.items.get(source=key(a.need), candidate=key(a.expert))
    lists.review(item, a.officer, "reject", "level")
    again = run(a.officer, a.division.pk).matching_list
    assert not again.items.filter(source=key(a.need), candidate=key(a.expert)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_run_in_two_processes_proposes_what_a_run_in_one_does(places, monkeypatch, settings, tmp_path):
    """The worker's run is split over forked processes (yiti.core.forked); the list is the same, in the same
    order. Forked processes need a database they can open: PostgreSQL here, not SQLite in memory."""
    from yiti.core import forked
    from yiti.needs.testing import make_need

    if not forked.can_fork():
        pytest.skip("SQLite in memory (the default test database) cannot be shared with forked processes; "
                    "this runs on PostgreSQL (DATABASE_URL), as .ci/run does")
    a = places.a
    for n, title in enumerate(["可锻铸铁件退火工艺优化", "蓄热式燃烧退火炉改造", "铸铁件智能温控系统", "退火炉能耗监测",
                               "可锻铸铁管件气孔缺陷", "铸造车间节能诊断"]):
        make_need(enterprise=a.enterprise, title=title, description=f"{title}，需要高校专家支持{n}")
    monkeypatch.setattr(forked, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(forked, "CHUNK", 1)
    pids = tmp_path / "pids"
    real = lists.candidates

    def candidates(*args, **kw):
        with pids.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kw)

    monkeypatch.setattr(lists, "candidates", candidates)

    def proposals(workers):
        settings.YITI_MATCHING_RUN_WORKERS = workers
        job = run(a.officer, a.division.pk)
        assert job.status == job.Status.DONE, job.message
        return [(i.position, i.source, i.candidate, i.score, i.reasons, i.addressee_id)
                for i in job.matching_list.items.order_by("position")]

    one = proposals(1)
    pids.unlink()
    two = proposals(2)
    assert two == one and len(one) >= 7
    assert len(set(pids.read_text().split()) - {str(os.getpid())}) == 2
