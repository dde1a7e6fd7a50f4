"""Pairing's rules: recording a service, and proposing new pairs with the assignment solver (docs/pairing.md)."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.engine import Candidate, assign
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


def propose(communities: Any, partners: Any, *, capacity: int, same_county_only: bool = False) -> Proposals:
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
    candidates = []
    for community in communities:
        wanted = needs.get(community.pk) or community.description
        for partner in partners:
            same = community.division_id is not None and community.division_id == partner.division_id
            if same_county_only and not same:
                continue
            offered = services.get(partner.pk) or partner.description
            candidates.append(Candidate(f"p{partner.pk}", f"c{community.pk}", round(fit(wanted, offered), 4), same))
    room = {f"p{p.pk}": max(0, capacity - load.get(p.pk, 0)) for p in partners}
    result = assign([f"c{c.pk}" for c in communities], room, candidates, same_county_weight=0.2)
    by_id = {f"c{c.pk}": c for c in communities} | {f"p{p.pk}": p for p in partners}
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
