"""Commissioner coverage (科技特派员全覆盖 / 科技副总): choose targets and experts, solve, review, publish.

Every rule is here, as functions taking plain values and raising `ValidationError`s with a stable code
(`PermissionDenied` when the user may not act at all); the views (`coverage_views.py`) only read forms.

- **Targets**: organisations the user may change (`restrict(user, "change")`: a county officer only their
  county's), filtered by type, counties, reserve pool, ladder stage and industry (`target_queryset`).
  A target already served in the term by an expert of the run's role needs only the rest: its demand is
  k minus those assignments; a target served k times is left out and counted as already served.
- **Experts**: active expert roles of the chosen type the user may see, each with its remaining capacity =
  capacity minus its assignments that overlap the term (end date empty or not before the term's start, and
  start not after the term's end) — the experts service's own capacity check (on the start date) can then
  never refuse a published line.
- **Fit** (`fits`), 0..1, for each target: its text (name, industry, description, open needs' titles and
  descriptions) goes through the index's expert finder, ``store.current().experts(text, top=TOP_HITS)``;
  a chosen expert's text fit is its score (the finder's log-odds as a probability, `store.expert_relevance`)
  divided by the best of that target's ranking (so every
  target's best-ranked expert has text fit 1). The field bonus is 1 when the expert's industry equals the
  target's or their discipline is that of one of the target's open needs, 0.5 when the industries share
  their parent below the section (the same GB/T 4754 division or group; all of 制造业 is too wide), else 0.
  ``fit = TEXT_WEIGHT * text_fit + FIELD_WEIGHT * bonus`` (0.8 and 0.2). An expert with neither a text fit
  nor a bonus is no candidate for that target — except for a target that has no candidate at all (a village
  without description or industry): the experts of its own division are then its candidates at
  ``COUNTY_FIT`` (0.05), so it is served by someone near rather than left out. Same county (the expert's division is the target's) adds
  the run's same-county weight inside the solver, not to the stored fit.
- **Forbidden pairs**: the expert's own organisation is the target (conflict of interest); a pair staff
  removed in review of any earlier run of any role (`CoverageProposal.removed`); a pair whose
  recommendation was rejected (`Feedback` 不合适 with source "org:<target>" and candidate "talent:<expert>").
  They stay candidates in the solver so an uncovered target can say 仅有回避关系的专家.
- **Forced pairs**: proposals locked by staff (lock, or a swap) are kept on a re-solve.
- **Solve**: `yiti.engine.assign` (max coverage, then best total score) in a `CoverageRun` job with progress.
  The result is stored as `CoverageProposal`s: one line per assigned pair (fit, reasons) and one per
  uncovered slot with the solver's reason code and the experts it names.
- **Review**: lock, swap (another expert, checked against capacity and conflicts), remove; re-solve.
- **Publish**: each kept line becomes an `Assignment` through `yiti.experts.services.assign` (all or none).
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from yiti.core.access import _division_ids, home_division
from yiti.core.jobs import Cancelled
from yiti.core.models import Division, Industry
from yiti.engine import AssignmentError, Candidate
from yiti.engine import assign as solve_assignment
from yiti.experts import services as expert_services
from yiti.experts.choices import RoleStatus, RoleType
from yiti.experts.models import Assignment, ExpertRole
from yiti.matching import store
from yiti.matching.choices import Verdict
from yiti.matching.models import CoverageProposal, CoverageRun, Feedback
from yiti.needs.choices import NeedStatus
from yiti.needs.models import Need
from yiti.orgs.choices import LadderStage, OrgType
from yiti.orgs.models import Organisation

logger = logging.getLogger(__name__)

TEXT_WEIGHT = 0.8
FIELD_WEIGHT = 0.2
COUNTY_FIT = 0.05  # a target nobody fits by text or field gets the experts of its own county at this fit
TOP_HITS = 1000  # the expert finder's ranking read per target: the chosen role is a small part of all talents
DEFAULT_WEIGHT = 0.1  # same-county preference, added to a same-county pair's fit in the solver
OPEN_NEEDS = (NeedStatus.PUBLISHED, NeedStatus.MATCHED, NeedStatus.IN_TALKS)
TARGET_TYPES = (OrgType.ENTERPRISE, OrgType.COMMUNITY)

UNCOVERED = {
    "no_candidate": gettext_lazy("No matching expert"),
    "no_capacity": gettext_lazy("All fitting experts are full"),
    "forbidden": gettext_lazy("Only experts with a conflict of interest"),
    "removed": gettext_lazy("Removed by staff"),
}


# ---- who may do what --------------------------------------------------------------------------------

def is_worker(user: Any) -> bool:
    """Office staff (and superusers) run, review and publish coverage; leaders only read."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role == "staff"))


