"""Who may view a task beyond their data scope (docs/supervision.md, "Tasks and the ladder").

An officer's scope follows records by county or by who entered them; a task is also the work of the departments
named on it. So every office-staff account with a department may view the tasks its department leads,
co-operates on or assigned — a department-scoped officer of 榆次区科技局 sees the city's task it leads though
someone else entered it, a county officer the city-wide task their office leads. For viewing only (with the
ladder's steps, whose own rule says which department takes which step): editing the task stays within the scope.
"""

from typing import Any

from django.db.models import Q

from yiti.supervision.models import Task


def tasks_of_department(user: Any) -> Q | None:
    if getattr(user, "role", "") != "staff" or getattr(user, "scope", "") == "city":
        return None  # the whole city sees every task already; other roles get nothing from this rule
    department = getattr(user, "department_id", None)
    if department is None:
        return None
    co_operating = Task.co_departments.through.objects.filter(department_id=department).values("task_id")
    return Q(lead_department_id=department) | Q(assigning_department_id=department) | Q(pk__in=co_operating)
