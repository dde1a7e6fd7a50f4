"""Pairing's rules: recording a service, and proposing new pairs with the assignment solver (docs/pairing.md)."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy.sparse import csr_matrix

from yiti.engine import assign
from yiti.orgs.models import Organisation
from yiti.pairing.choices import COMMUNITY_TYPES, PARTNER_TYPES, PairStatus
from yiti.pairing.models import Pairing, ServiceLog

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")


def log_service(pairing: Pairing, *, user: Any, date: datetime.date, content: str, people_served: int = 0,
                outcome: str = "") -> ServiceLog:
    if pairing.status != PairStatus.ACTIVE:
        raise ValidationError(_("Services are recorded for pairs in force; this pair is %(status)s.")
                              % {"status": pairing.get_status_display()}, code="pair_not_active")
    if date < pairing.term_start or (pairing.term_end and date > pairing.term_end):
        term = f"{pairing.term_start:%Y-%m-%d} — {pairing.term_end:%Y-%m-%d}" if pairing.term_end else \
            f"{pairing.term_start:%Y-%m-%d} —"
        raise ValidationError({"date": ValidationError(_("The date %(date)s lies outside the pair's term (%(term)s).")
                                                       % {"date": f"{date:%Y-%m-%d}", "term": term},
                                                       code="outside_term")})
    return ServiceLog.objects.create(pairing=pairing, date=date, content=content, people_served=people_served,
                                     outcome=outcome, created_by=user)


def _terms(text: str) -> set[str]:
    """Character pairs of Chinese runs and lower-case words: enough to tell 养老服务 from 电商直播."""
    out: set[str] = set()
    for run in _CJK_RUN.findall((text or "").lower()):
        if run.isascii():
            out.add(run)
        else:
            out.update(run[i:i + 2] for i in range(max(1, len(run) - 1)))
    return out


def fit(needs: str, services: str) -> float:
    """How much of what the community needs the partner's services cover (0–1): the share of the needs' terms."""
    wanted, offered = _terms(needs), _terms(services)
    return len(wanted & offered) / len(wanted) if wanted else 0.0


@dataclass(frozen=True)
class Proposal:
    community: Organisation
    partner: Organisation
    fit: float
    same_county: bool


@dataclass(frozen=True)
class Proposals:
    pairs: list[Proposal]
    unpaired: list[Organisation]  # communities no partner could take (no capacity, or none in the county)


def _texts(pairings: Any, key: str, field: str) -> dict[int, str]:
    """The needs (or services) each organisation wrote in its earlier pairs, joined."""
    texts: dict[int, list[str]] = {}
    for org_id, text in pairings.values_list(key, field):
        if text:
            texts.setdefault(org_id, []).append(text)
    return {k: "\n".join(v) for k, v in texts.items()}


# Above this many community × partner pairs, each community keeps only its best-scoring partners (see _candidates).
MAX_CANDIDATES = 2_000_000
SAME_COUNTY_WEIGHT = 0.2
_ROWS_PER_CHUNK = 4096


def _term_rows(term_sets: list[set[str]], vocabulary: dict[str, int]) -> tuple[list[int], list[int]]:
    """A CSR matrix's row pointers and column indices: one row per organisation, one column per term."""
    indptr: list[int] = [0]
    indices: list[int] = []
    for terms in term_sets:
        indices.extend(vocabulary.setdefault(term, len(vocabulary)) for term in terms)
        indptr.append(len(indices))
    return indptr, indices


