"""Matching lists (对接清单): the run that proposes, staff review, publishing, the answers of both sides,
follow-up until an agreement is signed, the funnel and the meeting's spreadsheet.

Every rule of the workflow is here, as functions taking plain values and raising `ValidationError`s with a
stable code (`PermissionDenied` when the user may not act at all); the views only read forms and call them.
Who sees a list is `MatchingList.objects.visible(user)` (`yiti.matching.models.list_scope_q`), once.

Candidates come from `candidates()`, the one call into the recommendation service
(`yiti.matching.recommend.recommend`); tests replace it.
"""

import datetime
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.accounts.models import User
from yiti.agreements.choices import AgreementKind, Step
from yiti.agreements.services import create_agreement
from yiti.core.access import _division_ids, home_division
from yiti.core.forked import map_in_forks
from yiti.core.jobs import Cancelled
from yiti.core.models import Division
from yiti.matching.choices import (
    Answer,
    FailReason,
    ItemState,
    ListKind,
    ListStatus,
    RejectReason,
    Stage,
    Verdict,
)
from yiti.matching.documents import key, parse_key, resolve
from yiti.matching.models import Feedback, ItemContact, MatchingItem, MatchingList, MatchingRun
from yiti.matching.recommend import IndexNotReady, recommend
from yiti.needs.models import Need
from yiti.orgs.choices import OrgType
from yiti.orgs.models import Organisation
from yiti.platforms.models import Platform
from yiti.results.models import Result
from yiti.talents.choices import ContactChannel
from yiti.talents.models import Talent

logger = logging.getLogger(__name__)

# What a run asks for each record: (recommendation kind, how many).
PER_RECORD: dict[str, tuple[tuple[str, int], ...]] = {
    ListKind.NEEDS: (("experts", 3), ("orgs", 2)),
    ListKind.RESULTS: (("enterprises", 5),),
}
DEFAULT_DEADLINE_WORKING_DAYS = 5
# The follow-up ladder: which stages may follow which (已签约 only through `sign`).
NEXT_STAGES: dict[str, tuple[str, ...]] = {
    Stage.PUSHED: (Stage.CONTACTED, Stage.FAILED),
    Stage.CONTACTED: (Stage.TALKING, Stage.SIGNED, Stage.FAILED),
    Stage.TALKING: (Stage.SIGNED, Stage.FAILED),
}


@dataclass
class Candidate:
    """What an item is made of (a `Recommendation` of the recommend service has the same fields)."""

    key: str
    record: Any
    score: float = 0.0
    reasons: Sequence[str] = ()


def candidates(user: Any, record: Any, kind: str, top: int) -> list[Any]:
    """The recommendation service (`yiti.matching.recommend.recommend`): records `user` may see, consenting
    talents only, never a candidate rejected for this record."""
    return list(recommend(user, record, kind, top=top))


# ---- who may do what --------------------------------------------------------------------------------

def is_worker(user: Any) -> bool:
    """Office staff (and superusers) run, review, publish and follow up; leaders only read."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == "staff"))


def may_read(user: Any, mlist: MatchingList) -> bool:
    return MatchingList.objects.visible(user).filter(pk=mlist.pk).exists()


def may_work(user: Any, mlist: MatchingList) -> bool:
    return is_worker(user) and may_read(user, mlist)


def _need_worker(user: Any, mlist: MatchingList) -> None:
    if not may_work(user, mlist):
        raise PermissionDenied(_("Only office staff in charge of this list may change it."))


def run_divisions(user: Any) -> list[Division] | None:
    """The divisions `user` may run a list over: None = any county or the whole city; a county officer
    only their county."""
    if not is_worker(user):
        return []
    if user.is_superuser or user.scope == "city":
        return None
    department = user.department
    if department is None:
        return []
    if user.scope == "county" and Division.objects.filter(parent_id=department.division_id).exists():
        return None  # a city department
    return [department.division]


# ---- working days -------------------------------------------------------------------------------------

def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`days` working days (Monday–Friday) after `start`."""
    day = start
    left = days
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def deadline_working_days() -> int:
    return int(getattr(settings, "YITI_CONTACT_DEADLINE_WORKING_DAYS", DEFAULT_DEADLINE_WORKING_DAYS))


