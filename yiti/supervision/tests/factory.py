"""A small world for supervision's lights, reminders, automatic tasks and roll-ups tests (the Task registry's
own factory is supervision/testing.py, written with the registry)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from yiti.accounts.models import Department, Role, Scope, User
from yiti.accounts.testing import make_user
from yiti.core.models import Division
from yiti.core.testing import serial
from yiti.supervision.models import Task


@dataclass
class World:
    city_division: Division
    yuci: Division
    taigu: Division
    city_office: Department
    yuci_dept: Department
    yuci_office: Department
    taigu_dept: Department
    city_staff: User
    yuci_staff: User
    taigu_staff: User
    leader: User


def world() -> World:
    """The demo's department tree in small: 市委人才办 → 榆次区, 太谷区 → their 科技局, with one account each."""
    city_division = Division.objects.get(code="140700")
    yuci, taigu = Division.objects.get(code="140702"), Division.objects.get(code="140703")
    city_office = Department.objects.create(name="晋中市委人才办", kind="city", division=city_division)
    yuci_dept = Department.objects.create(name="榆次区", kind="county", parent=city_office, division=yuci)
    yuci_office = Department.objects.create(name="榆次区科技局", kind="office", parent=yuci_dept, division=yuci)
    taigu_dept = Department.objects.create(name="太谷区", kind="county", parent=city_office, division=taigu)
    Department.objects.create(name="太谷区科技局", kind="office", parent=taigu_dept, division=taigu)
    return World(
        city_division, yuci, taigu, city_office, yuci_dept, yuci_office, taigu_dept,
        city_staff=make_user("city_staff", Role.STAFF, scope=Scope.CITY, department=city_office,
                             email="city@example.org"),
        yuci_staff=make_user("yuci_staff", Role.STAFF, scope=Scope.COUNTY, department=yuci_office,
                             email="yuci@example.org"),
        taigu_staff=make_user("taigu_staff", Role.STAFF, scope=Scope.COUNTY,
                              department=Department.objects.get(name="太谷区科技局")),
        leader=make_user("leader", Role.LEADER, email="leader@example.org"),
    )


def make_task(w: World, **kw: Any) -> Task:
    defaults: dict[str, Any] = {
        "title": f"督办事项{serial()}", "division": w.yuci, "assigning_department": w.city_office,
        "lead_department": w.yuci_dept, "assigned_on": date(2026, 11, 1), "deadline": date(2026, 12, 31)}
    defaults.update(kw)
    return Task.objects.create(**defaults)


def leak_targets(world: Any) -> dict[str, Any]:
    """County B's task and one of its staff's notifications in the leak test's world (yiti/tests/world.py): what
    /supervision/remind/<pk>/ and /supervision/notifications/<pk>/read/ are aimed at."""
    from yiti.supervision.models import Notification

    b = world.b
    staff_b = make_user("staff_b_supervision", Role.STAFF, scope=Scope.COUNTY, department=b.department)
    task = Task.objects.create(title=f"{b.marker}督办事项", division=b.division, assigning_department=b.department,
                               lead_department=b.department, responsible=staff_b, assigned_on=date(2026, 11, 1),
                               deadline=date(2026, 11, 20))
    note = Notification.objects.create(user=staff_b, task=task, event=f"leak:{task.pk}", text=f"{b.marker}催办")
    return {"task": task, "notification": note}