def is_reader(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in ("staff", "leader")))


def runs_visible(user: Any) -> QuerySet[CoverageRun]:
    """The runs `user` may see: the city office and leaders all of them, a county officer those of their
    county, a department officer their own."""
    runs = CoverageRun.objects.all()
    if not is_reader(user):
        return runs.none()
    if user.is_superuser or user.role == "leader" or user.scope == "city":
        return runs
    county = home_division(user)
    if county is not None:
        return runs.filter(division_id__in=_division_ids(county.pk))
    return runs.filter(user=user)


def _need_worker(user: Any, run: CoverageRun) -> None:
    if not is_worker(user) or not runs_visible(user).filter(pk=run.pk).exists():
        raise PermissionDenied(_("Only office staff in charge of this coverage run may change it."))


def county_choices(user: Any) -> QuerySet[Division]:
    """The counties a user may aim a run at: their own for a county officer, every county otherwise."""
    counties = Division.objects.filter(level="county")
    county = home_division(user)
    if county is not None:
        return counties.filter(pk__in=_division_ids(county.pk))
    return counties


# ---- the run's input --------------------------------------------------------------------------------

@dataclass
class Criteria:
    """What a run covers, as kept in `CoverageRun.criteria` (plain JSON)."""

    org_type: str = OrgType.ENTERPRISE
    divisions: list[int] = field(default_factory=list)  # counties; empty: all the user may change
    reserve_pool: bool = False
    ladder_stage: str = ""
    industry: int | None = None
    k: int = 1
    weight: float = DEFAULT_WEIGHT
    start: str = ""  # ISO dates
    end: str = ""

    @classmethod
    def of(cls, run: CoverageRun) -> "Criteria":
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in (run.criteria or {}).items() if k in names})

    def term(self) -> tuple[datetime.date, datetime.date | None]:
        start = datetime.date.fromisoformat(self.start)
        return start, datetime.date.fromisoformat(self.end) if self.end else None


def target_queryset(user: Any, criteria: Criteria) -> QuerySet[Organisation]:
    orgs = Organisation.objects.restrict(user, "change").filter(org_type=criteria.org_type)
    if criteria.divisions:
        ids: set[int] = set()
        for pk in criteria.divisions:
            ids |= _division_ids(pk)
        orgs = orgs.filter(division_id__in=ids)
    county = home_division(user)
    if county is not None:  # a county officer never reaches another county, whatever the pool rule shows
        orgs = orgs.filter(division_id__in=_division_ids(county.pk))
    if criteria.reserve_pool:
        orgs = orgs.filter(in_reserve_pool=True)
    if criteria.ladder_stage:
        orgs = orgs.filter(ladder_stage=criteria.ladder_stage)
    if criteria.industry:
        chosen = criteria.industry  # a section or a division, and every code below it
        orgs = orgs.filter(Q(industry_id=chosen) | Q(industry__parent_id=chosen) | Q(industry__parent__parent_id=chosen)
                           | Q(industry__parent__parent__parent_id=chosen))
    return orgs.order_by("pk")


def expert_queryset(user: Any, role: str, on: datetime.date | None = None) -> QuerySet[ExpertRole]:
    """Active expert roles of `role` the user may see; with `on`, only roles whose own term has not ended by
    then."""
    roles = ExpertRole.objects.restrict(user, "view").filter(role=role, status=RoleStatus.ACTIVE)
    if on is not None:
        roles = roles.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    return roles.select_related("talent", "talent__organisation", "talent__industry", "talent__discipline") \
        .order_by("pk")


def _overlapping(start: datetime.date, end: datetime.date | None) -> Q:
    q = Q(end_date__isnull=True) | Q(end_date__gte=start)
    if end is not None:
        q &= Q(start_date__lte=end)
    return q


def loads(role_ids: Iterable[int], start: datetime.date, end: datetime.date | None) -> dict[int, int]:
    """How many assignments each expert role carries during the term."""
    counts: dict[int, int] = defaultdict(int)
    for role_id in Assignment.objects.filter(_overlapping(start, end), role_id__in=list(role_ids)) \
            .values_list("role_id", flat=True):
        counts[role_id] += 1
    return counts


