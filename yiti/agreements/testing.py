"""Test factories for agreements: one valid record with sensible defaults, any field overridable."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yiti.agreements.models import Agreement
from yiti.core.testing import county, serial
from yiti.orgs.testing import make_enterprise, make_org


def make_agreement(parties=None, **kw: Any):
    defaults = {"title": f"校企合作协议{serial()}", "kind": "enterprise",
                "signed_date": timezone.localdate() - datetime.timedelta(days=30),
                "committed_funds": Decimal("100"), "division": county()}
    defaults.update(kw)
    agreement = Agreement.objects.create(**defaults)
    agreement.parties.set(parties or [make_org(), make_enterprise()])
    return agreement


def world_record(place: Any):
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): `place` has the
    county's division, enterprise, university, marker and the records made so far (in INSTALLED_APPS order)."""
    return make_agreement(parties=[place.university, place.enterprise], division=place.division,
                          title=f"{place.marker}校企合作协议", signed_date=datetime.date(2025, 5, 1))
