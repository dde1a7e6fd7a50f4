"""Test factories for policies: one valid record with sensible defaults, any field overridable."""

import datetime
from typing import Any

from yiti.accounts.models import Department
from yiti.core.models import Division
from yiti.core.testing import county, serial
from yiti.policies.models import Policy


def granting_office(division: Division | None = None, name: str = "") -> Department:
    division = division or county()
    return Department.objects.get_or_create(name=name or f"{division.name}人社局", kind="office",
                                            division=division)[0]


def make_policy(**kw: Any) -> Policy:
    division = kw.pop("division", None) or county()
    defaults = {"title": f"高校毕业生创业补贴{serial()}", "issuing_department": "晋中市人社局", "division": division,
                "granting_department": kw.pop("granting_department", None) or granting_office(division),
                "kind": "automatic", "subject": "organisation", "effective_from": datetime.date(2025, 1, 1)}
    defaults.update(kw)
    policy = Policy(**defaults)
    policy.full_clean()  # the rules pass the one gate (yiti.policies.rules.check_conditions)
    policy.save()
    return policy


def world_record(place: Any) -> Policy:
    """This registry's record in one county of the access tests' world (yiti/tests/world.py). Policies are
    public (the whole city reads them), so it carries the public marker."""
    return make_policy(title=f"{place.public_marker}科技型中小企业奖补政策", division=place.division,
                       granting_department=place.department, standard=f"{place.public_marker}奖补标准")


def leak_targets(world: Any) -> dict[str, Any]:
    """County B's screening (its staff's, over its policy) and a ledger line of its enterprise in the leak test's
    world (yiti/tests/world.py): what the /policies/screenings/<pk>/ and /policies/benefits/<pk>/ URLs are aimed at.
    The hits and the line name county B's records (MARKER_B), so a page that leaks them shows it."""
    from yiti.accounts.testing import make_user
    from yiti.policies import services

    b = world.b
    staff_b = make_user("staff_b_policies", "staff", scope="county", department=b.department)
    policy = b.records["policies.policy"]
    screening = services.start_screening(policy, staff_b)  # the policy has no conditions: all of B's records
    screening.refresh_from_db()
    hits = screening.hits.filter(organisation=b.enterprise).values_list("pk", flat=True)
    benefit = services.confirm(screening, staff_b, hits)[0]
    return {"screening": screening, "benefit": benefit}
