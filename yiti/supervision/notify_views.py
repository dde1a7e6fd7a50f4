"""我的待办 (my open tasks by light, my notifications), marking notifications read, the manual 催办 and the
roll-up page (督办汇总). The Task registry's own pages (list, detail, ladder) are in views.py."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiti.core.views import denied
from yiti.supervision import lights, notify, rollups, visibility
from yiti.supervision.choices import OPEN_STATUSES, Light
from yiti.supervision.models import Notification, Task

LIGHT_ORDER = Case(When(light=Light.RED, then=Value(0)), When(light=Light.YELLOW, then=Value(1)), default=Value(2),
                   output_field=IntegerField())
PAGE = 50


def todo(request):
    """My open tasks, red first, and my notifications (unread first)."""
    user = request.user
    mine = visibility.addressed_to(user)
    tasks = (Task.objects.filter(mine, status__in=list(OPEN_STATUSES)).distinct()
             .select_related("lead_department", "responsible").annotate(light_order=LIGHT_ORDER)
             .order_by("light_order", "deadline", "pk")) if mine is not None else Task.objects.none()
    by_light = {Light.RED: [], Light.YELLOW: [], Light.GREEN: []}
    rows = list(tasks[:PAGE * 4])
    for task in rows:
        task.url = notify.task_url(task.pk)
        by_light[task.light].append(task)
    notes = Notification.objects.filter(user=user)
    unread = list(notes.filter(read_at=None).order_by("-created_at", "-id")[:PAGE])
    read = list(notes.exclude(read_at=None).order_by("-created_at", "-id")[:20])
    return render(request, "supervision/todo.html", {
        "groups": [(Light(k), v) for k, v in by_light.items()], "task_count": tasks.count() if rows else 0,
        "shown": len(rows), "unread": unread, "unread_count": notes.filter(read_at=None).count(), "read": read,
    })


def bell(request):
    """The header bell's badge: my unread notifications (an htmx fragment; empty when none)."""
    unread = Notification.objects.filter(user=request.user, read_at=None).count()
    return render(request, "supervision/bell.html", {"unread": unread})


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_POST
def read(request, pk: int):
    """Mark one of my notifications read and go where it points (its task) or back."""
    note = Notification.objects.filter(user=request.user, pk=pk).first()
    if note is None:
        denied(request, "notification of another user")
        raise Http404
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    if request.POST.get("open") and note.url:
        return HttpResponseRedirect(note.url)
    return redirect(_back(request, "supervise:todo"))


@require_POST
def read_all(request):
    count = Notification.objects.filter(user=request.user, read_at=None).update(read_at=timezone.now())
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("supervise:todo")


@require_POST
def remind(request, pk: int):
    """催办 by the assigning office: at most one per task per day."""
    task = get_object_or_404(Task, pk=pk)
    if not notify.may_remind(request.user, task):
        denied(request, "remind on a task of another office")
        raise PermissionDenied(_("Only the assigning office may send a reminder on an open task."))
    try:
        told = notify.remind(task, request.user, lights.today(), request.POST.get("note", "")[:200])
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Reminder sent to %(count)d people.") % {"count": told})
    return redirect(_back(request, notify.task_url(task.pk) or "supervise:todo"))


def rollup_page(request):
    """督办汇总: by county or lead department, for a week or a month; every figure links to its list."""
    user = request.user
    if not may_see_rollups(user):
        denied(request, "supervision roll-ups")
        raise PermissionDenied(_("The roll-ups are for office staff and leaders."))
    by = request.GET.get("by") if request.GET.get("by") in rollups.GROUPS else "county"
    period = request.GET.get("period") if request.GET.get("period") in rollups.PERIODS else "month"
    today = lights.today()
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = today
    start, end = rollups.period_bounds(period, day)
    rows, total = rollups.rollup(Task.objects.restrict(user, "view"), by, period, day, today)
    return render(request, "supervision/rollups.html", {
        "rows": rows, "total": total, "by": by, "period": period, "start": start, "end": end,
        "previous": rollups.shift(period, day, -1), "next": rollups.shift(period, day, 1),
        "figures": rollups.FIGURES, "groups": rollups.GROUPS, "periods": rollups.PERIODS,
    })


def may_use_todo(user) -> bool:
    return user.is_authenticated and (user.is_superuser or getattr(user, "role", "") in ("staff", "leader"))


def may_see_rollups(user) -> bool:
    return may_use_todo(user)


def remind_section(request, registry, obj) -> dict | None:
    """The 催办 form on an open task's page, for the assigning office."""
    if not isinstance(obj, Task) or not notify.may_remind(request.user, obj):
        return None
    from django.urls import reverse

    return {"title": _("Reminder (催办)"), "template": "supervision/remind_section.html",
            "url": reverse("supervise:remind", args=[obj.pk])}
