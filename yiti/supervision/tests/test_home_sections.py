"""Supervision on the home page: a leader's overdue tasks, an officer's own open tasks (the dashboard's hook)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from yiti.supervision import lights
from yiti.supervision.choices import TaskStatus
from yiti.supervision.testing import make_task, world

pytestmark = pytest.mark.django_db


def test_the_leader_sees_overdue_tasks_and_the_officer_their_own(client):
    w = world()
    today = timezone.localdate()
    late = make_task(w, title="逾期未办的督办事项", assigned_on=today - timedelta(days=40),
                     deadline=today - timedelta(days=10))
    on_time = make_task(w, title="按期推进的督办事项", assigned_on=today - timedelta(days=2),
                        deadline=today + timedelta(days=30))
    taigu = make_task(w, title="太谷区的逾期事项", division=w.taigu, lead_department=w.taigu_dept,
                      assigned_on=today - timedelta(days=40), deadline=today - timedelta(days=5))
    done = make_task(w, title="已办结的事项", assigned_on=date(2026, 1, 1), deadline=today - timedelta(days=3),
                     status=TaskStatus.DONE, done_on=today - timedelta(days=4))
    lights.recompute(today)

    client.force_login(w.leader)
    page = client.get("/").content.decode()
    assert "逾期督办事项" in page
    assert late.title in page and taigu.title in page
    assert on_time.title not in page and done.title not in page

    client.force_login(w.yuci_staff)
    page = client.get("/").content.decode()
    assert "我的督办事项" in page
    assert late.title in page and on_time.title in page  # theirs, red first
    assert page.index(late.title) < page.index(on_time.title)
    assert taigu.title not in page and done.title not in page


def test_the_time_limit_has_one_name_on_the_home_page_the_todo_and_the_split_form(client):
    """The task's form, list and page call its deadline 办结时限; the home section, 我的待办 and the split form
    called it 截止日期 — one field, one name."""
    w = world()
    today = timezone.localdate()
    make_task(w, title="逾期未办的督办事项", assigned_on=today - timedelta(days=40), deadline=today - timedelta(days=10),
              responsible=w.yuci_staff)
    lights.recompute(today)
    client.force_login(w.yuci_staff)
    for url in ("/", "/supervision/todo/"):
        page = client.get(url).content.decode()
        assert "办结时限" in page and "截止日期" not in page, url
    from yiti.supervision.forms import SplitForm

    assert str(SplitForm.base_fields["deadline"].label) == "办结时限"
    parent = make_task(w, title="全市分解事项", division=w.city_division, lead_department=w.city_office)
    make_task(w, title="全市分解事项（榆次区）", parent=parent)
    client.force_login(w.city_staff)
    page = client.get(f"/supervision/{parent.pk}/").content.decode()
    subtasks = page[page.index('id="subtasks"'):]
    assert "办结时限" in subtasks[:3000] and "<th class=\"text-nowrap\">时限</th>" not in subtasks[:3000]