# ---- a run --------------------------------------------------------------------------------------------

@dataclass
class Scope:
    """What a run covers, as plain values."""

    kind: str
    division_id: int | None = None  # None: the whole city
    need_types: Sequence[str] = ()
    statuses: Sequence[str] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def criteria(self) -> dict[str, Any]:
        return {"need_types": list(self.need_types), "statuses": list(self.statuses),
                "date_from": self.date_from.isoformat() if self.date_from else "",
                "date_to": self.date_to.isoformat() if self.date_to else ""}

    @classmethod
    def of(cls, mlist: MatchingList) -> "Scope":
        c = mlist.criteria or {}
        day = datetime.date.fromisoformat
        return cls(mlist.kind, mlist.division_id, c.get("need_types", []), c.get("statuses", []),
                   day(c["date_from"]) if c.get("date_from") else None, day(c["date_to"]) if c.get("date_to") else None)


def records_in_scope(user: Any, scope: Scope) -> models.QuerySet:
    """The needs (or results) a run over `scope` proposes candidates for, within what `user` may see."""
    ids = _division_ids(scope.division_id) if scope.division_id else None
    if scope.kind == ListKind.NEEDS:
        qs = Need.objects.restrict(user, "view").select_related("enterprise")
        if ids is not None:
            qs = qs.filter(enterprise__division_id__in=ids)
        if scope.need_types:
            qs = qs.filter(need_type__in=scope.need_types)
        if scope.statuses:
            qs = qs.filter(status__in=scope.statuses)
        if scope.date_from:
            qs = qs.filter(published_date__gte=scope.date_from)
        if scope.date_to:
            qs = qs.filter(published_date__lte=scope.date_to)
        return qs.order_by("-published_date", "pk")
    if scope.kind == ListKind.RESULTS:
        rqs = Result.objects.restrict(user, "view").select_related("owner")
        if ids is not None:
            rqs = rqs.filter(owner__division_id__in=ids)
        if scope.statuses:
            rqs = rqs.filter(status__in=scope.statuses)
        if scope.date_from:
            rqs = rqs.filter(year__gte=scope.date_from.year)
        if scope.date_to:
            rqs = rqs.filter(year__lte=scope.date_to.year)
        return rqs.order_by("-year", "pk")
    raise ValidationError(_("Choose the kind of list."), code="kind")


def check_scope(user: Any, scope: Scope) -> None:
    if scope.kind not in ListKind.values:
        raise ValidationError({"kind": ValidationError(_("Choose the kind of list."), code="kind")})
    allowed = run_divisions(user)
    if allowed is not None and scope.division_id not in {d.pk for d in allowed}:
        raise ValidationError({"division": ValidationError(
            _("You may only run a list over your own county."), code="division")})
    if scope.date_from and scope.date_to and scope.date_to < scope.date_from:
        raise ValidationError({"date_to": ValidationError(_("The end of the date range lies before its start."),
                                                          code="date_range")})


def start_run(user: Any, scope: Scope, title: str = "") -> MatchingRun:
    """Check the scope, refuse one without records, then create the list (being built) and its run; the
    caller queues `tasks.run_job` (or calls `build`)."""
    if not is_worker(user):
        raise PermissionDenied(_("Only office staff may build matching lists."))
    check_scope(user, scope)
    if not records_in_scope(user, scope).exists():
        raise ValidationError(_("No record matches this scope: there is nothing to match. Widen the scope "
                                "(county, types, status, dates)."), code="no_records")
    division = Division.objects.filter(pk=scope.division_id).first() if scope.division_id else None
    if not title.strip():
        where = division.name if division else _("whole city")
        title = _("%(kind)s · %(where)s · %(date)s") % {
            "kind": ListKind(scope.kind).label, "where": where, "date": timezone.localdate().isoformat()}
    with transaction.atomic():
        mlist = MatchingList.objects.create(title=title.strip()[:200], kind=scope.kind, division=division,
                                            criteria=scope.criteria(), status=ListStatus.BUILDING, created_by=user)
        return MatchingRun.objects.create(registry="matching", user=user, matching_list=mlist)


