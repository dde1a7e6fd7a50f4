"""Test factories for pairing: one valid pair with sensible defaults, any field overridable."""

import datetime
from typing import Any

from yiti.core.testing import serial
from yiti.orgs.testing import make_org
from yiti.pairing.models import Pairing


def make_community(**kw: Any):
    return make_org(**{"name": f"锦纶社区{serial()}", "org_type": "community", **kw})


def make_pairing(**kw: Any):
    defaults = {"community": kw.pop("community", None) or make_community(),
                "partner": kw.pop("partner", None) or make_org(org_type="university"),
                "term_start": datetime.date(2026, 1, 1), "community_needs": "养老服务\n电商培训"}
    defaults.update(kw)
    return Pairing.objects.create(**defaults)


def world_record(place: Any):
    """This registry's record in one county of the access tests' world (yiti/tests/world.py)."""
    community = make_community(name=f"{place.marker}锦纶社区", division=place.division)
    return make_pairing(community=community, partner=place.university, division=place.division,
                        community_needs=f"{place.marker}养老服务")
