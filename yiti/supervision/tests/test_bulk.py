"""Plain-row inserts of the daily run (yiti/supervision/bulk.py): the rows are what bulk_create would write."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from yiti.supervision import bulk
from yiti.supervision.models import Notification, Task
from yiti.supervision.testing import make_task, world

pytestmark = pytest.mark.django_db


def test_inserted_rows_get_their_defaults_dates_and_timestamps():
    w = world()
    template = make_task(w)
    before = timezone.now()
    assert bulk.insert(Task, [{"title": "自动督办", "division_id": template.division_id,
                               "assigning_department_id": template.assigning_department_id,
                               "lead_department_id": template.lead_department_id, "assigned_on": date(2026, 12, 5),
                               "deadline": date(2026, 12, 20), "condition": "need_expired", "source_key": "need:1"}]) == 1
    task = Task.objects.get(source_key="need:1")
    assert (task.status, task.light, task.escalated, task.red_since) == ("assigned", "green", False, None)
    assert task.deadline == date(2026, 12, 20) and task.assigned_on == date(2026, 12, 5)
    assert before - timedelta(seconds=1) <= task.created_at <= timezone.now() and task.updated_at == task.created_at
    assert task.search_text == "" and task.created_by is None  # as bulk_create leaves them


def test_a_conflicting_row_is_skipped_when_asked():
    w = world()
    task = make_task(w)
    rows = [{"user_id": w.yuci_staff.pk, "task_id": task.pk, "event": "x:1", "text": "甲", "url": "/t/1/"},
            {"user_id": w.yuci_staff.pk, "task_id": task.pk, "event": "x:1", "text": "乙", "url": "/t/1/"},
            {"user_id": w.city_staff.pk, "task_id": task.pk, "event": "x:1", "text": "丙", "url": "/t/1/"}]
    bulk.insert(Notification, rows, ignore_conflicts=True)
    found = Notification.objects.filter(event="x:1").order_by("user_id")
    assert [n.text for n in found] == sorted(["甲", "丙"], key=lambda t: {"甲": w.yuci_staff.pk, "丙": w.city_staff.pk}[t])
    assert all(n.created_at is not None and n.read_at is None and not n.emailed for n in found)