def build(run: MatchingRun) -> None:
    """The run's work: every record in scope, its candidates, into the list, which then waits for review."""
    mlist = run.matching_list
    if mlist is None:
        run.finish(MatchingRun.Status.FAILED, _("The list of this run was deleted."))
        return
    try:
        with run.working():
            records = list(records_in_scope(run.user, Scope.of(mlist)))
            run.records = len(records)
            if not records:
                _drop(run, mlist)
                run.finish(MatchingRun.Status.FAILED, _("No record matches this scope: there is nothing to match."))
                return

            def progress(done: int) -> None:
                run.check_cancel()
                run.set_progress("matching", done, len(records))

            # The records in forked processes, one per core of the worker (docs/matching.md "Lists").
            proposals = map_in_forks(partial(_proposals, run.user, mlist), records,
                                     workers=settings.YITI_MATCHING_RUN_WORKERS, after=progress)
            items = [item for found, _short in proposals for item in found]
            too_short = sum(short for _found, short in proposals)
            for position, item in enumerate(items, 1):
                item.position = position
            with transaction.atomic():
                MatchingItem.objects.bulk_create(items)
                if not items:
                    _drop(run, mlist)
                else:
                    mlist.status = ListStatus.REVIEW
                    mlist.save(update_fields=["status"])
        if not items:
            run.finish(MatchingRun.Status.FAILED, _("No candidate was found for the %(n)d records of this scope.")
                       % {"n": len(records)})
            return
        message = _("%(items)d proposals for %(records)d records.") % {"items": len(items), "records": len(records)}
        if too_short:
            message += " " + _("%(n)d records are described too briefly to match; complete their description.") % {
                "n": too_short}
        run.finish(MatchingRun.Status.DONE, message)
    except IndexNotReady:
        _drop(run, mlist)
        run.finish(MatchingRun.Status.FAILED, _("The matching index is being built; start the run again in a few "
                                                "minutes."))
    except Cancelled:
        _drop(run, mlist)
        run.finish(MatchingRun.Status.FAILED, _("The run was cancelled; no list was kept."))
    except Exception:
        logger.exception("matching run %s failed", run.pk)
        _drop(run, mlist)
        run.finish(MatchingRun.Status.FAILED, _("The run failed; no list was kept. Try again, or tell the "
                                                "administrator if it fails again."))


def _proposals(user: Any, mlist: MatchingList, record: Any) -> tuple[list[MatchingItem], bool]:
    """A run's unsaved items for one record, and whether the record was too short to match."""
    items: list[MatchingItem] = []
    for kind, top in PER_RECORD[mlist.kind]:
        try:
            found = candidates(user, record, kind, top)
        except ValidationError as exc:
            if getattr(exc, "code", "") == "too_short":
                return items, True
            raise
        items.extend(new_item(mlist, record, c) for c in found)
    return items, False


def _drop(run: MatchingRun, mlist: MatchingList) -> None:
    """A run that produced nothing keeps no (empty) list."""
    MatchingList.objects.filter(pk=mlist.pk).delete()
    run.matching_list = None


def _addressee(candidate: Any) -> Organisation | None:
    if isinstance(candidate, Talent):
        return candidate.organisation
    if isinstance(candidate, Organisation):
        return candidate
    if isinstance(candidate, Platform):
        return candidate.host
    if isinstance(candidate, Result):
        return candidate.owner
    return None


def new_item(mlist: MatchingList, record: Any, found: Any, **kw: Any) -> MatchingItem:
    """An unsaved item for `record` and one candidate (a Recommendation or a `Candidate`): who it is addressed to,
    the need and the enterprise, for a run, a hand-added candidate and one adopted on a record's page alike."""
    if isinstance(record, Need):
        need, enterprise, addressee = record, record.enterprise, _addressee(found.record)
    elif isinstance(found.record, Need):  # a result and a need it may answer (adopted on the result's page)
        need, enterprise, addressee = found.record, found.record.enterprise, _addressee(record)
    else:  # a result: the candidate is an enterprise, the result's owner the addressee
        need, enterprise, addressee = None, found.record, _addressee(record)
    return MatchingItem(
        matching_list=mlist, source=key(record), candidate=found.key, need=need, enterprise=enterprise,
        addressee=addressee, division_id=enterprise.division_id if enterprise else None,
        score=round(float(found.score), 4), reasons=[str(r) for r in list(found.reasons)[:3]], **kw)


