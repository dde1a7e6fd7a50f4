"""Test factories for supervision tasks: one task factory (`make_task`: a valid task with sensible defaults, any
field overridable; given a `World`, the small department tree's defaults), the department tree of the demo in
small (`world`) for the lights, reminders, automatic tasks and roll-ups, and the access tests' records."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from yiti.accounts.models import Department, Role, Scope, User
from yiti.accounts.testing import make_user
from yiti.core.models import Division
from yiti.core.testing import county, serial
from yiti.supervision.models import Task


def department(name: str, division: Division | None = None, kind: str = "office", parent=None) -> Department:
    """A department (found again by name and parent), in `division` (the county 140702 by default)."""
    found, _ = Department.objects.get_or_create(name=name, parent=parent,
                                                defaults={"kind": kind, "division": division or county()})
    return found


def city_office() -> Department:
    return department("晋中市委人才办", Division.objects.get(code="140700"), kind="city")


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
    city = Department.objects.create(name="晋中市委人才办", kind="city", division=city_division)
    yuci_dept = Department.objects.create(name="榆次区", kind="county", parent=city, division=yuci)
    yuci_office = Department.objects.create(name="榆次区科技局", kind="office", parent=yuci_dept, division=yuci)
    taigu_dept = Department.objects.create(name="太谷区", kind="county", parent=city, division=taigu)
    Department.objects.create(name="太谷区科技局", kind="office", parent=taigu_dept, division=taigu)
    return World(
        city_division, yuci, taigu, city, yuci_dept, yuci_office, taigu_dept,
        city_staff=make_user("city_staff", Role.STAFF, scope=Scope.CITY, department=city, email="city@example.org"),
        yuci_staff=make_user("yuci_staff", Role.STAFF, scope=Scope.COUNTY, department=yuci_office,
                             email="yuci@example.org"),
        taigu_staff=make_user("taigu_staff", Role.STAFF, scope=Scope.COUNTY,
                              department=Department.objects.get(name="太谷区科技局")),
        leader=make_user("leader", Role.LEADER, email="leader@example.org"),
    )


def make_task(w: World | None = None, co_departments=(), **kw: Any) -> Task:
    """A task assigned by the city office a week ago to 榆次区科技局, due in three weeks; given a `World`, assigned
    by its city office on 2026-11-01 to 榆次区 (the county department), due 2026-12-31."""
    defaults: dict[str, Any]
    if w is not None:
        defaults = {"title": f"督办事项{serial()}", "division": w.yuci, "assigning_department": w.city_office,
                    "lead_department": w.yuci_dept, "assigned_on": datetime.date(2026, 11, 1),
                    "deadline": datetime.date(2026, 12, 31)}
    else:
        today = timezone.localdate()
        defaults = {
            "title": f"推进校企合作项目落地{serial()}", "source": "meeting", "division": kw.get("division") or county(),
            "assigning_department": kw.pop("assigning_department", None) or city_office(),
            "lead_department": kw.pop("lead_department", None) or department("榆次区科技局", county("140702"),
                                                                              parent=city_office()),
            "assigned_on": today - datetime.timedelta(days=7), "deadline": today + datetime.timedelta(days=21),
        }
    defaults.update(kw)
    task = Task.objects.create(**defaults)
    if co_departments:
        task.co_departments.set(co_departments)
    return task


def world_record(place: Any) -> Task:
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): `place` has the
    county's division, department, enterprise, university, marker and the records made so far (in INSTALLED_APPS
    order). The task concerns the county's enterprise and comes from its agreement; the county's office assigned it
    (so its officers may edit it, as they may every other record of their county)."""
    agreement = place.records.get("agreements.agreement")
    return make_task(title=f"{place.marker}督办事项", division=place.division, organisation=place.enterprise,
                     lead_department=place.department, assigning_department=place.department,
                     source="agreement", source_key=f"agreement:{agreement.pk}" if agreement else "",
                     description=f"{place.marker}督办要求", assigned_on=datetime.date(2025, 5, 1),
                     deadline=datetime.date(2025, 8, 1))


def leak_targets(world: Any) -> dict[str, Any]:
    """County B's task and one of its staff's notifications in the leak test's world (yiti/tests/world.py): what
    /supervision/remind/<pk>/ and /supervision/notifications/<pk>/read/ are aimed at."""
    from yiti.supervision.models import Notification

    b = world.b
    staff_b = make_user("staff_b_supervision", Role.STAFF, scope=Scope.COUNTY, department=b.department)
    task = make_task(title=f"{b.marker}督办事项", division=b.division, assigning_department=b.department,
                     lead_department=b.department, responsible=staff_b, assigned_on=datetime.date(2026, 11, 1),
                     deadline=datetime.date(2026, 11, 20))
    note = Notification.objects.create(user=staff_b, task=task, event=f"leak:{task.pk}", text=f"{b.marker}催办")
    return {"task": task, "notification": note}
