"""Lights and escalation, in Asia/Shanghai, around midnight (the clock frozen with time-machine)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiti.supervision import lights
from yiti.supervision.choices import Light, TaskStatus
from yiti.supervision.models import Task
from yiti.supervision.testing import make_task, world

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
BEFORE_MIDNIGHT = datetime(2026, 12, 5, 23, 59, 59, tzinfo=SH)  # 15:59:59 UTC: the same UTC day as …
AFTER_MIDNIGHT = datetime(2026, 12, 6, 0, 0, 1, tzinfo=SH)  # … 16:00:01 UTC — only Shanghai's date moves


def state(task: Task) -> tuple[str, date | None, bool]:
    task.refresh_from_db()
    return task.light, task.red_since, task.escalated


def test_today_is_shanghai_s_date_whatever_utc_says():
    with time_machine.travel(BEFORE_MIDNIGHT, tick=False):
        assert lights.today() == date(2026, 12, 5)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        assert lights.today() == date(2026, 12, 6)
        assert datetime.now(ZoneInfo("UTC")).date() == date(2026, 12, 5)


def test_a_task_due_today_is_yellow_until_midnight_then_red():
    w = world()
    task = make_task(w, deadline=date(2026, 12, 5))
    with time_machine.travel(BEFORE_MIDNIGHT, tick=False):
        lights.recompute()
        assert state(task) == (Light.YELLOW, None, False)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        result = lights.recompute()
        assert state(task) == (Light.RED, date(2026, 12, 6), False)
        assert result.red == [task.pk]


def test_yellow_starts_three_days_before_the_deadline_at_midnight():
    w = world()
    task = make_task(w, deadline=date(2026, 12, 9))
    with time_machine.travel(BEFORE_MIDNIGHT, tick=False):
        lights.recompute()
        assert state(task)[0] == Light.GREEN
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        result = lights.recompute()
        assert state(task)[0] == Light.YELLOW
        assert result.yellow == [task.pk]


def test_yellow_days_come_from_the_setting(settings):
    settings.YITI_SUPERVISION_YELLOW_DAYS = 5
    w = world()
    task = make_task(w, deadline=date(2026, 12, 10))
    lights.recompute(date(2026, 12, 5))
    assert state(task)[0] == Light.YELLOW
    lights.recompute(date(2026, 12, 4))
    assert state(task)[0] == Light.GREEN


def test_escalation_after_seven_red_days_at_midnight():
    w = world()
    task = make_task(w, deadline=date(2026, 11, 28))  # red since 29 November
    with time_machine.travel(BEFORE_MIDNIGHT, tick=False):  # 5 December: 6 days red
        assert lights.recompute().escalated == []
        assert state(task) == (Light.RED, date(2026, 11, 29), False)
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):  # 6 December: 7 days red
        assert lights.recompute().escalated == [task.pk]
        assert state(task) == (Light.RED, date(2026, 11, 29), True)


def test_escalation_days_come_from_the_setting(settings):
    settings.YITI_SUPERVISION_ESCALATE_DAYS = 2
    w = world()
    task = make_task(w, deadline=date(2026, 12, 3))  # red since 4 December
    lights.recompute(date(2026, 12, 5))
    assert state(task)[2] is False
    lights.recompute(date(2026, 12, 6))
    assert state(task)[2] is True


def test_recomputing_twice_changes_nothing():
    w = world()
    for deadline in (date(2026, 11, 1), date(2026, 12, 1), date(2026, 12, 6), date(2027, 1, 1)):
        make_task(w, deadline=deadline)
    make_task(w, deadline=date(2026, 11, 1), status=TaskStatus.DONE, done_on=date(2026, 11, 2))
    first = lights.recompute(date(2026, 12, 5))
    assert first.changed > 0
    second = lights.recompute(date(2026, 12, 5))
    assert (second.changed, second.yellow, second.red, second.escalated) == (0, [], [], [])


def test_done_and_closed_tasks_leave_the_lights():
    w = world()
    done = make_task(w, deadline=date(2026, 11, 1), status=TaskStatus.DONE, done_on=date(2026, 11, 20),
                     light=Light.RED, red_since=date(2026, 11, 2), escalated=True)
    closed = make_task(w, deadline=date(2026, 12, 6), status=TaskStatus.CLOSED, done_on=date(2026, 12, 1),
                       closed_on=date(2026, 12, 2), light=Light.YELLOW)
    lights.recompute(date(2026, 12, 5))
    assert state(done) == (Light.GREEN, None, False)
    assert state(closed) == (Light.GREEN, None, False)


def test_a_returned_task_gets_its_light_back():
    w = world()
    task = make_task(w, deadline=date(2026, 11, 1), status=TaskStatus.DONE, done_on=date(2026, 11, 20))
    lights.recompute(date(2026, 12, 5))
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)
    lights.recompute(date(2026, 12, 5))
    assert state(task) == (Light.RED, date(2026, 11, 2), True)


def test_extending_the_deadline_takes_the_task_off_the_upper_lists():
    w = world()
    task = make_task(w, deadline=date(2026, 11, 1))
    lights.recompute(date(2026, 12, 5))
    assert state(task)[2] is True
    Task.objects.filter(pk=task.pk).update(deadline=date(2026, 12, 31))
    lights.recompute(date(2026, 12, 5))
    assert state(task) == (Light.GREEN, None, False)
    Task.objects.filter(pk=task.pk).update(deadline=date(2026, 12, 1))  # red again, since a new day
    lights.recompute(date(2026, 12, 5))
    assert state(task) == (Light.RED, date(2026, 12, 2), False)


def test_the_sql_and_the_one_task_rule_agree():
    w = world()
    day = date(2026, 12, 5)
    tasks = [make_task(w, deadline=day + timedelta(days=offset), status=status)
             for offset in range(-10, 6) for status in TaskStatus.values]
    lights.recompute(day)
    for task in tasks:
        expected = lights.light_for(task.status, task.deadline, day)
        assert state(task) == expected, (task.status, task.deadline)
        fresh = Task.objects.get(pk=task.pk)
        assert lights.apply(fresh, day) is False
