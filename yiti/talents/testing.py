"""Test factories for talents: one valid record with sensible defaults, any field overridable."""

from typing import Any

from yiti.core.testing import county, serial
from yiti.talents.models import Talent


def make_talent(**kw: Any):
    defaults = {"name": f"张{serial()}", "population": "local", "division": county()}
    defaults.update(kw)
    return Talent.objects.create(**defaults)
