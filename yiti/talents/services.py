"""Explicit business actions on talents."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

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


def pooled_experts() -> Q:
    """The talents in the city-wide pool (docs/access.md): experts — a talent holding an active expert role — whose
    profile is public. Read from the talent's own `in_pool` flag, which the database keeps equal to that rule
    (yiti/experts/pool.py): one column, where the rule is a list of every active expert built for each query.

    Written bare (`"in_pool"`, not `in_pool = 1`): SQLite then does not answer the list's OR from two indexes — the
    pool is a large share of the table, and collecting and sorting every row of the scope and the pool (MULTI-INDEX
    OR) costs more than walking the `(id, division, in_pool)` index backwards until 25 rows qualify; the count stops
    at 10,000 (CappedPaginator). PostgreSQL reads a bare boolean from an index all the same."""
    return Q(in_pool=True)


def roles_row(talent: Talent) -> list[tuple[Any, Any]]:
    """An expert's public profile row: their active roles with the capacity left (科技特派员 剩余 2/3)."""
    from yiti.experts.services import remaining_capacity_text

    return [(_("Expert roles (capacity left)"), remaining_capacity_text(talent))]