# ---- review ---------------------------------------------------------------------------------------------

def _reviewable(item: MatchingItem, user: Any) -> None:
    _need_worker(user, item.matching_list)
    if item.matching_list.status in (ListStatus.BUILDING, ListStatus.CLOSED):
        raise ValidationError(_("This list is not open for review."), code="not_in_review")
    if item.published_at is not None:
        raise ValidationError(_("This item is already published; follow it up instead."), code="published")


@transaction.atomic
def review(item: MatchingItem, user: Any, action: str, reason: str = "", text: str = "") -> MatchingItem:
    """accept, reject (with a coded reason), reset, lock, unlock. A locked item keeps its decision and place."""
    _reviewable(item, user)
    if action == "lock":
        item.locked = True
    elif action == "unlock":
        item.locked = False
    elif action in ("accept", "reject", "reset"):
        if item.locked:
            raise ValidationError(_("This item is locked; unlock it first."), code="locked")
        if action == "reject":
            if reason not in RejectReason.values:
                raise ValidationError({"reason": ValidationError(_("Choose why the candidate does not fit."),
                                                                 code="reason")})
            if reason == RejectReason.OTHER and not text.strip():
                raise ValidationError({"text": ValidationError(_("Explain the reason “Other”."), code="reason_text")})
            item.state, item.reject_reason, item.reject_text = ItemState.REJECTED, reason, text.strip()[:200]
            _feedback(item, user, Verdict.REJECTED, reason, text)
        elif action == "accept":
            item.state, item.reject_reason, item.reject_text = ItemState.ACCEPTED, "", ""
            _feedback(item, user, Verdict.ACCEPTED)
        else:
            item.state, item.reject_reason, item.reject_text = ItemState.PROPOSED, "", ""
    else:
        raise ValidationError(_("Unknown review action."), code="action")
    item.save()
    return item


def _feedback(item: MatchingItem, user: Any, verdict: str, reason: str = "", text: str = "") -> None:
    """A review is also feedback on the recommendation: a rejected candidate never comes back for the record."""
    Feedback.objects.update_or_create(source=item.source, candidate=item.candidate, defaults={
        "verdict": verdict, "reason": reason, "text": text.strip()[:200], "division_id": item.division_id,
        "user": user})


@transaction.atomic
def move(item: MatchingItem, user: Any, direction: str) -> None:
    """Move an item one place up or down its list (a locked item, or a swap with one, is refused)."""
    _reviewable(item, user)
    rows = list(item.matching_list.items.order_by("position", "id"))
    index = next(i for i, r in enumerate(rows) if r.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1 if direction == "down" else None
    if other is None:
        raise ValidationError(_("Unknown review action."), code="action")
    if not 0 <= other < len(rows):
        return
    if rows[index].locked or rows[other].locked:
        raise ValidationError(_("A locked item keeps its place; unlock it first."), code="locked")
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, 1):
        row.position = position
    MatchingItem.objects.bulk_update(rows, ["position"])


def _kind_of_candidate(mlist: MatchingList, candidate: Any) -> bool:
    if mlist.kind == ListKind.NEEDS:
        return isinstance(candidate, Talent | Platform) or (
            isinstance(candidate, Organisation) and candidate.org_type != OrgType.ENTERPRISE)
    return isinstance(candidate, Organisation) and candidate.org_type == OrgType.ENTERPRISE


