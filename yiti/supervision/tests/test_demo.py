"""The demo's supervision tasks: every rung of the ladder, across the counties, consistent with the ladder's rules."""

import datetime

import pytest

from yiti.demo.generate import generate
from yiti.supervision import services
from yiti.supervision.choices import OPEN_STATUSES
from yiti.supervision.models import Task

TODAY = datetime.date(2026, 6, 15)


@pytest.mark.django_db
def test_demo_tasks_cover_the_ladder_and_keep_its_rules():
    generate(scale=0.5, seed=5, today=TODAY)
    tasks = list(Task.objects.select_related("division", "lead_department", "parent"))
    assert len(tasks) >= 20
    assert {t.status for t in tasks} == {"assigned", "received", "in_progress", "done", "closed"}
    assert {t.light for t in tasks if t.status in OPEN_STATUSES} >= {"green", "red"}
    assert len({t.division_id for t in tasks}) >= 6
    parents = [t for t in tasks if t.subtasks.exists()]
    assert parents and all(p.division.code == "140700" for p in parents)
    for task in tasks:
        task.full_clean()
        assert task.assigned_on <= task.deadline and task.assigned_on <= TODAY
        assert task.lead_department.division_id == task.division_id
        for earlier, later in ((task.assigned_on, task.received_on), (task.received_on, task.done_on),
                               (task.done_on, task.closed_on)):
            assert later is None or (earlier is not None and earlier <= later <= TODAY), task
        if task.status in ("done", "closed"):
            assert services.completion_report(task) is not None, task
        if task.status == "closed":
            assert task.evaluation and task.reports.filter(kind="closing").exists()
        if task.source_key:
            kind, pk = task.source_key.split(":")
            assert services.source_exists(kind, int(pk))
        assert not [r for r in task.reports.all() if r.date > TODAY]
