"""The recommendation service (yiti.matching.recommend): kinds, reasons, scope and consent, feedback, bad input."""

import pytest
from django.core.exceptions import ValidationError

from yiti.agreements.testing import make_agreement
from yiti.matching import recommend as rec
from yiti.matching import store
from yiti.matching.choices import RejectReason
from yiti.matching.documents import KINDS, parse_key
from yiti.matching.feedback import give_feedback
from yiti.needs.testing import make_need
from yiti.talents.testing import make_talent

from .recommend_world import city_fixture  # noqa: F401  (the `city` fixture)

pytestmark = pytest.mark.django_db


def keys(found):
    return [r.key for r in found]


def k(record):
    return f"{ {'Talent': 'talent', 'Result': 'result', 'Organisation': 'org', 'Need': 'need'}[type(record).__name__]}:{record.pk}"


def test_experts_for_a_need_come_best_first_with_reasons(city):
    found = rec.recommend(city["city_staff"], city["need"], "experts")
    assert keys(found)[0] == k(city["expert"])
    first = found[0]
    assert 0 < first.score <= 1 and all(0 < r.score <= 1 for r in found)
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert 1 <= len(first.reasons) <= 3
    assert first.reasons[0].startswith("共同关键词：") and "球墨铸铁" in first.reasons[0]
    # record facts: the same discipline as the need, and the expert's remaining capacity (3 − 1 assignment)
    assert "学科相同：机械工程" in first.reasons
    assert "还可承担 2 项服务" in first.reasons


def test_only_consenting_talents_are_recommended(city):
    found = keys(rec.recommend(city["city_staff"], city["need"], "experts", top=50))
    assert k(city["refusing"]) not in found  # matches as well as the others, but did not consent
    city["refusing"].consent_to_recommend = True
    city["refusing"].save()
    store.build()
    assert k(city["refusing"]) in keys(rec.recommend(city["city_staff"], city["need"], "experts", top=50))


def test_a_talent_without_consent_gets_no_needs_proposed(city):
    with pytest.raises(ValidationError) as exc:
        rec.recommend(city["city_staff"], city["refusing"], "needs")
    assert exc.value.code == "no_consent"


def test_results_for_a_need_tell_their_readiness(city):
    found = rec.recommend(city["city_staff"], city["need"], "results")
    assert keys(found)[0] == k(city["result"])
    assert any(r.startswith("技术就绪度 7 级") and "可直接用于企业生产" in r for r in found[0].reasons), found[0].reasons
    assert keys(rec.recommend(city["city_staff"], city["need"], "results", filters={"trl_min": 5})) == [k(city["result"])]


def test_orgs_for_a_need_are_universities_institutes_and_platform_hosts(city):
    found = rec.recommend(city["city_staff"], city["need"], "orgs")
    assert {k(city["uni_a"]), k(city["uni_b"])} <= set(keys(found))
    assert not any(parse_key(x)[1] in (city["enterprise"].pk, city["enterprise_b"].pk) for x in keys(found))
    by_key = {r.key: r for r in found}
    assert any(r.startswith("相关成果：一种球墨铸铁件的热处理方法") for r in by_key[k(city["uni_a"])].reasons)
    assert any(r.startswith("相关平台：铸造工艺重点实验室") or r.startswith("相关成果：") for r in
               by_key[k(city["uni_b"])].reasons)


def test_earlier_cooperation_with_the_enterprise_is_a_reason(city):
    make_agreement(parties=[city["enterprise"], city["uni_b"]], title="校企共建铸造工艺中心")
    found = {r.key: r for r in rec.recommend(city["city_staff"], city["need"], "orgs")}
    assert "曾与该企业签约：校企共建铸造工艺中心" in found[k(city["uni_b"])].reasons
    experts = {r.key: r for r in rec.recommend(city["city_staff"], city["need"], "experts")}
    assert "太原理工大学晋中分院曾与该企业签约：校企共建铸造工艺中心" in experts[k(city["other"])].reasons


def test_enterprises_and_needs_for_a_result(city):
    enterprises = rec.recommend(city["city_staff"], city["result"], "enterprises")
    assert {k(city["enterprise"]), k(city["enterprise_b"])} <= set(keys(enterprises))
    assert all(r.record.org_type == "enterprise" for r in enterprises)
    by_key = {r.key: r for r in enterprises}
    assert "在征需求：球墨铸铁件热处理工艺优化" in by_key[k(city["enterprise"])].reasons
    needs = rec.recommend(city["city_staff"], city["result"], "needs")
    assert keys(needs)[:2] and set(keys(needs)) == {k(city["need"]), k(city["need_b"])}


def test_needs_for_a_talent_and_for_a_university(city):
    assert k(city["need"]) in keys(rec.recommend(city["city_staff"], city["expert"], "needs"))
    assert k(city["need"]) in keys(rec.recommend(city["city_staff"], city["uni_a"], "needs"))
    with pytest.raises(ValidationError) as exc:
        rec.recommend(city["city_staff"], city["enterprise"], "needs")  # an enterprise is not a university
    assert exc.value.code == "unsupported_kind"
    with pytest.raises(ValidationError) as exc:
        rec.recommend(city["city_staff"], city["need"], "enterprises")
    assert exc.value.code == "unsupported_kind"