@transaction.atomic
def add_candidate(mlist: MatchingList, user: Any, record: Any, candidate: Any, score: float = 0.0,
                  reasons: Sequence[str] = ()) -> MatchingItem:
    """Put a candidate on a list by hand (accepted: staff chose it), at the end of the list."""
    _need_worker(user, mlist)
    if mlist.status in (ListStatus.BUILDING, ListStatus.CLOSED):
        raise ValidationError(_("This list is not open for review."), code="not_in_review")
    expected = Need if mlist.kind == ListKind.NEEDS else Result
    if not isinstance(record, expected):
        raise ValidationError({"record": ValidationError(
            _("This list takes enterprise needs.") if expected is Need else _("This list takes research results."),
            code="record_kind")})
    if not _kind_of_candidate(mlist, candidate):
        raise ValidationError({"candidate": ValidationError(
            _("This list recommends experts, universities, institutes or platforms.") if mlist.kind == ListKind.NEEDS
            else _("This list recommends enterprises."), code="candidate_kind")})
    if mlist.items.filter(source=key(record), candidate=key(candidate)).exists():
        raise ValidationError(_("This candidate is already on the list for this record."), code="duplicate")
    last = mlist.items.aggregate(m=models.Max("position"))["m"] or 0
    item = new_item(mlist, record, Candidate(key(candidate), candidate, score, reasons or [_("Added by hand.")]),
                 position=last + 1, by_hand=True, state=ItemState.ACCEPTED)
    item.save()
    _feedback(item, user, Verdict.ACCEPTED)
    return item


def hand_list(user: Any, kind: str) -> MatchingList:
    """The list a candidate adopted on a record's page goes to: the user's newest list of that kind still in
    review, else a new one for their county (the whole city for city staff)."""
    found = (MatchingList.objects.visible(user).filter(created_by=user, kind=kind, status=ListStatus.REVIEW)
             .order_by("-created_at").first())
    if found is not None:
        return found
    return new_list(user, kind)


def new_list(user: Any, kind: str, title: str = "") -> MatchingList:
    """An empty list under review, filled by hand (采纳 on record pages, 手工添加), for the user's county (the
    whole city for city staff)."""
    if not is_worker(user):
        raise PermissionDenied(_("Only office staff may build matching lists."))
    if kind not in ListKind.values:
        raise ValidationError({"kind": ValidationError(_("Choose the kind of list."), code="kind")})
    title = title.strip()[:200] or _("Matching list by hand · %(date)s") % {"date": timezone.localdate().isoformat()}
    return MatchingList.objects.create(title=title, kind=kind, division=home_division(user), status=ListStatus.REVIEW,
                                       created_by=user, criteria={"by_hand": True})


def adopt(user: Any, source_key: str, candidate_key: str, mlist: MatchingList | None = None, score: float = 0.0,
          reasons: Sequence[str] = ()) -> MatchingItem:
    """采纳 on a record's page: the candidate goes onto a list (`hand_list` unless one is given). Both records
    must be ones the user may see."""
    try:
        parse_key(source_key)
        parse_key(candidate_key)
    except ValueError:
        raise ValidationError(_("Unknown record."), code="key") from None
    found = resolve([source_key, candidate_key])
    record, candidate = found.get(source_key), found.get(candidate_key)
    for obj in (record, candidate):
        manager: Any = type(obj)._default_manager if obj is not None else None
        if obj is None or not manager.restrict(user, "view").filter(pk=obj.pk).exists():
            raise ValidationError(_("Unknown record."), code="key")
    kind = ListKind.NEEDS if isinstance(record, Need) else ListKind.RESULTS
    return add_candidate(mlist or hand_list(user, kind), user, record, candidate, score, reasons)


# ---- publishing --------------------------------------------------------------------------------------------

def officers_for(mlist: MatchingList) -> list[User]:
    """Staff who may follow up the list's items: office staff who see it."""
    staff = User.objects.filter(Q(role="staff") | Q(is_superuser=True), is_active=True).order_by("username")
    return [u for u in staff if may_read(u, mlist)]


def _check_officer(mlist: MatchingList, officer: Any) -> None:
    if officer is None or not is_worker(officer) or not may_read(officer, mlist):
        raise ValidationError({"officer": ValidationError(
            _("The responsible officer must be office staff who see this list."), code="officer")})