def served(target_ids: Iterable[int], role: str, start: datetime.date,
           end: datetime.date | None) -> dict[int, set[int]]:
    """target id → the expert roles (of `role`) already serving it during the term."""
    out: dict[int, set[int]] = defaultdict(set)
    for org_id, role_id in Assignment.objects.filter(_overlapping(start, end), role__role=role,
                                                     organisation_id__in=list(target_ids)) \
            .values_list("organisation_id", "role_id"):
        out[org_id].add(role_id)
    return out


def validate(*, title: str, role: str, criteria: Criteria) -> None:
    """The run's input, each refusal on its field with a code."""
    errors: dict[str, ValidationError] = {}
    if not title.strip():
        errors["title"] = ValidationError(_("Give the run a title."), code="no_title")
    if role not in RoleType.values:
        errors["role"] = ValidationError(_("Choose the expert role to assign."), code="bad_role")
    if criteria.org_type not in TARGET_TYPES:
        errors["org_type"] = ValidationError(_("Choose enterprises or villages / communities as targets."),
                                             code="bad_target_type")
    if criteria.ladder_stage and criteria.ladder_stage not in LadderStage.values:
        errors["ladder_stage"] = ValidationError(_("Unknown ladder stage."), code="bad_stage")
    if not isinstance(criteria.k, int) or isinstance(criteria.k, bool) or criteria.k < 1:
        errors["k"] = ValidationError(_("Experts per target must be at least 1."), code="bad_k")
    if not isinstance(criteria.weight, int | float) or not 0 <= criteria.weight <= 1:
        errors["weight"] = ValidationError(_("The same-county weight lies between 0 and 1."), code="bad_weight")
    try:
        start, end = criteria.term()
    except (TypeError, ValueError):
        errors["start"] = ValidationError(_("Give the start date of the term."), code="no_start")
    else:
        if end is not None and end < start:
            errors["end"] = ValidationError(_("The end date lies before the start date."), code="end_before_start")
    if errors:
        raise ValidationError(errors)


def start_run(user: Any, *, title: str, role: str, criteria: Criteria) -> CoverageRun:
    """A new run (status 解算中) for the caller to queue (`coverage_job`). Refused when the filter finds no
    target, with every other bad input named on its field."""
    if not is_worker(user):
        raise PermissionDenied(_("Only office staff may run commissioner coverage."))
    validate(title=title, role=role, criteria=criteria)
    allowed = set(county_choices(user).values_list("pk", flat=True))
    if any(pk not in allowed for pk in criteria.divisions):
        raise ValidationError({"divisions": ValidationError(_("A chosen county lies outside your data scope."),
                                                            code="division_scope")})
    if not target_queryset(user, criteria).exists():
        raise ValidationError({"org_type": ValidationError(
            _("No organisation matches the target filter: no target chosen."), code="no_targets")})
    return CoverageRun.objects.create(registry="experts", user=user, title=title.strip(), role=role,
                                      criteria=criteria.__dict__, division=home_division(user))


# ---- fit --------------------------------------------------------------------------------------------

def target_text(org: Organisation, needs: list[Need]) -> str:
    parts = [org.name, org.industry.name if org.industry is not None else "", org.description]
    for need in needs[:10]:
        parts += [need.title, need.description[:500]]
    return "\n".join(p for p in parts if p)


@dataclass
class Fit:
    fit: float
    text_fit: float
    bonus: float
    bonus_reason: dict[str, Any] | None


def _bonus(role: ExpertRole, org: Organisation, need_disciplines: set[int]) -> tuple[float, dict[str, Any] | None]:
    talent = role.talent
    target_industry, industry, discipline = org.industry, talent.industry, talent.discipline
    if target_industry is not None and industry is not None and industry.pk == target_industry.pk:
        return 1.0, {"code": "industry", "name": target_industry.name}
    if discipline is not None and discipline.pk in need_disciplines:
        return 1.0, {"code": "discipline", "name": discipline.name}
    parent = target_industry.parent if target_industry is not None else None
    if parent is not None and parent.level != "section" and industry is not None and industry.parent_id == parent.pk:
        return 0.5, {"code": "related_industry", "name": industry.name}
    return 0.0, None


