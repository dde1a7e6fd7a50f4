"""Matching lists, the rules (yiti/matching/lists.py): the run, review, publishing with working-day deadlines,
answers only by the addressees, follow-up to the agreement, the funnel, the overdue list and the meeting's
spreadsheet. The recommendation service is replaced by `fake_candidates` (the record's own county)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yiti.agreements.choices import Step
from yiti.agreements.services import StepEntry, record_steps
from yiti.matching import lists
from yiti.matching.choices import Answer, ItemState, ListKind, ListStatus, Stage, Verdict
from yiti.matching.documents import key
from yiti.matching.models import Feedback, MatchingItem, MatchingList, MatchingRun
from yiti.matching.testing import fake_candidates, make_matching_list, make_places
from yiti.needs.testing import make_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(monkeypatch):
    monkeypatch.setattr(lists, "candidates", fake_candidates)
    return make_places()


def run_over(user, division=None, **kw):
    run = lists.start_run(user, lists.Scope(kind=kw.pop("kind", ListKind.NEEDS), division_id=division, **kw))
    lists.build(run)
    run.refresh_from_db()
    return run


def codes(exc_info) -> set[str]:
    exc = exc_info.value
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


# ---- the run ---------------------------------------------------------------------------------------------

def test_a_run_proposes_candidates_with_scores_and_reasons_for_every_need_in_scope(places):
    a = places.a
    make_need(enterprise=a.enterprise, title="冷库保鲜温控技术", description="冷库能耗高。")
    run = run_over(a.officer, a.division.pk)
    assert run.status == MatchingRun.Status.DONE and run.records == 2
    mlist = run.matching_list
    assert mlist.status == ListStatus.REVIEW and mlist.division == a.division and mlist.created_by == a.officer
    items = list(mlist.items.order_by("position"))
    assert len(items) == 4  # per need: the expert and the university
    assert [i.position for i in items] == [1, 2, 3, 4]
    expert_item = next(i for i in items if i.source == key(a.need) and i.candidate == key(a.expert))
    assert expert_item.need == a.need and expert_item.enterprise == a.enterprise
    assert expert_item.addressee == a.university and expert_item.division == a.division
    assert expert_item.score == 0.8 and expert_item.reasons[0].startswith("共同关键词")
    assert all(i.state == ItemState.PROPOSED and i.published_at is None for i in items)
    assert "4" in run.message and "2" in run.message


def test_a_run_over_zero_records_says_so_and_keeps_no_list(places):
    a = places.a
    with pytest.raises(ValidationError) as exc:
        lists.start_run(a.officer, lists.Scope(kind=ListKind.NEEDS, division_id=a.division.pk,
                                               need_types=["platform"]))
    assert codes(exc) == {"no_records"}
    assert "没有" in exc.value.messages[0]  # in Chinese
    assert not MatchingList.objects.exists() and not MatchingRun.objects.exists()


def test_a_run_whose_records_vanished_before_it_ran_keeps_no_list(places):
    a = places.a
    run = lists.start_run(a.officer, lists.Scope(kind=ListKind.NEEDS, division_id=a.division.pk))
    a.need.delete()
    lists.build(run)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED and "没有" in run.message
    assert not MatchingList.objects.exists()


def test_a_county_officer_runs_only_over_their_county_and_city_staff_over_the_city(places):
    with pytest.raises(ValidationError) as exc:
        lists.start_run(places.a.officer, lists.Scope(kind=ListKind.NEEDS, division_id=places.b.division.pk))
    assert codes(exc) == {"division"}
    with pytest.raises(ValidationError) as exc:
        lists.start_run(places.a.officer, lists.Scope(kind=ListKind.NEEDS, division_id=None))
    assert codes(exc) == {"division"}
    run = run_over(places.city_staff, None)
    assert run.matching_list.division is None
    assert {i.division_id for i in run.matching_list.items.all()} == {places.a.division.pk, places.b.division.pk}


def test_leaders_and_contacts_run_nothing(places):
    for user in (places.leader, places.a.university_contact):
        with pytest.raises(PermissionDenied):
            lists.start_run(user, lists.Scope(kind=ListKind.NEEDS, division_id=None))


def test_records_too_short_to_match_are_counted_not_listed(places):
    a = places.a
    make_need(enterprise=a.enterprise, title="铸件")  # too short for the stand-in recommender
    run = run_over(a.officer, a.division.pk)
    assert run.status == MatchingRun.Status.DONE and run.matching_list.items.count() == 2
    assert "1" in run.message and "描述" in run.message


def test_a_results_list_proposes_enterprises_addressed_to_the_results_owner(places):
    from yiti.results.testing import make_result

    a = places.a
    result = make_result(owner=a.university, title="一种可锻铸铁蓄热退火工艺")
    run = run_over(a.officer, a.division.pk, kind=ListKind.RESULTS)
    item = run.matching_list.items.get()
    assert item.source == key(result) and item.candidate == key(a.enterprise)
    assert item.enterprise == a.enterprise and item.addressee == a.university and item.need is None


def test_a_failing_recommender_fails_the_run_with_a_message_and_keeps_no_list(places, monkeypatch):
    def broken(*args, **kw):
        raise RuntimeError("index gone")

    monkeypatch.setattr(lists, "candidates", broken)
    run = run_over(places.a.officer, places.a.division.pk)
    assert run.status == MatchingRun.Status.FAILED and "失败" in run.message
    assert not MatchingList.objects.exists()


# ---- review ----------------------------------------------------------------------------------------------

@pytest.fixture
def review_list(places):
    return run_over(places.a.officer, places.a.division.pk).matching_list


def test_reject_needs_a_coded_reason_and_becomes_feedback(places, review_list):
    item = review_list.items.first()
    with pytest.raises(ValidationError) as exc:
        lists.review(item, places.a.officer, "reject", "")
    assert codes(exc) == {"reason"}
    with pytest.raises(ValidationError) as exc:
        lists.review(item, places.a.officer, "reject", "other", " ")
    assert codes(exc) == {"reason_text"}
    lists.review(item, places.a.officer, "reject", "distance")
    item.refresh_from_db()
    assert item.state == ItemState.REJECTED and item.reject_reason == "distance"
    feedback = Feedback.objects.get(source=item.source, candidate=item.candidate)
    assert feedback.verdict == Verdict.REJECTED and feedback.reason == "distance"
    lists.review(item, places.a.officer, "accept")
    assert Feedback.objects.get(source=item.source, candidate=item.candidate).verdict == Verdict.ACCEPTED


def test_a_locked_item_keeps_its_decision_and_place(places, review_list):
    first, second = review_list.items.order_by("position")
    lists.review(first, places.a.officer, "lock")
    with pytest.raises(ValidationError) as exc:
        lists.review(first, places.a.officer, "accept")
    assert codes(exc) == {"locked"}
    with pytest.raises(ValidationError) as exc:
        lists.move(second, places.a.officer, "up")
    assert codes(exc) == {"locked"}
    lists.review(first, places.a.officer, "unlock")
    lists.move(second, places.a.officer, "up")
    assert list(review_list.items.order_by("position").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_add_a_candidate_by_hand_checks_kind_and_duplicates(places, review_list):
    a = places.a
    other = make_need(enterprise=a.enterprise, title="铸造粉尘治理")
    item = lists.add_candidate(review_list, a.officer, other, a.expert)
    assert item.by_hand and item.state == ItemState.ACCEPTED and item.position == 3
    assert item.addressee == a.university and item.reasons
    with pytest.raises(ValidationError) as exc:
        lists.add_candidate(review_list, a.officer, other, a.expert)
    assert codes(exc) == {"duplicate"}
    with pytest.raises(ValidationError) as exc:
        lists.add_candidate(review_list, a.officer, other, a.enterprise)  # an enterprise is no candidate for a need
    assert codes(exc) == {"candidate_kind"}


def test_adopt_from_a_record_page_goes_to_the_officers_open_list_or_a_new_one(places):
    a = places.a
    item = lists.adopt(a.officer, key(a.need), key(a.expert))
    mlist = item.matching_list
    assert mlist.status == ListStatus.REVIEW and mlist.division == a.division and mlist.kind == ListKind.NEEDS
    second = lists.adopt(a.officer, key(a.need), key(a.university))
    assert second.matching_list == mlist and mlist.items.count() == 2
    with pytest.raises(ValidationError) as exc:  # a record of the other county is not the officer's to see
        lists.adopt(a.officer, key(places.b.need), key(a.expert))
    assert codes(exc) == {"key"}


def test_others_may_not_review(places, review_list):
    item = review_list.items.first()
    for user in (places.leader, places.b.officer, places.a.university_contact):
        with pytest.raises(PermissionDenied):
            lists.review(item, user, "accept")


# ---- scope of lists ----------------------------------------------------------------------------------------

def test_a_list_is_visible_to_staff_whose_scope_covers_its_division(places):
    a_list = run_over(places.a.officer, places.a.division.pk).matching_list
    b_list = run_over(places.b.officer, places.b.division.pk).matching_list
    city_list = run_over(places.city_staff, None).matching_list
    visible = {u: set(MatchingList.objects.visible(u).values_list("pk", flat=True))
               for u in (places.a.officer, places.b.officer, places.city_staff, places.leader,
                         places.a.university_contact)}
    assert visible[places.a.officer] == {a_list.pk}
    assert visible[places.b.officer] == {b_list.pk}
    assert visible[places.city_staff] == visible[places.leader] == {a_list.pk, b_list.pk, city_list.pk}
    assert visible[places.a.university_contact] == set()
    assert not lists.may_work(places.leader, a_list) and lists.may_read(places.leader, a_list)
    assert set(MatchingItem.objects.visible(places.a.officer).values_list("matching_list", flat=True)) == {a_list.pk}


# ---- publishing and deadlines --------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "days", "end"), [
    ("2026-12-04", 5, "2026-12-11"),  # Friday → next Friday
    ("2026-12-02", 5, "2026-12-09"),  # Wednesday → next Wednesday
    ("2026-12-05", 1, "2026-12-07"),  # Saturday → Monday
    ("2026-12-04", 1, "2026-12-07"),  # Friday → Monday
    ("2026-12-07", 0, "2026-12-07"),
])
def test_deadlines_count_working_days(start, days, end):
    day = datetime.date.fromisoformat
    assert lists.add_working_days(day(start), days) == day(end)


def test_publishing_sends_accepted_items_with_officer_and_a_working_day_deadline(places, review_list, settings):
    a = places.a
    first, second = review_list.items.order_by("position")
    with pytest.raises(ValidationError) as exc:
        lists.publish(review_list, a.officer)
    assert codes(exc) == {"nothing_accepted"}
    lists.review(first, a.officer, "accept")
    friday = datetime.date(2026, 12, 4)
    assert lists.publish(review_list, a.officer, today=friday) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.published_at is not None and first.officer == a.officer and first.stage == Stage.PUSHED
    assert first.contact_deadline == datetime.date(2026, 12, 11)
    assert second.published_at is None and second.stage == ""
    review_list.refresh_from_db()
    assert review_list.status == ListStatus.PUBLISHED and review_list.published_by == a.officer
    # the setting changes the deadline; another officer may be named, but not one who cannot see the list
    settings.YITI_CONTACT_DEADLINE_WORKING_DAYS = 2
    lists.review(second, a.officer, "accept")
    with pytest.raises(ValidationError) as exc:
        lists.publish(review_list, a.officer, officer=places.b.officer, today=friday)
    assert codes(exc) == {"officer"}
    lists.publish(review_list, a.officer, officer=places.city_staff, today=friday)
    second.refresh_from_db()
    assert second.officer == places.city_staff and second.contact_deadline == datetime.date(2026, 12, 8)
    with pytest.raises(ValidationError) as exc:  # a published item is followed up, not reviewed
        lists.review(second, a.officer, "reject", "field")
    assert codes(exc) == {"published"}


def test_the_officer_and_deadline_of_a_published_item_can_change(places):
    item = make_matching_list(places.a)
    lists.set_follow_up(item, places.a.officer, places.city_staff, item.contact_deadline + datetime.timedelta(days=3))
    item.refresh_from_db()
    assert item.officer == places.city_staff
    with pytest.raises(ValidationError) as exc:
        lists.set_follow_up(item, places.a.officer, places.a.officer, datetime.date(2000, 1, 1))
    assert codes(exc) == {"deadline"}


# ---- answers ------------------------------------------------------------------------------------------------

def test_only_the_addressees_answer_an_item(places):
    a = places.a
    item = make_matching_list(a)
    lists.answer(item, a.university_contact, Answer.INTERESTED)
    lists.answer(item, a.enterprise_contact, Answer.DECLINED, "已有合作单位")
    item.refresh_from_db()
    assert item.addressee_answer == Answer.INTERESTED and item.enterprise_answer == Answer.DECLINED
    assert item.enterprise_note == "已有合作单位"
    for user in (places.b.university_contact, places.b.enterprise_contact, a.officer, places.leader):
        with pytest.raises(PermissionDenied):
            lists.answer(item, user, Answer.INTERESTED)
    with pytest.raises(ValidationError) as exc:
        lists.answer(item, a.university_contact, Answer.DECLINED, "")
    assert codes(exc) == {"reason_required"}


def test_an_unpublished_item_is_answered_by_nobody(places):
    item = make_matching_list(places.a, published=False)
    with pytest.raises(PermissionDenied):
        lists.answer(item, places.a.university_contact, Answer.INTERESTED)
    assert not MatchingItem.objects.addressed_to(places.a.university_contact).exists()


# ---- follow-up and the agreement ----------------------------------------------------------------------------

def test_the_contact_log_checks_its_values_and_moves_the_item_to_contacted(places):
    a = places.a
    item = make_matching_list(a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        lists.log_contact(item, a.officer, tomorrow, "carrier pigeon", "")
    assert codes(exc) == {"future", "channel", "required"}
    with pytest.raises(ValidationError) as exc:
        lists.set_stage(item, a.officer, Stage.CONTACTED)
    assert codes(exc) == {"no_contact"}
    lists.log_contact(item, a.officer, timezone.localdate(), "phone", "电话联系企业，约定下周到校考察。")
    item.refresh_from_db()
    assert item.stage == Stage.CONTACTED and item.contacts.count() == 1
    with pytest.raises(PermissionDenied):
        lists.log_contact(item, places.b.officer, timezone.localdate(), "phone", "越权")


def test_stages_follow_the_ladder_and_a_failure_has_a_coded_reason(places):
    a = places.a
    item = make_matching_list(a)
    with pytest.raises(ValidationError) as exc:
        lists.set_stage(item, a.officer, Stage.TALKING)  # 已推送 → 洽谈中 skips 已联系
    assert codes(exc) == {"stage"}
    lists.log_contact(item, a.officer, timezone.localdate(), "visit", "到企业走访。")
    lists.set_stage(item, a.officer, Stage.TALKING)
    with pytest.raises(ValidationError) as exc:
        lists.set_stage(item, a.officer, Stage.SIGNED)
    assert codes(exc) == {"sign_through_agreement"}
    with pytest.raises(ValidationError) as exc:
        lists.set_stage(item, a.officer, Stage.FAILED, "")
    assert codes(exc) == {"fail_reason"}
    lists.set_stage(item, a.officer, Stage.FAILED, "funds")
    item.refresh_from_db()
    assert item.stage == Stage.FAILED and item.fail_reason == "funds"
    with pytest.raises(ValidationError) as exc:
        lists.log_contact(item, a.officer, timezone.localdate(), "phone", "结束后")
    assert codes(exc) == {"ended"}


def test_signing_creates_the_agreement_with_the_parties_and_the_need(places):
    a = places.a
    item = make_matching_list(a)
    with pytest.raises(ValidationError) as exc:
        lists.sign(item, a.officer, "校企合作协议", timezone.localdate())
    assert codes(exc) == {"no_contact"}
    lists.log_contact(item, a.officer, timezone.localdate(), "meeting", "双方洽谈。")
    agreement = lists.sign(item, a.officer, "退火节能校企合作协议", timezone.localdate(),
                           committed_funds=Decimal("30"))
    item.refresh_from_db()
    assert item.stage == Stage.SIGNED and item.agreement == agreement
    assert set(agreement.parties.all()) == {a.enterprise, a.university}
    assert list(agreement.needs.all()) == [a.need]
    assert agreement.status == Step.SIGNED and agreement.division == a.division
    assert agreement.created_by == a.officer and agreement.evidence.filter(step=Step.SIGNED).count() == 1


# ---- overdue ----------------------------------------------------------------------------------------------------

def test_the_overdue_list_holds_items_past_their_deadline_without_contact(places):
    a = places.a
    item = make_matching_list(a)
    later = item.contact_deadline + datetime.timedelta(days=1)
    assert list(lists.overdue(a.officer, today=item.contact_deadline)) == []
    assert list(lists.overdue(a.officer, today=later)) == [item]
    assert list(lists.overdue(places.b.officer, today=later)) == []
    lists.log_contact(item, a.officer, timezone.localdate(), "phone", "已联系。")
    assert list(lists.overdue(a.officer, today=later)) == []


# ---- funnel ------------------------------------------------------------------------------------------------------

def test_the_funnel_counts_each_step_and_each_figure_has_its_items(places):
    a = places.a
    make_need(enterprise=a.enterprise, title="冷库保鲜温控技术")
    mlist = run_over(a.officer, a.division.pk).matching_list
    i1, i2, i3, i4 = mlist.items.order_by("position")
    for item in (i1, i2, i3):
        lists.review(item, a.officer, "accept")
    lists.review(i4, a.officer, "reject", "level")
    lists.publish(mlist, a.officer)
    for item in (i1, i2, i3, i4):
        item.refresh_from_db()
    today = timezone.localdate()
    for item in (i1, i2):
        lists.log_contact(item, a.officer, today, "phone", "联系。")
    lists.set_stage(i2, a.officer, Stage.FAILED, "terms")  # contacted, then failed: still counted as contacted
    lists.set_stage(i1, a.officer, Stage.TALKING)
    agreement = lists.sign(i1, a.officer, "合作协议", today)
    record_steps(agreement, [StepEntry(Step.STARTED, today, "启动会"),
                             StepEntry(Step.FUNDS_ARRIVED, today, "到账", amount=Decimal("1000")),
                             StepEntry(Step.LANDED, today, "投产")], a.officer)
    counts = lists.funnel(mlist.items.all())
    assert {k: counts[k] for k in lists.STEP_NAMES} == {
        "proposed": 4, "accepted": 3, "published": 3, "contacted": 2, "talking": 1, "signed": 1, "landed": 1}
    assert counts["introduction_rate"] == pytest.approx(2 / 3) and counts["signing_rate"] == pytest.approx(1 / 3)
    assert set(lists.step_filter(mlist.items.all(), "contacted")) == {i1, i2}
    assert set(lists.step_filter(mlist.items.all(), "landed")) == {i1}
    by_university = lists.funnel_by(mlist.items.all(), "university")
    assert [(r["label"], r["proposed"], r["signed"]) for r in by_university] == [(a.university.name, 4, 1)]
    by_county = lists.funnel_by(MatchingItem.objects.all(), "county")
    assert [(r["id"], r["published"]) for r in by_county] == [(a.division.pk, 3)]


# ---- the meeting's spreadsheet ---------------------------------------------------------------------------------------

def test_the_export_has_the_meeting_columns_and_is_set_up_for_printing(places, review_list):
    from openpyxl import load_workbook

    a = places.a
    first, second = review_list.items.order_by("position")
    lists.review(first, a.officer, "accept")
    lists.review(second, a.officer, "reject", "field")
    lists.publish(review_list, a.officer)
    sheet = load_workbook(io.BytesIO(lists.export_workbook(review_list))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == review_list.title
    assert rows[1] == ["序号", "企业", "需求", "推荐高校/专家", "推荐理由", "责任人", "时限", "进展"]
    assert len(rows) == 3  # the rejected item is not discussed
    first.refresh_from_db()
    assert rows[2][:4] == [1, a.enterprise.name, a.need.title, f"{a.expert.name}（{a.university.name}）"]
    assert "共同关键词" in rows[2][4] and str(a.officer) == rows[2][5]
    assert rows[2][6] == first.contact_deadline.isoformat() and rows[2][7] == "已推送"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$2:$2"
    assert sheet.cell(3, 5).alignment.wrap_text and sheet.cell(3, 1).border.left.style == "thin"
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["A"].width


def test_a_run_before_the_index_is_built_says_so(places, monkeypatch):
    from yiti.matching.recommend import IndexNotReady

    def not_ready(*args, **kw):
        raise IndexNotReady

    monkeypatch.setattr(lists, "candidates", not_ready)
    run = run_over(places.a.officer, places.a.division.pk)
    assert run.status == MatchingRun.Status.FAILED and "索引正在建立" in run.message
    assert not MatchingList.objects.exists()
