"""Staff's verdict on a recommendation (采纳 / 不合适) and the count of reasons behind the reasons page.

`give_feedback` is the one write path: the panels' buttons and anything later (a list's review) call it with
plain values. A 不合适 needs a coded reason (`RejectReason`; 其他 also a text) and removes the candidate from
that record's recommendations for good (`recommend` skips it). A 采纳 may put the candidate on a matching list
that is still being reviewed, as an accepted item (the list's own workflow takes it from there).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from yiti.core.models import Division
from yiti.matching.choices import ItemState, ListKind, ListStatus, RejectReason, Verdict
from yiti.matching.documents import KINDS, key, parse_key
from yiti.matching.lists import Candidate, new_item
from yiti.matching.models import Feedback, MatchingItem, MatchingList
from yiti.needs.models import Need
from yiti.results.models import Result
from yiti.talents.services import offerable

MAX_TEXT = 200


def county_of(record: Model) -> Division | None:
    """The county a record belongs to, for counting: a need's enterprise's, a result's owner's, a talent's own."""
    if isinstance(record, Need):
        return record.enterprise.division
    if isinstance(record, Result):
        return record.owner.division
    return getattr(record, "division", None)


def candidate_record(user: Any, candidate: str) -> Model:
    """The record behind a candidate key, if `user` may see it (talents: only consenting ones)."""
    try:
        kind, pk = parse_key(candidate)
    except ValueError:
        kind, pk = "", 0
    if kind == "talent":
        found = offerable(user).filter(pk=pk).first()
    elif kind:
        found = KINDS[kind]._default_manager.restrict(user).filter(pk=pk).first()  # type: ignore[attr-defined]
    else:
        found = None
    if found is None:
        raise ValidationError(_("No such candidate, or it is outside your data scope."), code="unknown_candidate")
    return found


def open_lists(user: Any, source: Model) -> QuerySet[MatchingList]:
    """The matching lists a candidate of `source` may be put on: still under review, of the source's kind
    (needs or results), for the whole city or the source's county, and started by staff the user may work
    with (the user's own lists; a city-wide officer's, every list)."""
    kind = ListKind.NEEDS if isinstance(source, Need) else ListKind.RESULTS if isinstance(source, Result) else None
    if kind is None or getattr(user, "role", "") != "staff" and not user.is_superuser:
        return MatchingList.objects.none()
    county = county_of(source)
    where = Q(division__isnull=True) | Q(division=county) if county is not None else Q(division__isnull=True)
    lists = MatchingList.objects.filter(where, kind=kind, status=ListStatus.REVIEW)
    if not (user.is_superuser or getattr(user, "scope", "") == "city"):
        lists = lists.filter(created_by=user)
    return lists.order_by("-created_at")


@transaction.atomic
def give_feedback(source: Model, *, user: Any, candidate: str, verdict: str, reason: str = "", text: str = "",
                  matching_list: int | str | None = None, score: float = 0.0,
                  reasons: list[str] | None = None) -> Feedback:
    """Record `user`'s verdict on `candidate` ("talent:5") recommended for `source`. Refused: an unknown verdict
    ("bad_verdict"), a rejection without a known reason ("reason_required"), 其他 without a text
    ("text_required"), a text over 200 characters ("text_too_long"), a candidate the user may not see
    ("unknown_candidate"), a list that is not open for this record ("list_closed")."""
    if verdict not in Verdict.values:
        raise ValidationError(_("Verdict: choose adopt or not suitable."), code="bad_verdict")
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Explanation: at most %(n)d characters.") % {"n": MAX_TEXT}, code="text_too_long")
    if verdict == Verdict.REJECTED:
        if reason not in RejectReason.values:
            raise ValidationError(_("Reason: choose why the recommendation does not fit."), code="reason_required")
        if reason == RejectReason.OTHER and not text:
            raise ValidationError(_("Explanation: say why, when the reason is “other”."), code="text_required")
    else:
        reason = ""
    record = candidate_record(user, candidate)
    chosen = None
    if verdict == Verdict.ACCEPTED and matching_list not in (None, ""):
        try:
            chosen = open_lists(user, source).get(pk=int(str(matching_list)))
        except (ValueError, MatchingList.DoesNotExist):
            raise ValidationError(_("Matching list: not a list under review for this record."),
                                  code="list_closed") from None
    feedback, _created = Feedback.objects.update_or_create(
        source=key(source), candidate=candidate,
        defaults={"verdict": verdict, "reason": reason, "text": text, "division": county_of(source), "user": user})
    if chosen is not None:
        _put_on_list(chosen, source, record, candidate, score, reasons or [])
    return feedback


def _put_on_list(chosen: MatchingList, source: Model, record: Model, candidate: str, score: float,
                 reasons: list[str]) -> MatchingItem:
    existing = chosen.items.filter(source=key(source), candidate=candidate).first()
    if existing is not None:
        return existing
    last = chosen.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = new_item(chosen, source, Candidate(candidate, record, score, reasons), position=last + 1,
                    state=ItemState.ACCEPTED)
    item.save()
    return item


# --- the reasons page ------------------------------------------------------------------------------------------

def may_see_reasons(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "role", "") in ("staff", "leader")))


def feedback_in_scope(user: Any) -> QuerySet[Feedback]:
    """Feedback on records of the user's county (a city-wide officer, a leader: all)."""
    qs = Feedback.objects.all()
    if user.is_superuser or getattr(user, "role", "") == "leader" or getattr(user, "scope", "") == "city":
        return qs
    department = getattr(user, "department", None)
    if department is None or department.division is None:
        return qs.none()
    return qs.filter(division__code__startswith=department.division.descendant_codes_prefix())


def reason_counts(qs: QuerySet[Feedback]) -> dict[str, Any]:
    """Rejections counted by reason, by candidate kind and by county; adoptions beside them."""
    rows = list(qs.values_list("verdict", "reason", "candidate", "division__name"))
    rejected = [r for r in rows if r[0] == Verdict.REJECTED]
    by_reason = Counter(r[1] for r in rejected)
    by_kind = Counter((r[2].partition(":")[0], r[1]) for r in rejected)
    by_county = Counter((r[3] or "", r[1]) for r in rejected)
    return {"total": len(rows), "adopted": len(rows) - len(rejected), "rejected": len(rejected),
            "by_reason": by_reason, "by_kind": by_kind, "by_county": by_county}
