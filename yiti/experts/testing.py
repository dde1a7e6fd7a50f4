"""Test factories for experts: one valid record with sensible defaults, any field overridable."""

from typing import Any

from yiti.experts.models import ExpertRole
from yiti.talents.testing import make_talent


def make_expert_role(**kw: Any):
    defaults = {"talent": kw.pop("talent", None) or make_talent(), "role": "commissioner", "capacity": 2}
    defaults.update(kw)
    return ExpertRole.objects.create(**defaults)