@transaction.atomic
def publish(mlist: MatchingList, user: Any, officer: Any = None, today: datetime.date | None = None) -> int:
    """推送: every accepted item not yet published goes to both sides, with its responsible officer (the
    publisher unless another is named) and a contact deadline `deadline_working_days()` working days on."""
    _need_worker(user, mlist)
    if mlist.status not in (ListStatus.REVIEW, ListStatus.PUBLISHED):
        raise ValidationError(_("This list is not open for review."), code="not_in_review")
    officer = officer or user
    _check_officer(mlist, officer)
    items = list(mlist.items.filter(state=ItemState.ACCEPTED, published_at__isnull=True))
    if not items:
        raise ValidationError(_("Accept at least one item before publishing."), code="nothing_accepted")
    now = timezone.now()
    deadline = add_working_days(today or timezone.localdate(), deadline_working_days())
    for item in items:
        item.published_at, item.officer, item.contact_deadline, item.stage = now, officer, deadline, Stage.PUSHED
    MatchingItem.objects.bulk_update(items, ["published_at", "officer", "contact_deadline", "stage"])
    mlist.status, mlist.published_by, mlist.published_at = ListStatus.PUBLISHED, user, now
    mlist.save(update_fields=["status", "published_by", "published_at"])
    return len(items)


def _published(item: MatchingItem) -> None:
    if item.published_at is None:
        raise ValidationError(_("This item is not published yet."), code="not_published")


def set_follow_up(item: MatchingItem, user: Any, officer: Any, deadline: datetime.date | None) -> MatchingItem:
    """Change the responsible officer and the contact deadline of a published item."""
    _need_worker(user, item.matching_list)
    _published(item)
    _check_officer(item.matching_list, officer)
    assert item.published_at is not None
    if deadline is None or deadline < timezone.localtime(item.published_at).date():
        raise ValidationError({"deadline": ValidationError(
            _("The contact deadline cannot lie before the publication date."), code="deadline")})
    item.officer, item.contact_deadline = officer, deadline
    item.save(update_fields=["officer", "contact_deadline"])
    return item


# ---- the answers of both sides (我的对接) --------------------------------------------------------------------

def answer(item: MatchingItem, user: Any, value: str, note: str = "") -> MatchingItem:
    """有意向 / 无意向 of the university/institute or of the enterprise an item is addressed to (no one else)."""
    if not MatchingItem.objects.addressed_to(user).filter(pk=item.pk).exists():
        raise PermissionDenied(_("This item is not addressed to your organisation."))
    if value not in Answer.values:
        raise ValidationError({"answer": ValidationError(_("Choose interested or not interested."), code="answer")})
    if value == Answer.DECLINED and not note.strip():
        raise ValidationError({"note": ValidationError(_("Say why you are not interested."), code="reason_required")})
    if item.stage in (Stage.SIGNED, Stage.FAILED):
        raise ValidationError(_("The follow-up of this item has ended."), code="ended")
    if user.organisation_id == item.addressee_id:
        item.addressee_answer, item.addressee_note = value, note.strip()[:200]
        item.save(update_fields=["addressee_answer", "addressee_note"])
    else:
        item.enterprise_answer, item.enterprise_note = value, note.strip()[:200]
        item.save(update_fields=["enterprise_answer", "enterprise_note"])
    return item


# ---- follow-up ---------------------------------------------------------------------------------------------

def _following(item: MatchingItem, user: Any) -> None:
    _need_worker(user, item.matching_list)
    _published(item)
    if item.stage in (Stage.SIGNED, Stage.FAILED):
        raise ValidationError(_("The follow-up of this item has ended."), code="ended")


@transaction.atomic
def log_contact(item: MatchingItem, user: Any, date: datetime.date | None, channel: str, summary: str) -> ItemContact:
    """A contact with either side; the first one moves the item from 已推送 to 已联系."""
    _following(item, user)
    errors: dict[str, ValidationError] = {}
    if date is None:
        errors["date"] = ValidationError(_("Give the date of the contact."), code="required")
    elif date > timezone.localdate():
        errors["date"] = ValidationError(_("The date of the contact cannot lie in the future."), code="future")
    if channel not in ContactChannel.values:
        errors["channel"] = ValidationError(_("Choose how the contact was made."), code="channel")
    if not summary.strip():
        errors["summary"] = ValidationError(_("Summarise what was said."), code="required")
    if errors:
        raise ValidationError(errors)
    assert date is not None
    contact = ItemContact.objects.create(item=item, date=date, channel=channel, summary=summary.strip(), by_user=user)
    if item.stage == Stage.PUSHED:
        item.stage = Stage.CONTACTED
        item.save(update_fields=["stage"])
    return contact


