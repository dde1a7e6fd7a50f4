"""Notifications (催办): who is told, once per event, e-mail copies, 我的待办 and the bell."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from yiti.supervision import lights, notify, visibility
from yiti.supervision.choices import Light, ReportKind, TaskStatus
from yiti.supervision.models import Notification, Report, Task
from yiti.supervision.testing import make_task, world

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def told(event_prefix: str) -> set[str]:
    return {n.user.username for n in Notification.objects.filter(event__startswith=event_prefix)}


def test_assignment_tells_the_responsible_person_and_the_lead_department_s_staff(django_capture_on_commit_callbacks):
    w = world()
    with django_capture_on_commit_callbacks(execute=True):
        task = make_task(w, responsible=w.taigu_staff)
    # 榆次区 leads: its 科技局's staff below it, and the responsible person by name
    assert told(f"assigned:{task.pk}") == {"yuci_staff", "taigu_staff"}
    note = Notification.objects.filter(user=w.yuci_staff).get()
    assert note.task == task and task.title in note.text


def test_one_notification_per_user_and_event():
    w = world()
    task = make_task(w)
    Notification.objects.create(user=w.yuci_staff, task=task, event="x:1", text="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(user=w.yuci_staff, task=task, event="x:1", text="b")
    assert notify.send([(w.yuci_staff.pk, task.pk, "x:1", "c"), (w.city_staff.pk, task.pk, "x:1", "c")]) == 1
    assert notify.send([(w.yuci_staff.pk, task.pk, "x:1", "c"), (w.city_staff.pk, task.pk, "x:1", "c")]) == 0
    assert Notification.objects.filter(event="x:1").count() == 2


def test_the_daily_sweep_tells_each_event_once():
    w = world()
    yellow = make_task(w, deadline=date(2026, 12, 7))
    red = make_task(w, deadline=date(2026, 12, 1))
    escalated = make_task(w, deadline=date(2026, 11, 1))
    lights.recompute(date(2026, 12, 5))
    first = notify.sweep()
    assert first == {"assigned": 3, "yellow": 1, "red": 2, "escalated": 2}
    assert told(f"yellow:{yellow.pk}:") == {"yuci_staff"}
    assert told(f"red:{red.pk}:") == {"yuci_staff"}
    # escalation: the upper department (榆次区's parent, 市委人才办) and the leaders
    assert told(f"escalated:{escalated.pk}:") == {"city_staff", "leader"}
    assert notify.sweep() == {"assigned": 0, "yellow": 0, "red": 0, "escalated": 0}
    assert Notification.objects.count() == 8


def test_a_task_red_again_after_an_extension_is_told_again():
    w = world()
    task = make_task(w, deadline=date(2026, 12, 1))
    lights.recompute(date(2026, 12, 5))
    notify.sweep()
    Task.objects.filter(pk=task.pk).update(deadline=date(2026, 12, 3))  # extended, and missed again
    lights.recompute(date(2026, 12, 5))
    notify.sweep()
    assert Notification.objects.filter(event__startswith=f"red:{task.pk}:").count() == 2


def test_a_return_tells_the_handlers(django_capture_on_commit_callbacks):
    w = world()
    task = make_task(w, status=TaskStatus.DONE, responsible=w.yuci_staff)
    with django_capture_on_commit_callbacks(execute=True):
        Report.objects.create(task=task, kind=ReportKind.RETURN, date=date(2026, 12, 5), text="佐证材料不全{x}")
    note = Notification.objects.get(event__startswith=f"returned:{task.pk}:")
    assert note.user == w.yuci_staff and "佐证材料不全{x}" in note.text


def test_manual_reminder_once_per_task_per_day():
    w = world()
    task = make_task(w, responsible=w.yuci_staff)
    assert notify.remind(task, w.city_staff, date(2026, 12, 5), "请于本周内反馈") == 1
    note = Notification.objects.get(event=f"remind:{task.pk}:2026-12-05")
    assert "请于本周内反馈" in note.text
    with pytest.raises(ValidationError) as refused:
        notify.remind(task, w.city_staff, date(2026, 12, 5))
    assert refused.value.code == "already_reminded"
    assert notify.remind(task, w.city_staff, date(2026, 12, 6)) == 1


@pytest.mark.parametrize("who", ["yuci_staff", "leader"])
def test_only_the_assigning_office_reminds(who):
    w = world()
    task = make_task(w)
    with pytest.raises(ValidationError) as refused:
        notify.remind(task, getattr(w, who), date(2026, 12, 5))
    assert refused.value.code == "remind_not_allowed"
    assert not Notification.objects.exists()


def test_no_reminder_on_a_closed_task():
    w = world()
    task = make_task(w, status=TaskStatus.CLOSED)
    with pytest.raises(ValidationError):
        notify.remind(task, w.city_staff, date(2026, 12, 5))


def test_e_mail_copies_when_smtp_is_configured(settings):
    settings.YITI_NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = world()
    task = make_task(w, deadline=date(2026, 11, 1), responsible=w.taigu_staff)  # taigu_staff has no address
    lights.recompute(date(2026, 12, 5))
    notify.sweep()
    recipients = sorted(r for m in mail.outbox for r in m.to)
    # yuci_staff: assigned, red; city staff and leader: escalated
    assert recipients == ["city@example.org", "leader@example.org", "yuci@example.org", "yuci@example.org"]
    assert any(task.title in m.subject for m in mail.outbox)
    assert set(Notification.objects.filter(emailed=True).values_list("user__username", flat=True)) == {
        "city_staff", "leader", "yuci_staff"}
    assert not Notification.objects.filter(user=w.taigu_staff, emailed=True).exists()
    mail.outbox.clear()
    notify.sweep()
    assert mail.outbox == []


def test_no_e_mail_without_smtp(settings):
    settings.YITI_NOTIFY_BY_EMAIL = False
    w = world()
    make_task(w, deadline=date(2026, 11, 1))
    lights.recompute(date(2026, 12, 5))
    notify.sweep()
    assert Notification.objects.exists() and mail.outbox == []


# ---- pages -----------------------------------------------------------------------------------------------

def test_my_todo_lists_my_tasks_by_light_and_my_unread_notifications(client):
    w = world()
    red = make_task(w, title="红灯事项", deadline=date(2026, 11, 30))
    yellow = make_task(w, title="黄灯事项", deadline=date(2026, 12, 6))
    other = make_task(w, title="太谷事项", lead_department=w.taigu_dept, division=w.taigu)
    make_task(w, title="已办结事项", status=TaskStatus.DONE)
    lights.recompute(date(2026, 12, 5))
    notify.sweep()
    client.force_login(w.yuci_staff)
    html = client.get(reverse("supervise:todo")).content.decode()
    assert html.index("红灯事项") < html.index("黄灯事项")
    assert "太谷事项" not in html and "已办结事项" not in html
    assert f'data-task="{red.pk}"' in html and f'data-task="{yellow.pk}"' in html
    unread = Notification.objects.filter(user=w.yuci_staff, read_at=None).count()
    assert unread > 0 and f'hx-get="{reverse("supervise:bell")}"' in html  # the bell, its count loaded by htmx
    assert f'data-unread="{unread}"' in client.get(reverse("supervise:bell")).content.decode()
    assert other.pk not in [n.task_id for n in Notification.objects.filter(user=w.yuci_staff)]


def test_escalated_tasks_are_on_the_upper_department_s_and_the_leaders_todo(client):
    w = world()
    make_task(w, title="逾期已提级事项", deadline=date(2026, 11, 1))
    make_task(w, title="逾期未提级事项", deadline=date(2026, 12, 1))
    lights.recompute(date(2026, 12, 5))
    for user in (w.city_staff, w.leader):
        client.force_login(user)
        html = client.get(reverse("supervise:todo")).content.decode()
        assert "逾期已提级事项" in html and "逾期未提级事项" not in html
    client.force_login(w.taigu_staff)
    assert "逾期已提级事项" not in client.get(reverse("supervise:todo")).content.decode()


def test_mark_read_and_read_all(client):
    w = world()
    task = make_task(w)
    notify.send([(w.yuci_staff.pk, task.pk, "a:1", "第一条"), (w.yuci_staff.pk, task.pk, "a:2", "第二条"),
                 (w.taigu_staff.pk, task.pk, "a:1", "别人的")])
    mine = Notification.objects.filter(user=w.yuci_staff).order_by("pk")
    theirs = Notification.objects.get(user=w.taigu_staff)
    client.force_login(w.yuci_staff)
    assert client.post(reverse("supervise:read", args=[mine[0].pk])).status_code == 302
    assert Notification.objects.filter(user=w.yuci_staff, read_at=None).count() == 1
    assert client.post(reverse("supervise:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(reverse("supervise:read", args=[mine[1].pk])).status_code == 405
    client.post(reverse("supervise:read_all"))
    assert not Notification.objects.filter(user=w.yuci_staff, read_at=None).exists()
    assert client.get(reverse("supervise:bell")).content.decode().strip() == ""


def test_the_reminder_button_posts_once_a_day(client):
    w = world()
    task = make_task(w, responsible=w.yuci_staff)
    client.force_login(w.city_staff)
    url = reverse("supervise:remind", args=[task.pk])
    with time_machine.travel(datetime(2026, 12, 5, 23, 59, tzinfo=SH), tick=False):
        client.post(url, {"note": "抓紧"})
        response = client.post(url, {"next": reverse("supervise:todo")}, follow=True)
        assert "每天最多催办一次" in response.content.decode()
    with time_machine.travel(datetime(2026, 12, 6, 0, 1, tzinfo=SH), tick=False):
        client.post(url)
    assert sorted(Notification.objects.values_list("event", flat=True)) == [
        f"remind:{task.pk}:2026-12-05", f"remind:{task.pk}:2026-12-06"]
    client.force_login(w.yuci_staff)
    assert client.post(url).status_code == 403


def test_the_bell_counts_only_my_unread(client):
    w = world()
    task = make_task(w)
    notify.send([(w.city_staff.pk, task.pk, "b:1", "x"), (w.city_staff.pk, task.pk, "b:2", "y")])
    client.force_login(w.yuci_staff)
    assert "data-unread" not in client.get(reverse("supervise:bell")).content.decode()
    client.force_login(w.city_staff)
    assert 'data-unread="2"' in client.get(reverse("supervise:bell")).content.decode()
    # every page's header carries the bell; the page itself runs no count
    assert f'hx-get="{reverse("supervise:bell")}"' in client.get(reverse("home")).content.decode()


def test_light_is_not_read_from_the_notification_alone():
    w = world()
    task = make_task(w, deadline=date(2026, 11, 1))
    lights.recompute(date(2026, 12, 5))
    task.refresh_from_db()
    assert task.light == Light.RED


def test_tasks_addressed_to_a_user_without_duplicates(django_assert_num_queries):
    w = world()
    led = make_task(w, title="榆次牵头")
    co = make_task(w, title="太谷牵头榆次协办", lead_department=w.taigu_dept, division=w.taigu)
    co.co_departments.set([w.yuci_dept, w.yuci_office])  # two rows in the join table
    make_task(w, title="太谷自办", lead_department=w.taigu_dept, division=w.taigu)
    staff = type(w.yuci_staff).objects.get(pk=w.yuci_staff.pk)  # with its department, as requests have it
    with django_assert_num_queries(0):
        q = visibility.addressed_to(staff)
    assert list(Task.objects.filter(q).order_by("pk")) == [led, co]
    assert list(Task.objects.filter(visibility.addressed_to(w.city_staff))) == []  # the city does not lead these
