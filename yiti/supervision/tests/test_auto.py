"""Tasks raised from records and closed when the condition ends; `yiti supervise` and its schedule."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiti.agreements.choices import Step
from yiti.agreements.models import Agreement, Evidence
from yiti.agreements.testing import make_agreement
from yiti.matching.choices import ItemState, ListKind, ListStatus, Stage
from yiti.matching.models import MatchingItem, MatchingList
from yiti.needs.choices import NeedStatus
from yiti.needs.models import Need
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.platforms.choices import PlatformStatus
from yiti.platforms.models import Platform
from yiti.platforms.testing import make_platform
from yiti.supervision import auto, daily
from yiti.supervision.choices import Light, ReportKind, Source, TaskStatus
from yiti.supervision.models import Notification, Report, Task
from yiti.supervision.testing import world

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 5)
SH = ZoneInfo("Asia/Shanghai")


def live(condition: str) -> list[Task]:
    return list(Task.objects.filter(condition=condition).exclude(status=TaskStatus.CLOSED))


def test_an_agreement_not_started_after_90_days_raises_one_task_led_by_its_county():
    w = world()
    late = make_agreement(kind="enterprise", signed_date=DAY - timedelta(days=90), division=w.yuci)
    make_agreement(kind="enterprise", signed_date=DAY - timedelta(days=88), division=w.yuci)  # not yet
    run = auto.run(DAY)
    assert run.raised["not_started"] == 1
    (task,) = live("not_started")
    assert (task.source, task.source_key, task.status) == (Source.AGREEMENT, f"agreement:{late.pk}",
                                                           TaskStatus.ASSIGNED)
    assert (task.lead_department, task.assigning_department, task.division) == (w.yuci_dept, w.city_office, w.yuci)
    assert (task.assigned_on, task.deadline) == (DAY, DAY + timedelta(days=15))
    assert late.title in task.title
    assert auto.run(DAY).raised["not_started"] == 0
    assert auto.run(DAY + timedelta(days=1)).raised["not_started"] == 0
    assert Task.objects.count() == 1


def test_the_days_before_start_are_set_per_agreement_kind(settings):
    settings.YITI_SUPERVISION_NOT_STARTED_DAYS = {"locality": 180}
    w = world()
    make_agreement(kind="locality", signed_date=DAY - timedelta(days=120), division=w.yuci)
    enterprise = make_agreement(kind="enterprise", signed_date=DAY - timedelta(days=120), division=w.yuci)
    auto.run(DAY)
    assert [t.source_key for t in live("not_started")] == [f"agreement:{enterprise.pk}"]  # unnamed kind: 90


def test_starting_the_agreement_closes_the_task_with_a_report():
    w = world()
    agreement = make_agreement(signed_date=DAY - timedelta(days=100), division=w.taigu)
    auto.run(DAY)
    (task,) = live("not_started")
    assert task.lead_department == w.taigu_dept
    Agreement.objects.filter(pk=agreement.pk).update(status=Step.STARTED)
    run = auto.run(DAY + timedelta(days=2))
    assert run.closed["not_started"] == 1
    task.refresh_from_db()
    assert (task.status, task.closed_on, task.done_on) == (TaskStatus.CLOSED, DAY + timedelta(days=2),
                                                           DAY + timedelta(days=2))
    report = Report.objects.get(task=task)
    assert report.kind == ReportKind.CLOSING and "自动销号" in report.text
    assert auto.run(DAY + timedelta(days=2)).closed["not_started"] == 0
    assert Report.objects.count() == 1


def test_funds_not_arrived_after_start():
    w = world()
    agreement = make_agreement(signed_date=DAY - timedelta(days=400), division=w.yuci)
    Agreement.objects.filter(pk=agreement.pk).update(status=Step.STARTED)
    Evidence.objects.create(agreement=agreement, step=Step.STARTED, date=DAY - timedelta(days=180), note="开工")
    auto.run(DAY)
    (task,) = live("funds_late")
    assert task.source_key == f"agreement:{agreement.pk}"
    assert not live("not_started")
    Agreement.objects.filter(pk=agreement.pk).update(status=Step.FUNDS_ARRIVED)
    assert auto.run(DAY).closed["funds_late"] == 1


def test_a_need_past_its_deadline_still_published():
    w = world()
    enterprise = make_enterprise(division=w.taigu)
    need = make_need(enterprise=enterprise, published_date=date(2024, 1, 1), deadline=date(2024, 6, 30))
    make_need(enterprise=enterprise, published_date=date(2024, 1, 1), deadline=DAY)  # due today: not past
    make_need(enterprise=enterprise, published_date=date(2024, 1, 1), deadline=date(2024, 6, 30),
              status=NeedStatus.MATCHED)
    auto.run(DAY)
    (task,) = live("need_expired")
    assert (task.source_key, task.organisation, task.lead_department) == (f"need:{need.pk}", enterprise, w.taigu_dept)
    Need.objects.filter(pk=need.pk).update(deadline=DAY + timedelta(days=30))  # extended: the condition ends
    assert auto.run(DAY).closed["need_expired"] == 1


def test_a_platform_past_its_renewal_date():
    w = world()
    platform = make_platform(status=PlatformStatus.OPERATING, accredited_date=date(2020, 1, 1),
                             renewal_due=date(2026, 12, 4), division=w.yuci)
    make_platform(status=PlatformStatus.REVOKED, renewal_due=date(2026, 1, 1), division=w.yuci)
    auto.run(DAY)
    (task,) = live("renewal_due")
    assert task.source_key == f"platform:{platform.pk}" and task.organisation == platform.host
    Platform.objects.filter(pk=platform.pk).delete()  # a record that is gone ends its condition too
    assert auto.run(DAY).closed["renewal_due"] == 1


def test_a_matching_item_past_its_contact_deadline_goes_to_its_officer():
    w = world()
    need = make_need(enterprise=make_enterprise(division=w.yuci))
    mlist = MatchingList.objects.create(title="清单", kind=ListKind.NEEDS, division=w.yuci,
                                        status=ListStatus.PUBLISHED, created_by=w.yuci_staff)
    item = MatchingItem.objects.create(
        matching_list=mlist, source=f"need:{need.pk}", candidate="org:1", need=need, enterprise=need.enterprise,
        addressee=make_org(), division=w.yuci, state=ItemState.ACCEPTED, published_at=timezone.now(),
        officer=w.yuci_staff, contact_deadline=DAY - timedelta(days=1), stage=Stage.PUSHED)
    auto.run(DAY)
    (task,) = live("contact_overdue")
    assert (task.source_key, task.responsible, task.source) == (f"item:{item.pk}", w.yuci_staff, Source.MATCHING)
    MatchingItem.objects.filter(pk=item.pk).update(stage=Stage.CONTACTED)
    assert auto.run(DAY).closed["contact_overdue"] == 1


def test_a_record_without_county_is_led_by_the_city_office():
    w = world()
    make_agreement(signed_date=DAY - timedelta(days=100), division=None)
    auto.run(DAY)
    (task,) = live("not_started")
    assert (task.lead_department, task.division) == (w.city_office, w.city_division)


def test_a_task_closed_by_hand_is_not_raised_again_for_the_same_condition():
    w = world()
    need = make_need(enterprise=make_enterprise(division=w.yuci), published_date=date(2024, 1, 1),
                     deadline=date(2024, 6, 30))
    auto.run(DAY)
    (task,) = live("need_expired")
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.CLOSED, closed_on=DAY)
    assert auto.run(DAY + timedelta(days=1)).raised["need_expired"] == 0
    # a new episode (deadline extended, then missed again) raises a new task
    Need.objects.filter(pk=need.pk).update(deadline=DAY + timedelta(days=3))
    auto.run(DAY + timedelta(days=2))
    assert auto.run(DAY + timedelta(days=5)).raised["need_expired"] == 1


def test_a_task_awaiting_closing_blocks_a_second_one():
    w = world()
    make_need(enterprise=make_enterprise(division=w.yuci), published_date=date(2024, 1, 1),
              deadline=date(2024, 6, 30))
    auto.run(DAY)
    Task.objects.filter(condition="need_expired").update(status=TaskStatus.DONE, done_on=DAY)
    assert auto.run(DAY + timedelta(days=40)).raised["need_expired"] == 0


def test_nothing_is_raised_without_a_department_tree():
    make_need(enterprise=make_enterprise(), published_date=date(2024, 1, 1), deadline=date(2024, 6, 30))
    assert auto.run(DAY).raised["need_expired"] == 0
    assert not Task.objects.exists()


# ---- yiti supervise -----------------------------------------------------------------------------------------

def supervise(*args: str) -> str:
    out = StringIO()
    call_command("supervise", *args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    return (sorted(Task.objects.values_list("pk", "status", "light", "red_since", "escalated", "closed_on")),
            sorted(Notification.objects.values_list("user_id", "event")), Report.objects.count())


def test_supervise_is_idempotent_and_prints_one_line():
    w = world()
    make_agreement(signed_date=DAY - timedelta(days=200), division=w.yuci)
    make_need(enterprise=make_enterprise(division=w.taigu), published_date=date(2024, 1, 1),
              deadline=date(2024, 6, 30))
    Task.objects.create(title="会议决定事项", division=w.yuci, assigning_department=w.city_office,
                        lead_department=w.yuci_dept, assigned_on=date(2026, 11, 1), deadline=date(2026, 11, 20))
    first = supervise("--date", DAY.isoformat())
    assert first.count("\n") == 1 and "新生成 2 项" in first and "新提级 1 项" in first
    state = snapshot()
    assert Task.objects.filter(light=Light.RED, escalated=True).count() == 1
    second = supervise("--date", DAY.isoformat())
    assert "新生成 0 项，自动销号 0 项，灯色变化 0 项，新提级 0 项，发送提醒 0 条" in second
    assert snapshot() == state


def test_supervise_runs_for_today_in_shanghai(time_machine):
    w = world()
    Task.objects.create(title="今天到期", division=w.yuci, assigning_department=w.city_office,
                        lead_department=w.yuci_dept, assigned_on=date(2026, 11, 1), deadline=DAY)
    time_machine.move_to(datetime(2026, 12, 6, 0, 0, 1, tzinfo=SH), tick=False)
    assert "督办 2026-12-06" in supervise()
    assert Task.objects.get().light == Light.RED


def test_a_bad_date_is_refused_in_chinese():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期格式不正确"):
        supervise("--date", "2026-02-30")


def test_the_next_run_is_five_past_midnight_shanghai():
    assert daily.next_run(datetime(2026, 12, 5, 23, 59, 59, tzinfo=SH)) == datetime(2026, 12, 6, 0, 5, tzinfo=SH)
    assert daily.next_run(datetime(2026, 12, 6, 0, 4, tzinfo=SH)) == datetime(2026, 12, 6, 0, 5, tzinfo=SH)
    assert daily.next_run(datetime(2026, 12, 6, 0, 5, tzinfo=SH)) == datetime(2026, 12, 7, 0, 5, tzinfo=SH)


def test_the_worker_schedule_is_queued_once(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # django-tasks re-reads it
    assert daily.schedule() is True
    assert daily.schedule() is True
    queued = DBTaskResult.objects.filter(task_path="yiti.supervision.tasks.supervise_daily")
    assert queued.count() == 1
    assert queued.get().run_after.astimezone(SH).time().isoformat() == "00:05:00"
    # the worker takes it (RUNNING), runs the day and queues the next one
    from yiti.supervision.tasks import supervise_daily

    queued.update(status="RUNNING")
    assert supervise_daily.func().startswith("督办")
    assert queued.filter(status="READY").count() == 1


def test_without_a_worker_backend_cron_runs_it():
    assert daily.schedule() is False  # tests run tasks inline (ImmediateBackend): nothing to queue
    assert "cron" in supervise("--date", DAY.isoformat(), "--schedule")
