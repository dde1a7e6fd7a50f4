"""Who may view a need because of matching (issue 14 §1, docs/access.md).

A need stays with its county and the city, but once a matching item that proposes it to a university, an
institute or an expert's organisation is published (推送), that organisation's contacts may read the need too
(its public fields: the contact person and phone stay in scope). Registered from `MatchingConfig.ready()`
through `yiti.core.extensions.add_visibility`, so that core, which decides every query, never imports matching.
"""

from typing import Any

from django.db.models import Q

from yiti.accounts.models import Role
from yiti.matching.models import MatchingItem


def needs_addressed_to(user: Any) -> Q | None:
    """The needs of published matching items addressed to `user`'s organisation; None for other users."""
    if getattr(user, "role", "") != Role.ORG_CONTACT or not getattr(user, "organisation_id", None):
        return None
    # Uncorrelated: the items' (addressee, published_at) index gives the few need ids once per query.
    items = MatchingItem.objects.filter(addressee_id=user.organisation_id, published_at__isnull=False,
                                        need__isnull=False)
    return Q(pk__in=items.values("need_id"))
