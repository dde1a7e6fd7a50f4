"""Test factories for supervision tasks: one valid record with sensible defaults, any field overridable."""

import datetime
from typing import Any

from django.utils import timezone

from yiti.accounts.models import Department
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


def make_task(co_departments=(), **kw: Any) -> Task:
    """A task assigned by the city office to 榆次区科技局 a week ago, due in three weeks."""
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "title": f"推进校企合作项目落地{serial()}", "source": "meeting",
        "division": kw.get("division") or county(),
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