def test_only_records_the_user_may_see(city):
    """Needs stay with their county: county A's officer never gets county B's need, and the other way round."""
    staff_a, staff_b = city["staff_a"], city["staff_b"]
    assert keys(rec.recommend(staff_a, city["result"], "needs")) == [k(city["need"])]
    assert keys(rec.recommend(staff_b, city["result"], "needs")) == [k(city["need_b"])]
    for user in (staff_a, staff_b, city["enterprise_contact"], city["university_contact"]):
        for source, kind in [(city["need"], "experts"), (city["need"], "results"), (city["need"], "orgs"),
                             (city["result"], "enterprises"), (city["result"], "needs")]:
            for r in rec.recommend(user, source, kind, top=50):
                model = type(r.record)
                assert model.objects.restrict(user).filter(pk=r.record.pk).exists(), (user, kind, r.key)
                assert model is KINDS[parse_key(r.key)[0]]


def test_a_rejected_candidate_never_comes_back_and_an_adopted_one_is_marked(city):
    user, need = city["city_staff"], city["need"]
    first = rec.recommend(user, need, "experts")[0]
    give_feedback(need, user=user, candidate=first.key, verdict="rejected", reason=RejectReason.LEVEL)
    after = rec.recommend(user, need, "experts", top=50)
    assert first.key not in keys(after)
    # for another record the same expert is still proposed
    assert first.key in keys(rec.recommend(user, city["need_b"], "experts", top=50))
    give_feedback(need, user=user, candidate=after[0].key, verdict="accepted")
    assert rec.recommend(user, need, "experts", top=50)[0].adopted


def test_filters(city):
    user, need = city["city_staff"], city["need"]
    everyone = keys(rec.recommend(user, need, "experts", top=50))
    assert k(city["other"]) in everyone
    county_a = keys(rec.recommend(user, need, "experts", top=50, filters={"county": city["a"].pk}))
    assert k(city["other"]) not in county_a and k(city["expert"]) in county_a
    assert keys(rec.recommend(user, need, "experts", filters={"title_level": "deputy_senior"})) == [k(city["other"])]
    # 李冶 carries one assignment on a capacity of one: no capacity left
    with_capacity = keys(rec.recommend(user, need, "experts", top=50, filters={"capacity": True}))
    assert k(city["other"]) not in with_capacity and k(city["expert"]) in with_capacity
    assert k(city["result_b"]) not in keys(rec.recommend(user, need, "results", filters={"trl_min": 4}))
    orgs = rec.recommend(user, need, "orgs", filters={"org_type": "institute"})
    assert orgs == []
    for bad in [{"trl_min": 12}, {"trl_min": "x"}, {"county": 10**9}, {"title_level": "boss"}, {"colour": "red"}]:
        with pytest.raises(ValidationError) as exc:
            rec.recommend(user, need, "experts", filters=bad)
        assert exc.value.code == "bad_filter"


def test_a_need_too_short_to_match_says_so(city):
    short = make_need(enterprise=city["enterprise"], title="铸件", description="", keywords="")
    with pytest.raises(ValidationError) as exc:
        rec.recommend(city["city_staff"], short, "experts")
    assert exc.value.code == "too_short"
    assert "文字太少" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        rec.recommend(city["city_staff"], city["need"], "experts", top=0)
    assert exc.value.code == "bad_top"


def test_no_index_yet(city, monkeypatch):
    monkeypatch.setattr(store, "current", lambda: None)
    with pytest.raises(rec.IndexNotReady):
        rec.recommend(city["city_staff"], city["need"], "experts")


def test_a_text_query_ranks_like_the_engine(city):
    """The batch CLI's path: plain text, no record facts."""
    found = rec.recommend_text(city["city_staff"], "球墨铸铁 热处理", "experts")
    assert keys(found)[0] == k(city["expert"])
    make_talent(name="新人", expertise="球墨铸铁热处理", consent_to_recommend=False)
    with pytest.raises(ValidationError):
        rec.recommend_text(city["city_staff"], "球墨铸铁", "colours")


def test_an_agreement_outside_the_scope_is_never_named(city):
    make_agreement(parties=[city["enterprise"], city["uni_a"]], title="乙县登记的合作协议", division=city["b"])
    seen = {r.key: r for r in rec.recommend(city["city_staff"], city["need"], "experts")}
    assert "晋中学院曾与该企业签约：乙县登记的合作协议" in seen[k(city["expert"])].reasons
    for r in rec.recommend(city["staff_a"], city["need"], "experts") + rec.recommend(city["staff_a"], city["need"],
                                                                                     "orgs"):
        assert not any("乙县登记的合作协议" in reason for reason in r.reasons), r.reasons


def test_expert_scores_below_zero_still_tell_candidates_apart(city, monkeypatch):
    # The expert finder scores in log-odds, mostly negative: the bars must not all be full.
    found = rec.recommend(city["city_staff"], city["need"], "experts")
    assert len(found) >= 2
    idx = store.current()
    ranked = [(r.key, -2.0 - 1.5 * i) for i, r in enumerate(found)]
    monkeypatch.setattr(type(idx), "experts", lambda self, text, top=100: ranked)
    scores = [r.score for r in rec.recommend(city["city_staff"], city["need"], "experts")]
    assert scores[0] > scores[-1] and scores[1] < 1.0
