"""Test factories for orgs: one valid record with sensible defaults, any field overridable."""

from typing import Any

from yiti.core.testing import county, industry, serial
from yiti.orgs.models import Organisation


def make_org(**kw: Any):
    n = serial()
    defaults = {"name": f"测试单位{n}", "org_type": "university", "division": county()}
    defaults.update(kw)
    return Organisation.objects.create(**defaults)


def make_enterprise(**kw: Any):
    kw.setdefault("org_type", "enterprise")
    kw.setdefault("name", f"晋中测试机械有限公司{serial()}")
    kw.setdefault("industry", industry())
    kw.setdefault("ladder_stage", "tech_sme")
    return make_org(**kw)


def world_record(place: Any):
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): `place` has the
    county's division, enterprise, university, marker and the records made so far (in INSTALLED_APPS order)."""
    return place.enterprise