class ExpertPool:
    """The chosen experts, looked up by talent key, industry, the industry's parent and discipline, so a
    target's candidates are found without scoring every expert."""

    def __init__(self, experts: Iterable[ExpertRole]) -> None:
        self.by_talent: dict[str, list[ExpertRole]] = defaultdict(list)
        self.by_industry: dict[int, list[ExpertRole]] = defaultdict(list)
        self.by_parent: dict[int, list[ExpertRole]] = defaultdict(list)
        self.by_discipline: dict[int, list[ExpertRole]] = defaultdict(list)
        self.by_division: dict[int, list[ExpertRole]] = defaultdict(list)
        for role in experts:
            talent = role.talent
            self.by_talent[f"talent:{talent.pk}"].append(role)
            if talent.industry is not None:
                self.by_industry[talent.industry.pk].append(role)
                if talent.industry.parent_id:
                    self.by_parent[talent.industry.parent_id].append(role)
            if talent.discipline_id:
                self.by_discipline[talent.discipline_id].append(role)
            if talent.division_id:
                self.by_division[talent.division_id].append(role)

    def near(self, org: Organisation, disciplines: set[int]) -> list[ExpertRole]:
        """The experts that may earn a field bonus for `org`."""
        found: list[ExpertRole] = []
        industry = org.industry
        if industry is not None:
            found += self.by_industry.get(industry.pk, [])
            parent = industry.parent
            if parent is not None and parent.level != "section":
                found += self.by_parent.get(parent.pk, [])
        for pk in disciplines:
            found += self.by_discipline.get(pk, [])
        return found


def fits(org: Organisation, needs: list[Need], experts: "list[ExpertRole] | ExpertPool",
         index: Any) -> dict[int, Fit]:
    """expert role id → its fit for `org` (only experts with a text fit or a field bonus)."""
    pool = experts if isinstance(experts, ExpertPool) else ExpertPool(experts)
    # The finder scores in log-odds, mostly below zero: compared as probabilities (store.expert_relevance).
    ranking = [(key, store.expert_relevance(score)) for key, score in
               (index.experts(target_text(org, needs), top=TOP_HITS) if index is not None else [])]
    best = ranking[0][1] if ranking and ranking[0][1] > 0 else 0.0
    disciplines = {n.discipline_id for n in needs if n.discipline_id}
    text: dict[int, float] = {}
    candidates: dict[int, ExpertRole] = {}
    for key, score in ranking:
        for role in pool.by_talent.get(key, ()):
            text[role.pk] = max(0.0, min(1.0, score / best)) if best else 0.0
            candidates[role.pk] = role
    for role in pool.near(org, disciplines):
        candidates[role.pk] = role
    out: dict[int, Fit] = {}
    for role_id, role in candidates.items():
        t = text.get(role_id, 0.0)
        bonus, reason = _bonus(role, org, disciplines)
        if t <= 0 and bonus <= 0:
            continue
        out[role_id] = Fit(round(TEXT_WEIGHT * t + FIELD_WEIGHT * bonus, 4), t, bonus, reason)
    if not out and org.division_id:  # nothing to go by (a village without a description): its county's experts
        for role in pool.by_division.get(org.division_id, ()):
            out[role.pk] = Fit(COUNTY_FIT, 0.0, 0.0, {"code": "county_only"})
    return out


def _open_needs(target_ids: list[int]) -> dict[int, list[Need]]:
    out: dict[int, list[Need]] = defaultdict(list)
    for need in Need.objects.filter(enterprise_id__in=target_ids, status__in=OPEN_NEEDS).order_by("-pk") \
            .only("pk", "enterprise_id", "title", "description", "discipline_id"):
        out[need.enterprise_id].append(need)
    return out


def forbidden_pairs(targets: list[Organisation], experts: list[ExpertRole]) -> set[tuple[int, int]]:
    """(role id, target id) pairs never proposed: own organisation, removed before, rejected feedback."""
    target_ids = {t.pk for t in targets}
    out = {(r.pk, r.talent.organisation_id) for r in experts if r.talent.organisation_id in target_ids}
    out |= set(CoverageProposal.objects.filter(removed=True, target_id__in=target_ids, expert__isnull=False)
               .values_list("expert_id", "target_id"))
    by_talent: dict[int, list[int]] = defaultdict(list)
    for r in experts:
        by_talent[r.talent_id].append(r.pk)
    sources = [f"org:{pk}" for pk in target_ids]
    for source, candidate in Feedback.objects.filter(verdict=Verdict.REJECTED, source__in=sources,
                                                     candidate__startswith="talent:") \
            .values_list("source", "candidate"):
        talent_id = int(candidate.split(":", 1)[1])
        for role_id in by_talent.get(talent_id, ()):
            out.add((role_id, int(source.split(":", 1)[1])))
    return out