def _candidates(communities: list[tuple[str, set[str], int | None]], partners: list[tuple[str, set[str], int | None]],
                *, same_county_only: bool, max_candidates: int) -> list[tuple[str, str, float, bool]]:
    """The pairs the solver may choose from, as the engine's (partner, community, fit, same county) tuples, from
    each side's (key, terms, county).

    The fit of every pair at once, as a sparse product (shared terms = needs' terms × services' terms), instead of
    a Python loop over the pairs: at city scope with scale-100 data that loop took 25 s (docs/benchmarks.md). All
    pairs are kept while there are at most `max_candidates` of them — the solver then finds the true optimum; above
    that, each community keeps its best max_candidates // communities partners by score (fit + the same-county
    bonus), which bounds memory and the solver's time at the cost of an optimum over fewer pairs."""
    wanted, offered = [c[1] for c in communities], [p[1] for p in partners]
    vocabulary: dict[str, int] = {}
    c_ptr, c_idx = _term_rows(wanted, vocabulary)
    p_ptr, p_idx = _term_rows(offered, vocabulary)
    c_keys = np.array([c[0] for c in communities], dtype=object)
    p_keys = np.array([p[0] for p in partners], dtype=object)
    shape = len(vocabulary) or 1
    needs = csr_matrix((np.ones(len(c_idx)), c_idx, c_ptr), shape=(len(wanted), shape))
    services_t = csr_matrix((np.ones(len(p_idx)), p_idx, p_ptr), shape=(len(offered), shape)).T.tocsc()
    sizes = np.maximum(np.diff(np.asarray(c_ptr)), 1)
    missing = -1  # a county no organisation has: organisations without one are never "same county"
    c_county = np.array([missing if c[2] is None else c[2] for c in communities], dtype=np.int64)
    p_county = np.array([missing - 1 if p[2] is None else p[2] for p in partners], dtype=np.int64)
    keep = len(offered) if len(wanted) * len(offered) <= max_candidates else \
        max(1, max_candidates // max(1, len(wanted)))
    out: list[tuple[str, str, float, bool]] = []
    for start in range(0, len(wanted), _ROWS_PER_CHUNK):
        stop = min(start + _ROWS_PER_CHUNK, len(wanted))
        fit = np.round((needs[start:stop] @ services_t).toarray() / sizes[start:stop, None], 4)
        same = c_county[start:stop, None] == p_county[None, :]
        allowed = same if same_county_only else np.ones_like(same)
        if keep < len(offered):
            score = np.where(allowed, fit + SAME_COUNTY_WEIGHT * same, -np.inf)
            best = np.argpartition(-score, keep - 1, axis=1)[:, :keep]
            narrowed = np.zeros_like(allowed)
            np.put_along_axis(narrowed, best, True, axis=1)
            allowed &= narrowed
        rows, cols = np.nonzero(allowed)
        out.extend(zip(p_keys[cols].tolist(), c_keys[rows + start].tolist(), fit[rows, cols].tolist(),
                       same[rows, cols].tolist(), strict=True))
    return out


def propose(communities: Any, partners: Any, *, capacity: int, same_county_only: bool = False,
            max_candidates: int = MAX_CANDIDATES) -> Proposals:
    """One partner for each community without a pair in force, each partner taking at most `capacity` communities
    (counting those it has in force): the engine's min-cost flow (yiti.engine.assign) — most communities paired
    first, then the best total fit of the community's needs to the partner's services, a same-county pair
    preferred."""
    active = Pairing.objects.filter(status=PairStatus.ACTIVE)
    paired = set(active.values_list("community_id", flat=True))
    communities = [c for c in communities.filter(org_type__in=COMMUNITY_TYPES) if c.pk not in paired]
    partners = list(partners.filter(org_type__in=PARTNER_TYPES))
    load: dict[int, int] = {}
    for partner_id in active.values_list("partner_id", flat=True):
        load[partner_id] = load.get(partner_id, 0) + 1
    needs = _texts(Pairing.objects.all(), "community_id", "community_needs")
    services = _texts(Pairing.objects.all(), "partner_id", "partner_services")
    c_keys = [f"c{c.pk}" for c in communities]
    p_keys = [f"p{p.pk}" for p in partners]
    # Each text cut into terms once (not once per pair).
    candidates = _candidates(
        [(key, _terms(needs.get(c.pk) or c.description), c.division_id) for key, c in zip(c_keys, communities,
                                                                                        strict=True)],
        [(key, _terms(services.get(p.pk) or p.description), p.division_id) for key, p in zip(p_keys, partners,
                                                                                           strict=True)],
        same_county_only=same_county_only, max_candidates=max_candidates)
    room = {key: max(0, capacity - load.get(p.pk, 0)) for key, p in zip(p_keys, partners, strict=True)}
    result = assign(c_keys, room, candidates, same_county_weight=SAME_COUNTY_WEIGHT)
    by_id = dict(zip(c_keys, communities, strict=True)) | dict(zip(p_keys, partners, strict=True))
    pairs = [Proposal(by_id[p.target], by_id[p.expert], p.fit, p.same_county) for p in result.pairs]
    taken = {p.community.pk for p in pairs}
    return Proposals(sorted(pairs, key=lambda p: (p.community.name, p.partner.name)),
                     [c for c in communities if c.pk not in taken])


@transaction.atomic
def confirm(pairs: list[tuple[Organisation, Organisation]], *, user: Any, term_start: datetime.date | None = None,
            years: int = 3) -> list[Pairing]:
    """Staff confirm proposals: each becomes a pair in force for `years` from `term_start` (today)."""
    start = term_start or timezone.localdate()
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    made = []
    for community, partner in pairs:
        pairing = Pairing(community=community, partner=partner, term_start=start, term_end=end,
                          status=PairStatus.ACTIVE, created_by=user)
        pairing.full_clean(exclude=["search_text"])
        pairing.save()
        made.append(pairing)
    return made
