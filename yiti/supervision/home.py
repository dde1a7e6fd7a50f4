"""Supervision's sections on the home page (the dashboard's `add_section` hook): a leader's overdue tasks,
red and escalated first; a staff member's own open tasks, as on 我的待办."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from yiti.supervision import notify, visibility
from yiti.supervision.choices import OPEN_STATUSES, Light
from yiti.supervision.models import Task
from yiti.supervision.notify_views import LIGHT_ORDER

SHOWN = 10


def _rows(tasks: Any) -> list[Task]:
    rows = list(tasks.select_related("lead_department", "division")[:SHOWN])
    for task in rows:
        task.url = notify.task_url(task.pk)
    return rows


def overdue_section(request: Any) -> dict | None:
    """For leaders and city staff: the overdue tasks they may view, escalated first, then the longest red."""
    overdue = (Task.objects.restrict(request.user, "view")
               .filter(status__in=list(OPEN_STATUSES), light=Light.RED)
               .order_by("-escalated", "red_since", "pk"))
    return {"title": _("Overdue supervision tasks"), "template": "supervision/home_section.html",
            "tasks": _rows(overdue), "count": overdue.count(),
            "more": reverse("supervision:task_list") + "?overdue=true", "empty": _("No task is overdue.")}


def my_tasks_section(request: Any) -> dict | None:
    """For office staff: the open tasks addressed to them or their department, red first."""
    mine = visibility.addressed_to(request.user)
    if mine is None:
        return None
    tasks = (Task.objects.filter(mine, status__in=list(OPEN_STATUSES)).distinct()
             .annotate(light_order=LIGHT_ORDER).order_by("light_order", "deadline", "pk"))
    return {"title": _("My supervision tasks"), "template": "supervision/home_section.html",
            "tasks": _rows(tasks), "count": tasks.count(), "more": reverse("supervise:todo"),
            "empty": _("No open task is addressed to you.")}
