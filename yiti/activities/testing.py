"""Test factories for activities: one valid record with sensible defaults, any field overridable."""

import datetime
from typing import Any

from django.utils import timezone

from yiti.activities.models import Event
from yiti.core.testing import county, serial


def make_event(participants=(), **kw: Any) -> Event:
    defaults = {"title": f"晋中市双招双引活动{serial()}", "event_type": "recruitment_drive",
                "start_date": timezone.localdate() - datetime.timedelta(days=10), "division": county(),
                "place": "晋中市会展中心"}
    defaults.update(kw)
    event = Event.objects.create(**defaults)
    if participants:
        event.participants.set(participants)
    return event


def world_record(place: Any) -> Event:
    """This registry's record in one county of the access tests' world (yiti/tests/world.py)."""
    return make_event(participants=[place.enterprise, place.university], division=place.division,
                      title=f"{place.marker}人才招聘会", event_type="job_fair", place=f"{place.marker}会展中心",
                      start_date=datetime.date(2025, 6, 1), end_date=datetime.date(2025, 6, 2), status="held")
