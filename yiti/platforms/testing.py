"""Test factories for platforms: one valid record with sensible defaults, any field overridable."""

from typing import Any

from yiti.core.testing import county, serial
from yiti.orgs.testing import make_org
from yiti.platforms.models import Platform


def make_platform(**kw: Any):
    defaults = {"name": f"晋中市铸造工程技术研究中心{serial()}", "platform_type": "engineering_centre",
                "level": "municipal", "host": kw.pop("host", None) or make_org(), "division": county()}
    defaults.update(kw)
    return Platform.objects.create(**defaults)


def world_record(place: Any):
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): `place` has the
    county's division, enterprise, university, marker and the records made so far (in INSTALLED_APPS order)."""
    return make_platform(host=place.university, division=place.division, name=f"{place.public_marker}工程技术研究中心")