def set_stage(item: MatchingItem, user: Any, stage: str, fail_reason: str = "") -> MatchingItem:
    """One step along 已推送 → 已联系 → 洽谈中 → 未达成 (已签约 is `sign`, which creates the agreement)."""
    _following(item, user)
    if stage == Stage.SIGNED:
        raise ValidationError(_("An item is signed by creating its agreement."), code="sign_through_agreement")
    if stage not in NEXT_STAGES.get(item.stage, ()):
        raise ValidationError({"stage": ValidationError(
            _("“%(stage)s” cannot follow “%(current)s”.") % {
                "stage": Stage(stage).label if stage in Stage.values else stage,
                "current": Stage(item.stage).label}, code="stage")})
    if stage == Stage.CONTACTED and not item.contacts.exists():
        raise ValidationError(_("Record the contact first (date, channel, summary)."), code="no_contact")
    if stage == Stage.FAILED:
        if fail_reason not in FailReason.values:
            raise ValidationError({"fail_reason": ValidationError(_("Choose why the talks ended."),
                                                                  code="fail_reason")})
        item.fail_reason = fail_reason
    item.stage = stage
    item.save(update_fields=["stage", "fail_reason"])
    return item


@transaction.atomic
def sign(item: MatchingItem, user: Any, title: str, signed_date: datetime.date | None,
         kind: str = AgreementKind.ENTERPRISE, committed_funds: Any = None, description: str = "") -> Any:
    """已签约: the agreement is created through the agreements service with both parties and the need, so its
    ladder (启动 → 资金到位 → 落地) continues on the agreement's page."""
    _following(item, user)
    if Stage.SIGNED not in NEXT_STAGES.get(item.stage, ()):
        raise ValidationError(_("Record the contact first (date, channel, summary)."), code="no_contact")
    if item.enterprise_id is None or item.addressee_id is None:
        raise ValidationError(_("This item lacks the enterprise or the university; its agreement is entered on the "
                                "agreements page."), code="parties")
    if not title.strip():
        raise ValidationError({"title": ValidationError(_("Give the agreement's title."), code="required")})
    if signed_date is None:
        raise ValidationError({"signed_date": ValidationError(_("Give the signing date."), code="required")})
    agreement = create_agreement(
        user=user, parties=[item.enterprise_id, item.addressee_id], needs=[item.need_id] if item.need_id else [],
        title=title.strip()[:200], kind=kind, signed_date=signed_date, division_id=item.division_id,
        committed_funds=committed_funds, description=description)
    item.agreement, item.stage = agreement, Stage.SIGNED
    item.save(update_fields=["agreement", "stage"])
    return agreement


def overdue(user: Any, today: datetime.date | None = None) -> models.QuerySet:
    """Published items whose contact deadline has passed with no contact made."""
    return (MatchingItem.objects.visible(user)
            .filter(published_at__isnull=False, stage=Stage.PUSHED, contact_deadline__lt=today or timezone.localdate())
            .order_by("contact_deadline", "pk"))


# ---- funnel ------------------------------------------------------------------------------------------------

_has_contact = Exists(ItemContact.objects.filter(item=OuterRef("pk")))
FUNNEL_STEPS: tuple[tuple[str, Q], ...] = (
    ("proposed", Q()),
    ("accepted", Q(state=ItemState.ACCEPTED)),
    ("published", Q(published_at__isnull=False)),
    ("contacted", Q(stage__in=[Stage.CONTACTED, Stage.TALKING, Stage.SIGNED]) | Q(stage=Stage.FAILED, has_contact=True)),
    ("talking", Q(stage__in=[Stage.TALKING, Stage.SIGNED])),
    ("signed", Q(stage=Stage.SIGNED)),
    ("landed", Q(stage=Stage.SIGNED, agreement__status=Step.LANDED)),
)
STEP_NAMES = tuple(name for name, _q in FUNNEL_STEPS)
GROUPS = {"list": ("matching_list", "matching_list__title"), "county": ("division", "division__name"),
          "university": ("addressee", "addressee__name")}


