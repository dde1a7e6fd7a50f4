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
