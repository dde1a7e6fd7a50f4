"""Who may view a task beyond their data scope (docs/supervision.md, "Tasks and the ladder"): one rule,
`visible_to`, registered as the Task's visibility rule; `addressed_to`, its part that 我的待办 and the home page
list, is what is the user's to do.

An officer's scope follows records by county or by who entered them; a task is also the work of the departments
named on it. So a task is visible to whoever it is addressed to (`addressed_to`: the responsible person, the
staff of the lead and co-operating departments and of a county department's offices, the upper department and
the leaders once escalated) and, for office staff narrowed to a county or a department, to the department that
assigned it — a department-scoped officer of 榆次区科技局 sees the city's task it leads though someone else
entered it, a county office the task it assigned. For viewing only (with the ladder's steps, whose own rule says
which department takes which step): editing the task stays within the scope.
"""

from typing import Any

from django.db.models import Q

from yiti.accounts.models import Department, DepartmentKind, Role
from yiti.supervision.models import Task


def addressed_to(user: Any) -> Q | None:
    """The tasks addressed to `user`: theirs by name, their department's (or a department under it, as lead
    or co-operating), and those escalated to their department (the lead department's parent). Leaders: every
    escalated task. 我的待办 lists them. None when nothing is."""
    if not user.is_authenticated or not user.is_active:
        return None
    q = Q(responsible=user)
    if getattr(user, "role", "") == Role.LEADER:
        q |= Q(escalated=True)
    department = getattr(user, "department", None)
    if department is not None:
        # an office's staff also act for the county department above it; subqueries, not joins: the rule is
        # ORed into every list of tasks (no extra round trip, no duplicate rows)
        county_above = Department.objects.filter(pk=department.parent_id, kind=DepartmentKind.COUNTY).values("pk")
        led = Q(lead_department_id=department.pk) | Q(lead_department__in=county_above)
        co_operating = Task.co_departments.through.objects.filter(
            Q(department_id=department.pk) | Q(department__in=county_above)).values("task_id")
        above = Q(lead_department__parent_id=department.pk) | Q(lead_department__parent__in=county_above)
        q |= led | Q(pk__in=co_operating) | (Q(escalated=True) & above)
    return q


def visible_to(user: Any) -> Q | None:
    """The Task's visibility rule: the tasks addressed to `user`, and for office staff narrowed to a county or
    a department the tasks their department assigned (city-wide staff see every task already)."""
    q = addressed_to(user)
    department = getattr(user, "department_id", None)
    if q is not None and department is not None and getattr(user, "role", "") == Role.STAFF \
            and getattr(user, "scope", "") != "city":
        q |= Q(assigning_department_id=department)
    return q
