"""数据大屏 (issue 15 §4): `/screen/`, a dark page designed for 1920×1080 that static/yiti/screen.js scales to
fit any screen without cropping and refreshes every 5 minutes from `/screen/data/`.

Who may open it: the leader audience of the home page (leaders, superusers, city-wide office staff): it shows
the whole city's figures and its county comparisons, which a county officer may not see.

The data endpoint is cached for a minute per user and year (`CACHE_SECONDS`): a wall screen asks every
5 minutes, several screens and the leaders' browsers share the computation.

The map: none by default. When the operator sets `YITI_SCREEN_BOUNDARY_FILE` (the path of an official county
boundary GeoJSON on this server) and `YITI_SCREEN_BOUNDARY_APPROVAL` (its 审图号), a county choropleth of the
first counter's indicator appears, the file served by `/screen/map/` (never fetched from elsewhere) and the
审图号 printed under the map. A feature is matched to a county by its `adcode` property (the division code) when
the features have one (screen.js then names each feature after its county), else by `name`.
"""

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.core.views import denied
from yiti.dashboard import charts
from yiti.dashboard import indicators as ledger
from yiti.dashboard.home import audiences

CACHE_SECONDS = 60
# The headline figures of the reform, as the documents quote them: big numbers across the top, then county bars.
COUNTERS = ("talents_introduced", "needs_collected", "needs_matched", "agreements_signed", "agreements_landed",
            "funds_committed", "funds_arrived", "commissioner_coverage")
COMPARISONS = ("needs_collected", "agreements_signed", "funds_arrived", "talents_introduced")


def _viewer(request: Any) -> None:
    if "leader" not in audiences(request.user):
        denied(request, "screen")
        raise PermissionDenied(_("The data screen is for leaders and city-wide office staff."))


def boundary() -> dict[str, str] | None:
    """The configured county boundary file and its 审图号, or None when no map is configured (or the file is
    missing: the screen then shows no map rather than a broken one)."""
    path = getattr(settings, "YITI_SCREEN_BOUNDARY_FILE", "")
    approval = getattr(settings, "YITI_SCREEN_BOUNDARY_APPROVAL", "")
    if not path or not approval or not Path(path).is_file():
        return None
    return {"path": str(path), "approval": str(approval)}


@lru_cache(maxsize=4)
def _name_property(path: str, mtime: float) -> str:
    with open(path, encoding="utf-8") as f:
        features = json.load(f).get("features") or [{}]
    props = features[0].get("properties") or {}
    return "adcode" if "adcode" in props else "name"


def figures(user: Any, year: int) -> dict[str, Any]:
    """Everything the screen shows, as JSON."""
    counties = ledger.counties()
    ready = charts.ready_for(user, None, year)  # the figures kept ready by the worker: updated when it computed them
    counters = [{"code": i.code, "name": str(i.name), "unit": str(i.unit),
                 "value": charts.number(charts.figure(i, user, year))} for i in map(ledger.get, COUNTERS)]
    comparisons = [charts.county_chart(user, i, year).as_json() for i in map(ledger.get, COMPARISONS)]
    data: dict[str, Any] = {
        "year": year,
        "updated": timezone.localtime(ready.computed_at if ready is not None else None).strftime("%Y-%m-%d %H:%M"),
        "counters": counters,
        "comparisons": comparisons,
        "agreements": charts.agreements_chart(user, year).as_json(),
        "matching": charts.matching_chart(user).as_json(),
        "map": None,
    }
    found = boundary()
    if found is not None:
        ind = ledger.get(COMPARISONS[0])  # the map colours the counties by the first comparison
        key = _name_property(found["path"], Path(found["path"]).stat().st_mtime)
        values = comparisons[0]["series"][0]["data"] if comparisons else []
        data["map"] = {
            "url": reverse("dashui:screen_map"), "approval": found["approval"], "name_property": key,
            "title": _("%(indicator)s by county") % {"indicator": ind.name}, "unit": str(ind.unit),
            "data": [{"name": c.name, "code": c.code, "value": v} for c, v in zip(counties, values, strict=False)],
        }
    return data


def screen(request):
    _viewer(request)
    return render(request, "dashboard/screen.html", {"year": charts.year_param(request),
                                                      "data_url": reverse("dashui:screen_data")})


def screen_data(request):
    _viewer(request)
    year = charts.year_param(request)
    key = f"yiti:screen:{request.user.pk}:{year}:{translation_key()}"
    data = cache.get(key)
    if data is None:
        data = figures(request.user, year)
        cache.set(key, data, CACHE_SECONDS)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False}, encoder=_Encoder)


def translation_key() -> str:
    from django.utils.translation import get_language

    return get_language() or ""


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return charts.number(o)
        return super().default(o)


def screen_map(request):
    """The configured county boundary GeoJSON, from this server."""
    _viewer(request)
    found = boundary()
    if found is None:
        raise Http404
    return FileResponse(open(found["path"], "rb"), content_type="application/geo+json")
