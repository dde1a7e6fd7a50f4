"""Test helpers of commissioner coverage: a county's run with a line, for the leak test."""

import datetime
from typing import Any

from yiti.matching.models import CoverageProposal, CoverageRun


def coverage_run_of(place: Any, user: Any, marker: str = "") -> tuple[CoverageRun, CoverageProposal]:
    """A run under review in `place`'s county (started by `user`) with one line: its enterprise served by
    its expert role (the world's `experts.expertrole`)."""
    run = CoverageRun.objects.create(
        registry="experts", user=user, title=f"{marker or place.marker} coverage", role="commissioner",
        division=place.division, status=CoverageRun.Status.REVIEW,
        criteria={"org_type": "enterprise", "divisions": [place.division.pk], "k": 1, "weight": 0.1,
                  "start": datetime.date(2026, 1, 1).isoformat(), "end": ""},
        summary={"targets": 1, "already_served": 0, "demanded": 1, "covered": 1})
    line = CoverageProposal.objects.create(run=run, target=place.enterprise,
                                           expert=place.records["experts.expertrole"], fit=0.9)
    return run, line


def coverage_leak_targets(world: Any) -> dict[str, Any]:
    """County B's run and line (started by a county-B officer) for /matching/coverage/<pk>/ and …/line/<pk>/."""
    from yiti.accounts.models import Role, Scope
    from yiti.accounts.testing import make_user

    officer = make_user("coverage_staff_b", Role.STAFF, scope=Scope.COUNTY, department=world.b.department)
    run, line = coverage_run_of(world.b, officer)
    return {"run": run, "line": line}