def step_filter(queryset: models.QuerySet, step: str) -> models.QuerySet:
    """The items behind one figure of the funnel."""
    condition = dict(FUNNEL_STEPS).get(step)
    if condition is None:
        return queryset.none()
    return queryset.annotate(has_contact=_has_contact).filter(condition)


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    published = row["published"]
    row["introduction_rate"] = row["contacted"] / published if published else None
    row["signing_rate"] = row["signed"] / published if published else None
    return row


def funnel(queryset: models.QuerySet) -> dict[str, Any]:
    """The counts of each step over `queryset`, with the introduction rate (contacted ÷ published) and the
    signing rate (signed ÷ published)."""
    counts = queryset.annotate(has_contact=_has_contact).aggregate(
        **{name: Count("pk", filter=q) for name, q in FUNNEL_STEPS})
    return _rates(counts)


def funnel_by(queryset: models.QuerySet, group: str) -> list[dict[str, Any]]:
    """One funnel per list, county or university (`GROUPS`), largest first."""
    field, label = GROUPS[group]
    rows = (queryset.annotate(has_contact=_has_contact).values(field, label)
            .annotate(**{name: Count("pk", filter=q) for name, q in FUNNEL_STEPS}).order_by("-proposed", field))
    return [_rates({**row, "id": row[field], "label": row[label]}) for row in rows]


# ---- the meeting's spreadsheet -----------------------------------------------------------------------------

def item_rows(mlist: MatchingList) -> list[MatchingItem]:
    """The items a meeting discusses: every item not rejected, in the list's order."""
    return list(mlist.items.exclude(state=ItemState.REJECTED)
                .select_related("need", "enterprise", "addressee", "officer", "officer__department")
                .order_by("position", "id"))


def candidate_names(items: Iterable[MatchingItem]) -> dict[str, str]:
    """"talent:5" → "王伟（山西农业大学）", "org:7" → the organisation's name …, for display."""
    found = resolve({i.candidate for i in items} | {i.source for i in items})
    names = {}
    for k, record in found.items():
        if isinstance(record, Talent):
            org = record.organisation
            names[k] = f"{record.name}（{org.name}）" if org else record.name
        else:
            names[k] = str(record)
    return names


def progress_text(item: MatchingItem) -> str:
    if item.published_at is None:
        return str(ItemState(item.state).label)
    text = str(Stage(item.stage).label) if item.stage else ""
    if item.stage == Stage.FAILED and item.fail_reason:
        text += f"（{FailReason(item.fail_reason).label}）"
    return text


def export_workbook(mlist: MatchingList) -> bytes:
    """The list as the spreadsheet a meeting uses: a title row, the header repeated on every printed page,
    borders, wrapped text, fitted column widths, landscape A4, fit to the page's width."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from yiti.core.export import neutralise

    items = item_rows(mlist)
    names = candidate_names(items)
    headers = [_("No."), _("Enterprise"), _("Need"), _("Recommended university / expert"), _("Why recommended"),
               _("Responsible officer"), _("Deadline"), _("Progress")]
    widths = (6, 24, 30, 26, 44, 14, 12, 12)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Matching list")[:31]
    sheet.append([mlist.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    sheet.append(headers)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for number, item in enumerate(items, 1):
        record = names.get(item.source, item.source)
        sheet.append([number, neutralise(item.enterprise.name if item.enterprise else ""), neutralise(record),
                      neutralise(names.get(item.candidate, item.candidate)), neutralise("\n".join(item.reasons)),
                      str(item.officer) if item.officer else "",
                      item.contact_deadline.isoformat() if item.contact_deadline else "", progress_text(item)])
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=len(headers)):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.row == 2:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
