"""Test factories for needs: one valid record with sensible defaults, any field overridable."""

from typing import Any

from yiti.core.testing import industry, serial
from yiti.needs.models import Need
from yiti.orgs.testing import make_enterprise


def make_need(**kw: Any):
    defaults = {"enterprise": kw.pop("enterprise", None) or make_enterprise(), "need_type": "technology",
                "title": f"铸件气孔缺陷控制技术需求{serial()}", "industry": industry()}
    defaults.update(kw)
    return Need.objects.create(**defaults)


def world_record(place: Any):
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): `place` has the
    county's division, enterprise, university, marker and the records made so far (in INSTALLED_APPS order)."""
    return make_need(enterprise=place.enterprise, title=f"{place.marker}铸件检测需求")
