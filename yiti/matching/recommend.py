"""Recommendations (推荐) for a record: the service behind the panels on record pages, the API and matching runs.

    recommend(user, need, "experts", top=10, filters={"county": 5, "capacity": True})
        -> [Recommendation(key="talent:5", record=<Talent>, score=0.93, reasons=["共同关键词：…", …]), …]

What a source may ask for (`KINDS_FOR`):

- need → "experts" (the engine's expert finder on the need's text), "results", "orgs" (universities and
  institutes, and any organisation hosting an innovation platform; ranked by their matching results, experts,
  platforms and own description together);
- result → "enterprises" (by their description, their open needs and the result's industry), "needs";
- talent → "needs" (the talent's expertise and the results they led);
- organisation (university / institute) → "needs" (its description, its experts' expertise, its results).

Rules every answer keeps:

- only records `user` may view (`restrict()`, which holds the city-wide pool rule) — every candidate and every
  record a reason names; talents only when they consent to be recommended (`talents.services.offerable`);
- a candidate rejected (不合适) for this source never comes back (`Feedback`); an adopted one is marked;
- a source whose text is too short to match raises `ValidationError(code="too_short")`; a kind the source does
  not offer `code="unsupported_kind"`; a malformed filter `code="bad_filter"`;
- no index loaded yet (`store.current()` is None) raises `IndexNotReady`: the caller says the index is being
  built (and queues the build).

Scores: the engine's score relative to the best candidate of the answer (×0.85) plus small bonuses for record
facts (same discipline or industry, same county, earlier cooperation; 0.05 each), capped at 1 — a bar compares
the candidates of one panel; it is not a probability. Queries are per kind, never per candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.agreements.models import Agreement
from yiti.core import code_data
from yiti.core.models import Division
from yiti.experts.choices import RoleStatus
from yiti.experts.models import Assignment, ExpertRole
from yiti.matching import store
from yiti.matching.choices import Verdict
from yiti.matching.documents import KIND_OF_MODEL, parse_key
from yiti.matching.models import Feedback
from yiti.needs.choices import NeedStatus
from yiti.needs.models import Need
from yiti.orgs.choices import OrgType
from yiti.orgs.models import Organisation
from yiti.platforms.models import Platform
from yiti.results.choices import ResultStatus
from yiti.results.models import Result
from yiti.talents.models import Talent
from yiti.talents.services import offerable

KINDS = ("experts", "results", "orgs", "enterprises", "needs")
KINDS_FOR: dict[str, tuple[str, ...]] = {
    "need": ("experts", "results", "orgs"),
    "result": ("enterprises", "needs"),
    "talent": ("needs",),
    "org": ("needs",),
}
RESEARCH_ORG_TYPES = (OrgType.UNIVERSITY, OrgType.INSTITUTE)
OPEN_NEED_STATUSES = (NeedStatus.PUBLISHED, NeedStatus.MATCHED, NeedStatus.IN_TALKS)
MIN_CHARS = 4  # letters, digits and CJK characters a source needs before it can be matched
MAX_TOP = 100
MAX_REASONS = 3
FILTERS = ("county", "title_level", "org_type", "capacity", "trl_min")
MAX_PROFILE_ITEMS = 200
# Personal data a recommendation never shows: not even read (and decrypted).
TALENT_PERSONAL = ("id_number", "mobile", "email")  # results / experts read into an organisation's or talent's profile text


class IndexNotReady(Exception):
    """No matching index is loaded yet: the caller shows "正在建立索引…" and queues the build."""


@dataclass
class Recommendation:
    key: str  # "talent:5"
    record: Model
    score: float  # 0..1
    reasons: list[str] = field(default_factory=list)  # at most three Chinese sentences
    adopted: bool = False  # 采纳 recorded for this source already


@dataclass
class Source:
    """What is matched: the text and the facts reasons compare with. From a record (`source_of`) or plain text
    (the batch CLI: no facts, so the ranking is the engine's alone)."""

    text: str
    key: str | None = None
    kind: str | None = None  # "need", "result", "talent", "org"
    division: Division | None = None
    discipline_id: int | None = None
    industry_id: int | None = None
    enterprise_id: int | None = None  # the enterprise of a need
    organisation_ids: frozenset[int] = frozenset()  # the source's own side (a result's owner, a talent's employer)
    talent_id: int | None = None
    need_type: str | None = None


# --- the source ------------------------------------------------------------------------------------------------


def _join(*parts: str | None) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def source_of(record: Model) -> Source:
    kind = KIND_OF_MODEL.get(type(record))
    if kind == "need":
        need: Need = record  # type: ignore[assignment]
        enterprise = need.enterprise
        return Source(_join(need.title, need.description, need.keywords), f"need:{need.pk}", "need",
                      enterprise.division, need.discipline_id, need.industry_id or enterprise.industry_id,
                      enterprise_id=enterprise.pk, need_type=need.need_type)
    if kind == "result":
        result: Result = record  # type: ignore[assignment]
        owner = result.owner
        return Source(_join(result.title, result.description, result.keywords), f"result:{result.pk}", "result",
                      owner.division, result.discipline_id, result.industry_id,
                      organisation_ids=frozenset({owner.pk}), talent_id=result.leader_id)
    if kind == "talent":
        talent: Talent = record  # type: ignore[assignment]
        led = Result.objects.filter(Q(leader=talent) | Q(team_members=talent)).distinct()
        works = [_join(t, k) for t, k in led.values_list("title", "keywords")[:MAX_PROFILE_ITEMS]]
        return Source(_join(talent.position, talent.expertise, *works), f"talent:{talent.pk}", "talent",
                      talent.division, talent.discipline_id, talent.industry_id,
                      organisation_ids=frozenset({talent.organisation_id} if talent.organisation_id else ()),
                      talent_id=talent.pk)
    if kind == "org":
        org: Organisation = record  # type: ignore[assignment]
        expertise = list(Talent.objects.filter(organisation=org).exclude(expertise="")
                         .values_list("expertise", flat=True)[:MAX_PROFILE_ITEMS])
        titles = [_join(t, k) for t, k in Result.objects.filter(owner=org).values_list("title", "keywords")
                  [:MAX_PROFILE_ITEMS]]
        return Source(_join(org.description, *expertise, *titles),
                      f"org:{org.pk}", "org", org.division, None, org.industry_id,
                      organisation_ids=frozenset({org.pk}))
    raise ValidationError(_("Recommendations are made for needs, results, talents and organisations only."),
                          code="unsupported_kind")


def _check_text(text: str) -> None:
    if len(re.sub(r"[\W_]", "", text)) < MIN_CHARS:
        raise ValidationError(
            _("This record has too little text to match (fewer than %(n)d characters in its title, description "
              "and keywords). Add a description or keywords, then try again.") % {"n": MIN_CHARS},
            code="too_short")


# --- filters ---------------------------------------------------------------------------------------------------


@dataclass
class Filters:
    county: Division | None = None
    title_level: str = ""
    org_type: str = ""
    capacity: bool = False
    trl_min: int | None = None


def parse_filters(values: Mapping[str, Any] | None) -> Filters:
    """Filters from plain values (a form, the API): county (a division id), title_level, org_type, capacity
    (only experts with capacity left), trl_min (1–9). Empty values mean no condition."""
    out = Filters()
    if not values:
        return out
    unknown = set(values) - set(FILTERS)
    if unknown:
        raise ValidationError(_("Unknown filter: %(names)s.") % {"names": "、".join(sorted(unknown))}, code="bad_filter")
    county = values.get("county")
    if county not in (None, ""):
        division = county if isinstance(county, Division) else None
        if division is None:
            try:
                division = Division.objects.filter(pk=int(county)).first()
            except (TypeError, ValueError):
                division = None
        if division is None:
            raise ValidationError(_("County: no such division."), code="bad_filter")
        out.county = division
    title_level = values.get("title_level") or ""
    if title_level and title_level not in {code for code, _name in code_data.title_levels()}:
        raise ValidationError(_("Title level: not a known level."), code="bad_filter")
    out.title_level = title_level
    org_type = values.get("org_type") or ""
    if org_type and org_type not in OrgType.values:
        raise ValidationError(_("Organisation type: not a known type."), code="bad_filter")
    out.org_type = org_type
    out.capacity = values.get("capacity") in (True, "1", "on", "true", 1)
    trl = values.get("trl_min")
    if trl not in (None, ""):
        try:
            out.trl_min = int(trl)
        except (TypeError, ValueError):
            out.trl_min = 0
        if not 1 <= out.trl_min <= 9:
            raise ValidationError(_("Minimum TRL: a whole number from 1 to 9."), code="bad_filter")
    return out


def _within(path: str, division: Division | None) -> Q:
    if division is None:
        return Q()
    return Q(**{f"{path}__code__startswith": division.descendant_codes_prefix()})


# --- facts shared by several kinds -----------------------------------------------------------------------------


def _remaining_capacity(talent_ids: Iterable[int]) -> dict[int, int]:
    """talent id → capacity of their active expert roles minus their current assignments (absent: no role)."""
    today = timezone.localdate()
    current = Q(assignments__end_date__isnull=True) | Q(assignments__end_date__gte=today)
    roles = (ExpertRole.objects.filter(talent_id__in=list(talent_ids), status=RoleStatus.ACTIVE)
             .annotate(busy=Count("assignments", filter=current)).values_list("talent_id", "capacity", "busy"))
    out: dict[int, int] = {}
    for talent_id, capacity, busy in roles:
        out[talent_id] = out.get(talent_id, 0) + max(capacity - busy, 0)
    return out


def _agreements_with(user: Any, enterprise_id: int | None, org_ids: Iterable[int | None]) -> dict[int, str]:
    """organisation id → title of an earlier agreement it signed with the enterprise (one the user may see)."""
    wanted = [o for o in org_ids if o]
    if not enterprise_id or not wanted:
        return {}
    # The enterprise's agreements first (a handful, from the parties' organisation index), then their other
    # parties: asked in one query, SQLite walked all 30,000 agreements a city officer may see (17 ms a call).
    signed = list(Agreement.objects.restrict(user).filter(parties=enterprise_id).values_list("pk", flat=True))
    if not signed:
        return {}
    rows = (Agreement.parties.through.objects.filter(agreement_id__in=signed, organisation_id__in=wanted)
            .order_by("agreement_id").values_list("organisation_id", "agreement__title"))
    out: dict[int, str] = {}
    for org_id, title in rows:
        out.setdefault(org_id, title)
    return out


def _served(enterprise_ids: Iterable[int], talent_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(talent id, organisation id) pairs of assignments, past or current."""
    return set(Assignment.objects.filter(organisation_id__in=list(enterprise_ids), role__talent_id__in=list(talent_ids))
               .values_list("role__talent_id", "organisation_id"))


def _code_name(obj: Any) -> str:
    return getattr(obj, "name", "") or str(obj)


def _trl_reason(trl: int | None) -> str | None:
    if not trl:
        return None
    name = {t.level: t.name for t in code_data.trl_levels()}.get(trl, "")
    if trl >= 7:
        verdict = _("ready for the enterprise's own use")
    elif trl >= 4:
        verdict = _("needs a pilot before use")
    else:
        verdict = _("early research, for joint development")
    return _("Readiness TRL %(trl)d %(name)s: %(verdict)s") % {"trl": trl, "name": name, "verdict": verdict}


# --- ranking ---------------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    key: str
    record: Model
    raw: float
    facts: list[tuple[int, str]] = field(default_factory=list)  # (priority, reason), lower first
    bonus: float = 0.0
    terms_from: list[str] | None = None  # documents whose shared terms explain the match (default: the candidate)

    def fact(self, priority: int, text: str | None, bonus: float = 0.0) -> None:
        if text:
            self.facts.append((priority, text))
            self.bonus += bonus


def _index() -> Any:
    idx = store.current()
    if idx is None:
        raise IndexNotReady
    return idx


def _pool(top: int) -> int:
    return min(max(top * 5, 50), 500)


def _rejected_and_adopted(source: Source) -> tuple[set[str], set[str]]:
    if source.key is None:
        return set(), set()
    rejected: set[str] = set()
    adopted: set[str] = set()
    for candidate, verdict in Feedback.objects.filter(source=source.key).values_list("candidate", "verdict"):
        (rejected if verdict == Verdict.REJECTED else adopted).add(candidate)
    return rejected, adopted


def _pks(hits: Iterable[tuple[str, float]], rejected: set[str]) -> dict[int, float]:
    out: dict[int, float] = {}
    for k, score in hits:
        if k in rejected:
            continue
        out[parse_key(k)[1]] = score
    return out


def _common_facts(c: _Candidate, source: Source, division: Division | None, discipline: Any, industry: Any) -> None:
    if discipline is not None and source.discipline_id and discipline.pk == source.discipline_id:
        c.fact(3, _("Same discipline: %(name)s") % {"name": _code_name(discipline)}, 0.05)
    elif industry is not None and source.industry_id and industry.pk == source.industry_id:
        c.fact(3, _("Same industry: %(name)s") % {"name": _code_name(industry)}, 0.05)
    if division is not None and source.division is not None and division.pk == source.division.pk:
        c.fact(6, _("Same county: %(name)s") % {"name": division.name}, 0.05)


def _experts(user: Any, source: Source, f: Filters, top: int, rejected: set[str]) -> list[_Candidate]:
    idx = _index()
    # The finder scores in log-odds (often below zero): as probabilities they compare with the best candidate
    # the way the other panels' positive text scores do (the ratio in `_finish`).
    scores = {pk: store.expert_relevance(s) for pk, s in _pks(idx.experts(source.text, top=_pool(top)), rejected).items()}
    qs = (offerable(user).filter(pk__in=list(scores)).filter(_within("division", f.county))
          .select_related("organisation", "division", "discipline", "industry")
          .defer(*TALENT_PERSONAL, "organisation__phone"))
    if f.title_level:
        qs = qs.filter(title_level=f.title_level)
    if f.org_type:
        qs = qs.filter(organisation__org_type=f.org_type)
    talents = list(qs)
    capacity = _remaining_capacity(t.pk for t in talents)
    if f.capacity:
        talents = [t for t in talents if capacity.get(t.pk, 0) > 0]
    talents.sort(key=lambda t: (-scores[t.pk], t.pk))
    talents = talents[: top * 2]
    agreed = _agreements_with(user, source.enterprise_id, (t.organisation_id for t in talents))
    served = _served([source.enterprise_id], [t.pk for t in talents]) if source.enterprise_id else set()
    # The talent's best matching result the user may see: the "earlier outcomes" reason, and its shared terms.
    owners = [f"talent:{t.pk}" for t in talents]
    best_result: dict[int, int] = {}  # talent id → result id
    result_hits = idx.search(source.text, types=("result",), filters={"owner": owners}, top=len(owners) * 3) \
        if owners else []
    result_ids = [parse_key(k)[1] for k, _s in result_hits]
    visible = {pk: (leader, title) for pk, leader, title in
               Result.objects.restrict(user).filter(pk__in=result_ids).values_list("pk", "leader_id", "title")}
    for pk in result_ids:
        if pk in visible and visible[pk][0]:
            best_result.setdefault(visible[pk][0], pk)
    out = []
    for t in talents:
        c = _Candidate(f"talent:{t.pk}", t, scores[t.pk])
        if (t.pk, source.enterprise_id) in served:
            c.fact(1, _("Has served this enterprise before"), 0.05)
        elif t.organisation_id in agreed:
            c.fact(1, _("%(org)s signed an agreement with this enterprise: %(title)s")
                   % {"org": t.organisation, "title": agreed[t.organisation_id]}, 0.05)
        _common_facts(c, source, t.division, t.discipline, t.industry)
        if t.pk in capacity:
            left = capacity[t.pk]
            c.fact(4, _("Can take %(n)d more assignments") % {"n": left} if left
                   else _("Has no capacity left for assignments"))
        if t.pk in best_result:
            c.fact(5, _("Related result: %(title)s") % {"title": visible[best_result[t.pk]][1]})
            c.terms_from = [c.key, f"result:{best_result[t.pk]}"]
        out.append(c)
    return out


def _results(user: Any, source: Source, f: Filters, top: int, rejected: set[str]) -> list[_Candidate]:
    idx = _index()
    scores = _pks(idx.search(source.text, types=("result",), top=_pool(top)), rejected)
    qs = (Result.objects.restrict(user).filter(pk__in=list(scores)).exclude(status=ResultStatus.WITHDRAWN)
          .filter(_within("owner__division", f.county))
          .select_related("owner", "owner__division", "discipline", "industry").defer("owner__phone"))
    if f.org_type:
        qs = qs.filter(owner__org_type=f.org_type)
    if f.trl_min:
        qs = qs.filter(trl__gte=f.trl_min)
    results = sorted(qs, key=lambda r: (-scores[r.pk], r.pk))[: top * 2]
    agreed = _agreements_with(user, source.enterprise_id, (r.owner_id for r in results))
    out = []
    for r in results:
        c = _Candidate(f"result:{r.pk}", r, scores[r.pk])
        if r.owner_id in agreed:
            c.fact(1, _("%(org)s signed an agreement with this enterprise: %(title)s")
                   % {"org": r.owner.name, "title": agreed[r.owner_id]}, 0.05)
        _common_facts(c, source, r.owner.division, r.discipline, r.industry)
        c.fact(2 if source.need_type == "technology" else 4, _trl_reason(r.trl))
        out.append(c)
    return out


def _aggregate(per_org: dict[int, list[tuple[float, str, str]]]) -> dict[int, float]:
    """Several matching records beat one: an organisation's i-th best counts 1/i."""
    return {org: sum(s / (i + 1) for i, (s, _k, _l) in enumerate(sorted(items, reverse=True)))
            for org, items in per_org.items()}


def _orgs(user: Any, source: Source, f: Filters, top: int, rejected: set[str]) -> list[_Candidate]:
    idx = _index()
    hits = idx.search(source.text, types=("org", "platform", "result", "talent"), top=_pool(top) * 2)
    by_kind: dict[str, dict[int, float]] = {}
    for k, score in hits:
        kind, pk = parse_key(k)
        by_kind.setdefault(kind, {})[pk] = score
    # Only records the user may see carry an organisation's rank (and its reasons).
    per_org: dict[int, list[tuple[float, str, str]]] = {}
    for pk in by_kind.get("org", {}):
        per_org.setdefault(pk, []).append((by_kind["org"][pk], f"org:{pk}", ""))
    results = by_kind.get("result", {})
    for pk, owner_id, title in (Result.objects.restrict(user).filter(pk__in=list(results))
                                .exclude(status=ResultStatus.WITHDRAWN).values_list("pk", "owner_id", "title")):
        per_org.setdefault(owner_id, []).append((results[pk], f"result:{pk}",
                                                 _("Related result: %(title)s") % {"title": title}))
    platforms = by_kind.get("platform", {})
    for pk, host_id, name in (Platform.objects.restrict(user).filter(pk__in=list(platforms))
                              .values_list("pk", "host_id", "name")):
        per_org.setdefault(host_id, []).append((platforms[pk], f"platform:{pk}",
                                                _("Platform: %(name)s") % {"name": name}))
    talents = by_kind.get("talent", {})
    experts: dict[int, int] = {}
    for pk, org_id in offerable(user).filter(pk__in=list(talents), organisation__isnull=False).values_list(
            "pk", "organisation_id"):
        per_org.setdefault(org_id, []).append((talents[pk], f"talent:{pk}", ""))
        experts[org_id] = experts.get(org_id, 0) + 1
    scores = {pk: s for pk, s in _aggregate(per_org).items() if f"org:{pk}" not in rejected}
    qs = (Organisation.objects.restrict(user).filter(pk__in=list(scores))
          .filter(Q(org_type__in=RESEARCH_ORG_TYPES) | Q(hosted_platforms__isnull=False))
          .filter(_within("division", f.county)).select_related("division", "industry").defer("phone").distinct())
    if f.org_type:
        qs = qs.filter(org_type=f.org_type)
    orgs = sorted(qs, key=lambda o: (-scores[o.pk], o.pk))[: top * 2]
    agreed = _agreements_with(user, source.enterprise_id, (o.pk for o in orgs))
    out = []
    for o in orgs:
        c = _Candidate(f"org:{o.pk}", o, scores[o.pk])
        items = sorted(per_org[o.pk], reverse=True)
        if o.pk in agreed:
            c.fact(1, _("Signed an agreement with this enterprise before: %(title)s") % {"title": agreed[o.pk]}, 0.05)
        best = next(((k, label) for _s, k, label in items if label), None)
        if best is not None:
            c.fact(2, best[1])
            c.terms_from = [best[0], f"org:{o.pk}"]
        else:
            c.terms_from = [items[0][1], f"org:{o.pk}"]
        if experts.get(o.pk):
            c.fact(4, _("%(n)d experts with related expertise") % {"n": experts[o.pk]})
        _common_facts(c, source, o.division, None, o.industry)
        out.append(c)
    return out


def _enterprises(user: Any, source: Source, f: Filters, top: int, rejected: set[str]) -> list[_Candidate]:
    idx = _index()
    hits = idx.search(source.text, types=("org", "need"), top=_pool(top) * 2)
    per_org: dict[int, list[tuple[float, str, str]]] = {}
    needs: dict[int, float] = {}
    for k, score in hits:
        kind, pk = parse_key(k)
        if kind == "org":
            per_org.setdefault(pk, []).append((score, k, ""))
        else:
            needs[pk] = score
    for pk, enterprise_id, title in (Need.objects.restrict(user).filter(pk__in=list(needs),
                                                                        status__in=OPEN_NEED_STATUSES)
                                     .values_list("pk", "enterprise_id", "title")):
        per_org.setdefault(enterprise_id, []).append((needs[pk], f"need:{pk}",
                                                      _("Open need: %(title)s") % {"title": title}))
    scores = {pk: s for pk, s in _aggregate(per_org).items() if f"org:{pk}" not in rejected}
    base = Organisation.objects.restrict(user).filter(org_type=OrgType.ENTERPRISE).filter(_within("division", f.county))
    orgs = list(base.filter(pk__in=list(scores)).select_related("division", "industry").defer("phone"))
    if len(orgs) < top and source.industry_id:
        # Enterprises of the result's industry come next, even when no text of theirs matches.
        seen = {o.pk for o in orgs} | {parse_key(k)[1] for k in rejected if k.startswith("org:")}
        extra = (base.filter(industry_id=source.industry_id).exclude(pk__in=seen)
                 .select_related("division", "industry").defer("phone").order_by("pk")[: top - len(orgs)])
        floor = min(scores.values(), default=1.0) * 0.5
        for o in extra:
            scores[o.pk] = floor
            per_org.setdefault(o.pk, [])
            orgs.append(o)
    orgs = sorted(orgs, key=lambda o: (-scores[o.pk], o.pk))[: top * 2]
    agreed = _agreements_with_many(user, source.organisation_ids, (o.pk for o in orgs))
    out = []
    for o in orgs:
        c = _Candidate(f"org:{o.pk}", o, scores[o.pk])
        if o.pk in agreed:
            c.fact(1, _("Signed an agreement with %(org)s before: %(title)s") % agreed[o.pk], 0.05)
        items = sorted(per_org.get(o.pk, []), reverse=True)
        best = next(((k, label) for _s, k, label in items if label), None)
        if best is not None:
            c.fact(2, best[1])
            c.terms_from = [best[0], f"org:{o.pk}"]
        elif not items:
            c.terms_from = []  # matched by industry alone: no shared terms to show
        _common_facts(c, source, o.division, None, o.industry)
        out.append(c)
    return out


def _agreements_with_many(user: Any, own: Iterable[int], enterprise_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """enterprise id → {"org", "title"} of an earlier agreement (one the user may see) between it and one of the
    `own` organisations."""
    own = [o for o in own if o]
    if not own:
        return {}
    Parties = Agreement.parties.through
    signed: dict[int, tuple[str, str]] = {}
    for agreement_id, title, org in (Parties.objects.filter(organisation_id__in=own,
                                                            agreement__in=Agreement.objects.restrict(user).values("pk"))
                                     .values_list("agreement_id", "agreement__title", "organisation__name")):
        signed.setdefault(agreement_id, (title, org))
    out: dict[int, dict[str, str]] = {}
    for agreement_id, enterprise_id in (Parties.objects.filter(agreement_id__in=list(signed),
                                                               organisation_id__in=list(enterprise_ids))
                                        .exclude(organisation_id__in=own)
                                        .values_list("agreement_id", "organisation_id")):
        title, org = signed[agreement_id]
        out.setdefault(enterprise_id, {"org": org, "title": title})
    return out


def _needs(user: Any, source: Source, f: Filters, top: int, rejected: set[str]) -> list[_Candidate]:
    idx = _index()
    scores = _pks(idx.search(source.text, types=("need",), top=_pool(top)), rejected)
    qs = (Need.objects.restrict(user).filter(pk__in=list(scores), status__in=OPEN_NEED_STATUSES)
          .filter(_within("enterprise__division", f.county))
          .select_related("enterprise", "enterprise__division", "discipline", "industry", "enterprise__industry")
          .defer("phone", "enterprise__phone"))
    needs = sorted(qs, key=lambda n: (-scores[n.pk], n.pk))[: top * 2]
    enterprise_ids = {n.enterprise_id for n in needs}
    agreed = _agreements_with_many(user, source.organisation_ids, enterprise_ids)
    served = _served(enterprise_ids, [source.talent_id]) if source.talent_id else set()
    out = []
    for n in needs:
        c = _Candidate(f"need:{n.pk}", n, scores[n.pk])
        if (source.talent_id, n.enterprise_id) in served:
            c.fact(1, _("Has served this enterprise before"), 0.05)
        elif n.enterprise_id in agreed:
            c.fact(1, _("Signed an agreement with %(org)s before: %(title)s") % agreed[n.enterprise_id], 0.05)
        _common_facts(c, source, n.enterprise.division, n.discipline, n.industry or n.enterprise.industry)
        out.append(c)
    return out


RANKERS = {"experts": _experts, "results": _results, "orgs": _orgs, "enterprises": _enterprises, "needs": _needs}


def _finish(idx: Any, source: Source, candidates: Sequence[_Candidate], top: int,
            adopted: set[str]) -> list[Recommendation]:
    best = max((c.raw for c in candidates), default=0.0) or 1.0
    for c in candidates:
        c.bonus = min(c.bonus, 0.15)
    ranked = sorted(candidates, key=lambda c: (-(0.85 * c.raw / best + c.bonus), c.key))[:top]
    out = []
    for c in ranked:
        reasons: list[tuple[int, str]] = list(c.facts)
        for doc in [c.key] if c.terms_from is None else c.terms_from:
            try:
                words = list(idx.explain(source.text, doc).shared_words)[:4]
            except KeyError:  # the document is not (or no longer) in the index
                continue
            if words:
                reasons.append((0, _("Shared key terms: %(words)s") % {"words": "、".join(words)}))
                break
        reasons.sort(key=lambda r: r[0])
        score = min(1.0, 0.85 * c.raw / best + c.bonus)
        out.append(Recommendation(c.key, c.record, round(score, 3), [text for _p, text in reasons[:MAX_REASONS]],
                                  adopted=c.key in adopted))
    return out


def queue_index_build() -> None:
    """Ask for a first build when no index is loaded (the index part's `store.queue_build`, when it has one)."""
    queue = getattr(store, "queue_build", None)
    if callable(queue):
        queue()


def kinds_for(record: Model) -> tuple[str, ...]:
    kind = KIND_OF_MODEL.get(type(record))
    if kind == "org" and getattr(record, "org_type", None) not in RESEARCH_ORG_TYPES:
        return ()
    return KINDS_FOR.get(kind or "", ())


def _check_top(top: int) -> int:
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= MAX_TOP:
        raise ValidationError(_("Number of recommendations: a whole number from 1 to %(max)d.") % {"max": MAX_TOP},
                              code="bad_top")
    return top


def recommend(user: Any, source: Model, kind: str, top: int = 10,
              filters: Mapping[str, Any] | None = None) -> list[Recommendation]:
    """The best `top` candidates of `kind` for the record `source` that `user` may see, best first."""
    if kind not in kinds_for(source):
        raise ValidationError(_("This record offers no recommendations of this kind."), code="unsupported_kind")
    if isinstance(source, Talent) and not source.consent_to_recommend:
        raise ValidationError(_("This talent has not consented to being recommended; no needs are proposed to them."),
                              code="no_consent")
    return recommend_for(user, source_of(source), kind, top, filters)


def recommend_text(user: Any, text: str, kind: str, top: int = 10,
                   filters: Mapping[str, Any] | None = None) -> list[Recommendation]:
    """The same for a plain text (the batch CLI, a typed query): the engine's ranking, no record facts."""
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind of recommendation."), code="unsupported_kind")
    return recommend_for(user, Source(text=text or ""), kind, top, filters)


def recommend_for(user: Any, source: Source, kind: str, top: int = 10,
                  filters: Mapping[str, Any] | None = None) -> list[Recommendation]:
    _check_top(top)
    _check_text(source.text)
    f = parse_filters(filters)
    idx = _index()
    rejected, adopted = _rejected_and_adopted(source)
    candidates = RANKERS[kind](user, source, f, top, rejected)
    candidates = [c for c in candidates if c.key != source.key]
    return _finish(idx, source, candidates, top, adopted)