# ---- the job ----------------------------------------------------------------------------------------

@task()
def coverage_job(run_id: int) -> None:
    solve(CoverageRun.objects.get(pk=run_id))


def solve(run: CoverageRun) -> None:
    """The job's work: targets and experts from the run's criteria (in its starter's scope), fits from the
    index, the solver, then the proposals. Locked and removed lines of an earlier solve stay."""
    with run.working():
        try:
            message = _solve(run)
        except Cancelled:
            run.finish(CoverageRun.Status.FAILED, _("The coverage run was cancelled."))
            return
        except AssignmentError as exc:
            logger.warning("coverage run %s: solver refused %s %s", run.pk, exc.code, exc.detail)
            if not exc.code.startswith("forced_"):
                run.finish(CoverageRun.Status.FAILED, _("The coverage run failed; start it again."))
                return
            run.finish(CoverageRun.Status.FAILED, _(
                "The locked lines no longer fit (an expert's capacity or a target's demand changed): unlock "
                "them and solve again."))
            return
        except Exception:
            logger.exception("coverage run %s failed", run.pk)
            run.finish(CoverageRun.Status.FAILED, _("The coverage run failed; start it again."))
            return
    run.finish(CoverageRun.Status.REVIEW, message)


def _solve(run: CoverageRun) -> str:
    criteria = Criteria.of(run)
    start, end = criteria.term()
    user = run.user
    kept = list(run.proposals.filter(Q(locked=True, expert__isnull=False) | Q(removed=True))
                .select_related("target", "target__industry", "expert", "expert__talent"))
    locked = [p for p in kept if p.locked and not p.removed and p.expert is not None]
    targets = list(target_queryset(user, criteria).select_related("industry__parent", "division"))
    experts = list(expert_queryset(user, run.role, on=start))
    # A locked line whose target or expert has left the filter since (an expert role ended) is still kept.
    for line in locked:
        if all(t.pk != line.target_id for t in targets):
            targets.append(line.target)
        if all(r.pk != line.expert_id for r in experts):
            experts.append(line.expert)  # type: ignore[arg-type]
    load = loads([r.pk for r in experts], start, end)
    already = served([t.pk for t in targets], run.role, start, end)
    needs = _open_needs([t.pk for t in targets])
    index = store.current()  # None while no index is built: fits then come from the field bonus alone

    total = len(targets)
    pool = ExpertPool(experts)
    already_by_division: dict[str, int] = {}
    demand: dict[str, int] = {}
    candidates: list[Candidate] = []
    fit_of: dict[tuple[int, int], Fit] = {}
    for done, org in enumerate(targets, 1):
        if done % 50 == 0 or done == total:
            run.check_cancel()
            run.set_progress("fit", done, total)
        want = criteria.k - len(already.get(org.pk, ()))
        if want <= 0:
            name = org.division.name if org.division is not None else ""
            already_by_division[name] = already_by_division.get(name, 0) + 1
            continue
        demand[f"org:{org.pk}"] = want
        for role_id, f in fits(org, needs.get(org.pk, []), pool, index).items():
            if role_id in already.get(org.pk, ()):
                continue
            fit_of[(role_id, org.pk)] = f
    roles = {r.pk: r for r in experts}
    by_id = {t.pk: t for t in targets}
    for (role_id, org_id), f in fit_of.items():
        candidates.append(Candidate(f"role:{role_id}", f"org:{org_id}", f.fit,
                                    _same_county(roles[role_id], by_id[org_id])))
    capacity = {f"role:{r.pk}": max(0, r.capacity - load.get(r.pk, 0)) for r in experts}
    forbidden = {(f"role:{e}", f"org:{t}") for e, t in forbidden_pairs(targets, experts)}
    forced = {(f"role:{p.expert_id}", f"org:{p.target_id}") for p in locked}
    forbidden -= forced  # staff's choice wins over an earlier removal or rejection
    forced = {pair for pair in forced if pair[1] in demand}

    def progress(phase: str, done: int, steps: int) -> None:
        run.set_progress(phase, done, steps)

    result = solve_assignment(demand, capacity, candidates, forbidden=forbidden, forced=forced,
                              same_county_weight=float(criteria.weight), progress=progress)

    names = {f"role:{r.pk}": r.talent.name for r in experts}
    lines: list[CoverageProposal] = []
    locked_keys = forced
    for pair in result.pairs:
        if (pair.expert, pair.target) in locked_keys:
            continue  # the locked line itself stays
        role_id, org_id = int(pair.expert[5:]), int(pair.target[4:])
        reasons = _reasons(index, by_id[org_id], needs.get(org_id, []), roles[role_id], fit_of.get((role_id, org_id)),
                           pair.same_county)
        lines.append(CoverageProposal(run=run, target_id=org_id, expert_id=role_id, fit=pair.fit, reasons=reasons))
    for gap in result.uncovered:
        listed = [{"id": int(e[5:]), "name": names.get(e, "")} for e in gap.experts]
        for _slot in range(gap.slots):
            lines.append(CoverageProposal(run=run, target_id=int(gap.target[4:]), uncovered_reason=gap.reason,
                                          reasons=[{"code": "experts", "experts": listed}] if listed else []))
    with transaction.atomic():
        run.proposals.filter(locked=False, removed=False).delete()
        CoverageProposal.objects.bulk_create(lines, batch_size=1000)
        run.summary = {"targets": total, "already_served": total - len(demand), "already": already_by_division,
                       "demanded": result.demanded,
                       "covered": result.covered, "objective": result.objective,
                       "total_fit": round(result.total_fit, 4)}
        run.save(update_fields=["summary"])
    message = _("%(covered)d of %(demanded)d places covered.") % {"covered": result.covered,
                                                                   "demanded": result.demanded}
    if index is None:
        message += " " + _("The matching index is not built yet: fits come from industry and discipline alone.")
    return message


