"""Test factories for job fairs: positions, registrations, intentions."""

import datetime
from typing import Any

from yiti.activities.fairs.models import Intention, Position, Registration
from yiti.activities.testing import make_event
from yiti.core.testing import serial
from yiti.orgs.testing import make_enterprise


def make_fair(**kw: Any):
    kw.setdefault("event_type", "job_fair")
    kw.setdefault("title", f"晋中市人才招聘会{serial()}")
    return make_event(**kw)


def make_position(**kw: Any) -> Position:
    defaults = {"title": f"机械设计工程师{serial()}", "headcount": 2, "salary_min": 5000, "salary_max": 8000,
                "requirements": "机械设计制造及其自动化专业，本科及以上"}
    defaults.update(kw)
    if "fair" not in defaults:
        defaults["fair"] = make_fair()
    if "enterprise" not in defaults:
        defaults["enterprise"] = make_enterprise()
    return Position.objects.create(**defaults)


def make_registration(fair, talent, **kw: Any) -> Registration:
    return Registration.objects.create(fair=fair, talent=talent, **kw)


def make_intention(position, talent, **kw: Any) -> Intention:
    kw.setdefault("intent_date", position.fair.start_date)
    return Intention.objects.create(position=position, talent=talent, **kw)


def world_record(place: Any) -> Position:
    """This registry's record in one county of the access tests' world (yiti/tests/world.py): a position of the
    county's enterprise at the county's job fair (the activities app's world record), with a registration and an
    intention of the county's talent, so that the fair's pages have something to leak."""
    fair = place.records["activities.event"]
    position = make_position(fair=fair, enterprise=place.enterprise, title=f"{place.marker}铸造工艺工程师",
                             requirements=f"{place.marker}岗位要求")
    talent = place.records["talents.talent"]
    make_registration(fair, talent)
    make_intention(position, talent, intent_date=datetime.date(2025, 6, 1), note=f"{place.marker}意向")
    return position
