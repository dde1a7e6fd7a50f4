"""Test factories for experts: one valid record with sensible defaults, any field overridable."""

from typing import Any

from yiti.experts.models import ExpertRole
from yiti.talents.testing import make_talent


def make_expert_role(**kw: Any):
    expertise = kw.pop("expertise", "")  # of the talent made for the role
    defaults = {"talent": kw.pop("talent", None) or make_talent(expertise=expertise), "role": "commissioner",
                "capacity": 2}
    defaults.update(kw)
    return ExpertRole.objects.create(**defaults)


def world_record(place: Any):
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): `place` has the
    county's division, enterprise, university, marker and the records made so far (in INSTALLED_APPS order)."""
    return make_expert_role(talent=place.records["talents.talent"], notes=f"{place.marker}特派员")
