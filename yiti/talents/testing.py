"""Test factories for talents: one valid record with sensible defaults, any field overridable."""

from typing import Any

from yiti.core.testing import county, serial, valid_id_number
from yiti.talents.models import Talent


def make_talent(**kw: Any):
    defaults = {"name": f"张{serial()}", "population": "local", "division": county()}
    defaults.update(kw)
    return Talent.objects.create(**defaults)


def world_record(place: Any):
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): `place` has the
    county's division, enterprise, university, marker and the records made so far (in INSTALLED_APPS order)."""
    return make_talent(name=f"{place.public_marker}张工", division=place.division, organisation=place.university,
                       mobile="13912345678", id_number=valid_id_number("19790302"))
