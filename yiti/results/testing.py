"""Test factories for results: one valid record with sensible defaults, any field overridable."""

from typing import Any

from yiti.core.testing import serial
from yiti.orgs.testing import make_org
from yiti.results.models import Result


def make_result(**kw: Any):
    defaults = {"title": f"一种球墨铸铁件的热处理方法{serial()}", "result_type": "patent",
                "owner": kw.pop("owner", None) or make_org(), "trl": 5}
    defaults.update(kw)
    return Result.objects.create(**defaults)


def world_record(place: Any):
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): `place` has the
    county's division, enterprise, university, marker and the records made so far (in INSTALLED_APPS order)."""
    return make_result(owner=place.university, title=f"{place.public_marker}一种热处理方法")
