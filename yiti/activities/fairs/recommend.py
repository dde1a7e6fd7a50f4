"""Talents for a job fair position, from the matching engine (yiti.matching.recommend): the position's title,
requirements and discipline matched against the talents' expertise with the same expert finder needs use, each with
its reasons (shared key terms, same discipline or industry, same county). Only talents the user may see who consent
to being recommended (`talents.services.offerable`, inside the ranker); those already holding an intention for the
position are left out."""

from typing import Any

from yiti.activities.fairs.models import Position
from yiti.matching import recommend as rec


def source_of(position: Position) -> rec.Source:
    discipline = position.discipline.name if position.discipline is not None else ""
    enterprise = position.enterprise
    return rec.Source(
        text="\n".join(p for p in (position.title, position.requirements, discipline) if p),
        kind="position", division=position.fair.division, discipline_id=position.discipline_id,
        industry_id=enterprise.industry_id, enterprise_id=enterprise.pk)


def talents_for(position: Position, user: Any, top: int = 10) -> list[rec.Recommendation]:
    """The best `top` talents for `position`, best first. Raises what `recommend_for` raises: IndexNotReady, and a
    ValidationError for a position with too little text to match."""
    taken = set(position.intentions.values_list("talent_id", flat=True))
    found = rec.recommend_for(user, source_of(position), "experts", top=min(rec.MAX_TOP, top + len(taken)))
    return [r for r in found if r.record.pk not in taken][:top]