def _same_county(role: ExpertRole, org: Organisation) -> bool:
    return bool(org.division_id and role.talent.division_id == org.division_id)


def _reasons(index: Any, org: Organisation, needs: list[Need], role: ExpertRole, f: Fit | None,
             same_county: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if f is not None and f.text_fit > 0 and index is not None:
        try:
            words = index.explain(target_text(org, needs), f"talent:{role.talent_id}").shared_words[:5]
        except (KeyError, ValueError, IndexError):
            words = []
        if words:
            out.append({"code": "terms", "words": list(words)})
    if f is not None and f.bonus_reason:
        out.append(f.bonus_reason)
    if same_county and not (f is not None and f.bonus_reason and f.bonus_reason["code"] == "county_only"):
        out.append({"code": "county"})
    return out


# ---- what a line says -------------------------------------------------------------------------------

def reason_texts(proposal: CoverageProposal) -> list[str]:
    """The line's reasons in the user's language."""
    texts = []
    for reason in proposal.reasons or []:
        code = reason.get("code")
        if code == "terms":
            texts.append(_("Shared terms: %(words)s") % {"words": "、".join(reason.get("words", []))})
        elif code == "industry":
            texts.append(_("Industry matches the target: %(name)s") % {"name": reason.get("name", "")})
        elif code == "related_industry":
            texts.append(_("Related industry: %(name)s") % {"name": reason.get("name", "")})
        elif code == "discipline":
            texts.append(_("Discipline fits its open needs: %(name)s") % {"name": reason.get("name", "")})
        elif code == "county":
            texts.append(_("Same county"))
        elif code == "county_only":
            texts.append(_("Nothing to match by field: an expert of the same county"))
        elif code == "staff":
            texts.append(_("Chosen by staff"))
    return texts


def uncovered_text(proposal: CoverageProposal) -> str:
    """无匹配专家 / 专家名额已满：张三、李四 / 仅有回避关系的专家：王五."""
    label = str(UNCOVERED.get(proposal.uncovered_reason, proposal.uncovered_reason))
    names = [e.get("name", "") for r in proposal.reasons or [] if r.get("code") == "experts"
             for e in r.get("experts", [])]
    return f"{label}：{'、'.join(names)}" if names else label


# ---- review -----------------------------------------------------------------------------------------

def _reviewable(user: Any, proposal: CoverageProposal, *also: str) -> CoverageRun:
    run = proposal.run
    _need_worker(user, run)
    if run.status != CoverageRun.Status.REVIEW and run.status not in also:
        raise ValidationError(_("Only a run under review can be changed."), code="not_in_review")
    return run


def lock(user: Any, proposal: CoverageProposal, locked: bool = True) -> None:
    """Lock (kept on a re-solve) or unlock a line; unlocking also after a re-solve failed on its locks."""
    _reviewable(user, proposal, *(() if locked else (CoverageRun.Status.FAILED,)))
    if proposal.expert_id is None or proposal.removed:
        raise ValidationError(_("Only a line with an expert can be locked."), code="nothing_to_lock")
    proposal.locked = locked
    proposal.save(update_fields=["locked"])


def remove(user: Any, proposal: CoverageProposal) -> None:
    """Take the line off the run; the pair is never proposed again."""
    _reviewable(user, proposal)
    if proposal.expert_id is None:
        raise ValidationError(_("Only a line with an expert can be removed."), code="nothing_to_remove")
    with transaction.atomic():
        proposal.removed = True
        proposal.locked = False
        proposal.save(update_fields=["removed", "locked"])
        # The target's place is open again, until a swap or a re-solve fills it.
        CoverageProposal.objects.create(run=proposal.run, target_id=proposal.target_id, uncovered_reason="removed")


def remaining(run: CoverageRun, roles: Iterable[ExpertRole], exclude: int | None = None) -> dict[int, int]:
    """role id → places left: capacity − assignments in the term − this run's kept lines (but `exclude`)."""
    roles = list(roles)
    start, end = Criteria.of(run).term()
    load = loads([r.pk for r in roles], start, end)
    in_run: dict[int, int] = defaultdict(int)
    lines = run.proposals.filter(removed=False, expert_id__in=[r.pk for r in roles])
    if exclude is not None:
        lines = lines.exclude(pk=exclude)
    for role_id in lines.values_list("expert_id", flat=True):
        in_run[role_id] += 1
    return {r.pk: r.capacity - load.get(r.pk, 0) - in_run[r.pk] for r in roles}


def swap_choices(user: Any, proposal: CoverageProposal) -> list[tuple[ExpertRole, int]]:
    """The experts a line may be given instead, with their places left (full ones included, marked 0)."""
    run = proposal.run
    experts = list(expert_queryset(user, run.role, on=Criteria.of(run).term()[0]))
    left = remaining(run, experts, exclude=proposal.pk)
    return [(r, max(0, left[r.pk])) for r in experts if r.talent.organisation_id != proposal.target_id]


def swap(user: Any, proposal: CoverageProposal, role_id: int) -> None:
    """Give the line another expert (an uncovered line too); the line is then locked as staff's choice."""
    run = _reviewable(user, proposal)
    if proposal.removed:
        raise ValidationError(_("This line was removed."), code="removed")
    role = expert_queryset(user, run.role, on=Criteria.of(run).term()[0]).filter(pk=role_id).first()
    if role is None:
        raise ValidationError({"expert": ValidationError(_("Choose an active expert of this run's role."),
                                                         code="bad_expert")})
    if role.talent.organisation_id == proposal.target_id:
        raise ValidationError({"expert": ValidationError(
            _("%(name)s belongs to the served organisation (conflict of interest).") % {"name": role.talent.name},
            code="conflict")})
    if run.proposals.filter(removed=False, target_id=proposal.target_id, expert=role).exclude(pk=proposal.pk) \
            .exists() or served([proposal.target_id], run.role, *Criteria.of(run).term()) \
            .get(proposal.target_id, set()) & {role.pk}:
        raise ValidationError({"expert": ValidationError(
            _("%(name)s already serves this target.") % {"name": role.talent.name}, code="duplicate")})
    if role.pk != proposal.expert_id and remaining(run, [role], exclude=proposal.pk)[role.pk] <= 0:
        raise ValidationError({"expert": ValidationError(
            _("%(name)s has no place left: capacity %(capacity)d is taken.") % {
                "name": role.talent.name, "capacity": role.capacity}, code="capacity")})
    org = Organisation.objects.select_related("industry__parent").get(pk=proposal.target_id)
    needs = _open_needs([org.pk]).get(org.pk, [])
    f = fits(org, needs, [role], store.current()).get(role.pk)
    proposal.expert = role
    proposal.fit = f.fit if f else 0.0
    proposal.reasons = [*_reasons(store.current(), org, needs, role, f, _same_county(role, org)), {"code": "staff"}]
    proposal.uncovered_reason = ""
    proposal.locked = True
    proposal.save()


def resolve_again(user: Any, run: CoverageRun) -> CoverageRun:
    """Back to 解算中 for the caller to queue: locked lines are kept (forced), removed ones stay forbidden."""
    _need_worker(user, run)
    if run.status not in (CoverageRun.Status.REVIEW, CoverageRun.Status.FAILED):
        raise ValidationError(_("Only a run under review can be solved again."), code="not_in_review")
    run.status = CoverageRun.Status.SOLVING
    run.message = ""
    run.finished_at = None
    run.save(update_fields=["status", "message", "finished_at"])
    return run


@transaction.atomic
def publish(user: Any, run: CoverageRun) -> list[Assignment]:
    """Every kept line with an expert becomes an `Assignment` with the run's term (all or none)."""
    _need_worker(user, run)
    run = CoverageRun.objects.select_for_update().get(pk=run.pk)
    if run.status != CoverageRun.Status.REVIEW:
        raise ValidationError(_("Only a run under review can be published."), code="not_in_review")
    lines = list(run.proposals.filter(removed=False, expert__isnull=False).select_related("expert__talent", "target"))
    if not lines:
        raise ValidationError(_("The run has no line with an expert to publish."), code="nothing_to_publish")
    start, end = Criteria.of(run).term()
    made = []
    for line in lines:
        expert = line.expert
        assert expert is not None
        try:
            assignment = expert_services.assign(expert, line.target, start, end, notes=run.title[:200], user=user)
        except ValidationError as exc:
            raise ValidationError(_("%(expert)s → %(target)s: %(reason)s") % {
                "expert": expert.talent.name, "target": line.target.name, "reason": " ".join(exc.messages)},
                code=getattr(exc, "code", None) or "refused") from exc
        line.assignment = assignment
        line.save(update_fields=["assignment"])
        made.append(assignment)
    run.status = CoverageRun.Status.PUBLISHED
    run.message = _("%(count)d assignments published.") % {"count": len(made)}
    run.save(update_fields=["status", "message"])
    return made


# ---- the summary ------------------------------------------------------------------------------------

def summary(run: CoverageRun) -> dict[str, Any]:
    """Targets, covered targets (every slot filled, kept lines only), coverage rate and experts used,
    in total and by the targets' division. Targets already served in the term count as covered (their
    experts are not counted as used by this run)."""
    lines = list(run.proposals.filter(removed=False)
                 .values_list("target_id", "target__division__name", "expert_id"))
    per_target: dict[int, list[int | None]] = defaultdict(list)
    division_of: dict[int, str] = {}
    for target_id, division, expert_id in lines:
        per_target[target_id].append(expert_id)
        division_of[target_id] = division or ""
    rows: dict[str, dict[str, Any]] = {}
    for name, count in ((run.summary or {}).get("already") or {}).items():
        rows[name] = {"division": name, "targets": count, "covered": count, "experts": set()}
    for target_id, experts in per_target.items():
        row = rows.setdefault(division_of[target_id], {"division": division_of[target_id], "targets": 0,
                                                       "covered": 0, "experts": set()})
        row["targets"] += 1
        assigned = [e for e in experts if e is not None]
        if None not in experts:  # every open place of the target has an expert (uncovered places are lines too)
            row["covered"] += 1
        row["experts"].update(assigned)
    already = int((run.summary or {}).get("already_served", 0))
    total = {"division": "", "targets": sum(r["targets"] for r in rows.values()),
             "covered": sum(r["covered"] for r in rows.values()),
             "experts": set().union(*(r["experts"] for r in rows.values())) if rows else set()}
    out = []
    for row in [*sorted(rows.values(), key=lambda r: r["division"]), total]:
        out.append({**row, "experts": len(row["experts"]),
                    "rate": row["covered"] / row["targets"] if row["targets"] else 0.0})
    return {"rows": out[:-1], "total": out[-1], "already_served": already}


def today() -> datetime.date:
    return timezone.localdate()


def industry_choices() -> QuerySet[Industry]:
    """Sections and divisions of GB/T 4754 (a target filter takes the codes below too)."""
    return Industry.objects.filter(level__in=("section", "division")).order_by("code")
