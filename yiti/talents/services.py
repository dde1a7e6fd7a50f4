"""Explicit business actions on talents."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from yiti.core import code_data
from yiti.talents.models import ContactLog, Programme, Talent


def sync_programmes(**kwargs: Any) -> None:
    """Keep the programme dictionary equal to the package code table (never deletes)."""
    for p in code_data.talent_programmes():
        Programme.objects.update_or_create(code=p.code, defaults={"name": p.name, "level": p.level})


@transaction.atomic
def log_contact(talent: Talent, *, date, channel: str, summary: str, by_user) -> ContactLog:
    return ContactLog.objects.create(talent=talent, date=date, channel=channel, summary=summary, by_user=by_user)


def offerable(user) -> "QuerySet[Talent]":
    """The talents that may be offered to enterprises (recommendations, matching lists): those the
    user may see and who consent to being recommended. A talent who withdrew consent never appears."""
    return Talent.objects.restrict(user, "view").filter(consent_to_recommend=True)
