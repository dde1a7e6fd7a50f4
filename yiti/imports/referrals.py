"""跨区记录: import rows that matched a record outside their uploader's scope, for the city office.

The uploader was told only "该行需由市级管理部门核对". City-wide staff see each row (personal data
masked), who uploaded it from which department, and the records it matched; they apply it to the
existing record (imported as themselves, through the same checks) or dismiss it.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiti.core.views import denied
from yiti.imports import services
from yiti.imports.models import Referral


def may_resolve(user: Any) -> bool:
    """City-wide office staff (and superusers): the only ones whose scope covers every county."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or (getattr(user, "role", "") == "staff" and getattr(user, "scope", "") == "city"))


def _check(request) -> None:
    if not may_resolve(request.user):
        denied(request, "role")
        raise PermissionDenied


def _record_link(registry: Any, pk: int) -> str:
    try:
        return reverse(registry.url_name("detail"), args=[pk])
    except NoReverseMatch:
        return ""


def referral_list(request):
    _check(request)
    show_resolved = request.GET.get("state") == "resolved"
    referrals = Referral.objects.select_related("user__department", "resolved_by")
    referrals = referrals.exclude(resolution="") if show_resolved else referrals.filter(resolution="")
    rows = []
    for referral in referrals[:200]:
        registry = services.registry_for(referral.registry)
        rows.append({
            "referral": referral,
            "registry": registry.model._meta.verbose_name_plural,
            "cells": services.referral_row(referral),
            "targets": [(pk, _record_link(registry, pk)) for pk in referral.targets],
        })
    return render(request, "imports/referrals.html",
                  {"rows": rows, "show_resolved": show_resolved,
                   "open_count": Referral.objects.filter(resolution="").count()})


@require_POST
def resolve(request, pk: int):
    _check(request)
    referral = get_object_or_404(Referral, pk=pk, resolution="")
    action = request.POST.get("action")
    if action == "apply":
        row = services.apply_referral(referral, request.user)
        if row.errors:
            messages.error(request, _("Row %(row)s was not applied: %(reasons)s") % {
                "row": referral.row_number,
                "reasons": "；".join(services.scrub(f"{c}: {m}" if c else m) for c, m in row.errors)})
        else:
            messages.success(request, _("Row %(row)s was applied to the existing record.") % {"row": referral.row_number})
    elif action == "dismiss":
        services.dismiss_referral(referral, request.user, request.POST.get("note", ""))
        messages.success(request, _("Row %(row)s was dismissed.") % {"row": referral.row_number})
    else:
        messages.error(request, _("Choose to apply the row or to dismiss it."))
    return redirect("imports:referrals")
