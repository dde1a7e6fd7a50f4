"""/matching/index/: the matching index's state for the city office (documents, age, last build, changes
waiting), with a button that queues a rebuild."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiti.core.views import denied
from yiti.matching import store


def may_manage_index(user: Any) -> bool:
    """City-wide office staff and administrators: the index serves the whole city."""
    if not (user.is_authenticated and user.is_active):
        return False
    role = getattr(user, "role", "")
    return bool(user.is_superuser or role == "sysadmin" or (role == "staff" and getattr(user, "scope", "") == "city"))


def _check(request) -> None:
    if not may_manage_index(request.user):
        denied(request, "role")
        raise PermissionDenied


def index_status(request):
    _check(request)
    state = store.status()
    job = state.job
    if job is not None:
        job.reap()
    age = state.age_seconds
    return render(request, "matching/index/status.html", {
        "state": state, "info": state.info, "job": job, "building": job is not None and job.is_running(),
        "age_minutes": int(age // 60) if age is not None else None,
        "progress": job.progress() if job is not None and job.is_running() else None,
    })


@require_POST
def index_rebuild(request):
    _check(request)
    job = store.queue_build(user=request.user)
    if job.is_running():
        messages.success(request, _("The matching index is being built in the background; the pages use the new "
                                    "index within seconds of the end."))
    else:
        messages.success(request, _("The matching index was rebuilt."))
    return redirect("matching:index_status")
