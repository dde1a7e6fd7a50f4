"""Explicit business actions on talents."""

import datetime
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
def log_contact(talent: Talent, *, user: Any, date: datetime.date, channel: str, summary: str) -> ContactLog:
    """Record a contact with `talent` made by `user`. Refused (codes of the model's fields): a date after
    today ("future"), an unknown channel ("invalid_choice"), a missing date, channel or summary."""
    contact = ContactLog(talent=talent, date=date, channel=channel, summary=(summary or "").strip(), by_user=user)
    contact.full_clean(exclude=["talent", "by_user"])
    contact.save()
    return contact


def offerable(user) -> "QuerySet[Talent]":
    """The talents that may be offered to enterprises (recommendations, matching lists): those the
    user may see and who consent to being recommended. A talent who withdrew consent never appears."""
    return Talent.objects.restrict(user, "view").filter(consent_to_recommend=True)
