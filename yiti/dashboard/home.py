"""The home page by role (issue 15 §3), served at "" (yiti/urls.py).

Who sees what (`audiences`):
- "leader": leaders, superusers and city-wide office staff (scope 全市, or a city department's county scope):
  the year's figures against the city's targets, progress by county, the agreement ladder, the matching funnel,
  trends over 12 months.
- "staff": every office staff member: their county's figures against its targets (a county officer), lists
  waiting for their review, overdue matching items. City staff get both "leader" and "staff".
- "org_contact": the published matching items addressed to their organisation (我的对接) and their
  agreements' progress.
Anyone else (the administrator roles) keeps the registry count cards of `yiti.core.views.home`.

Other apps add sections through `add_section(audience, maker)` from their `AppConfig.ready()` — supervision's
"my tasks" and "top overdue tasks". `maker(request)` returns None (nothing to show) or a dict with `title` and
`template` (rendered with the dict as `section`) and whatever that template reads.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.shortcuts import render

from yiti.agreements.choices import LADDER, Step
from yiti.agreements.models import Agreement
from yiti.core.models import Division
from yiti.core.views import registry_cards
from yiti.dashboard import charts
from yiti.dashboard import indicators as ledger
from yiti.dashboard.models import Target

AUDIENCES = ("leader", "staff", "org_contact")

_sections: list[tuple[str, Callable[[Any], dict | None]]] = []


def add_section(audience: str, maker: Callable[[Any], dict | None]) -> None:
    """Register a home-page section for "leader", "staff" or "org_contact" (see the module's text)."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}: one of {AUDIENCES}")
    if (audience, maker) not in _sections:  # ready() may run twice
        _sections.append((audience, maker))


def remove_section(audience: str, maker: Callable[[Any], dict | None]) -> None:
    """For tests that register a section of their own."""
    if (audience, maker) in _sections:
        _sections.remove((audience, maker))


def extra_sections(request: Any, seen: list[str]) -> list[dict]:
    found = (maker(request) for audience, maker in _sections if audience in seen)
    return [section for section in found if section is not None]


# ---- who sees what ----------------------------------------------------------------------------------------

def own_county(user: Any) -> Division | None:
    """The county an office staff member works for: their department's division, or the county above it."""
    department = getattr(user, "department", None)
    if department is None:
        return None
    city = ledger.city()
    division = department.division
    while division is not None and division.parent_id is not None and city is not None \
            and division.parent_id != city.pk and division.pk != city.pk:
        division = division.parent
    if division is None or city is None or division.pk == city.pk:
        return None
    return division


def is_citywide(user: Any) -> bool:
    """Leaders, superusers and office staff whose scope is the whole city (also a city department's county
    scope, as the matching lists read it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.role == "leader":
        return True
    if user.role != "staff":
        return False
    if user.scope == "city":
        return True
    city = ledger.city()
    return user.scope == "county" and user.department is not None and city is not None \
        and user.department.division_id == city.pk


def audiences(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    seen = []
    if is_citywide(user):
        seen.append("leader")
    if user.role == "staff":
        seen.append("staff")
    if user.role == "org_contact" and user.organisation_id:
        seen.append("org_contact")
    return seen


# ---- the sections -----------------------------------------------------------------------------------------

def figures(user: Any, year: int, county: Division | None) -> list[dict[str, Any]]:
    """Every indicator's figure for the year (whole city, or `county`) against its target (the city's target is
    the target set on the city's division)."""
    division = county or ledger.city()
    targets = dict(Target.objects.filter(year=year, division=division).values_list("indicator", "value")) \
        if division is not None else {}
    rows = []
    for ind in ledger.INDICATORS.values():
        value = charts.figure(ind, user, year, county)
        goal = targets.get(ind.code)
        progress = (value * 100 / goal).quantize(Decimal("1")) if goal else None
        rows.append({"indicator": ind, "value": value, "target": goal, "progress": progress,
                     "bar": min(int(progress), 100) if progress is not None else None,
                     "link": charts.drilldown(ind, year, county)})
    return rows


def agreement_rows(user: Any) -> list[dict[str, Any]]:
    """An organisation contact's agreements (their organisation is a party), newest first, each with the steps
    of the ladder it has reached."""
    qs = (Agreement.objects.restrict(user, "view").filter(parties=user.organisation_id)
          .select_related("division").order_by("-signed_date", "-pk")[:20])
    rows = []
    for agreement in qs:
        reached = LADDER.index(agreement.status) if agreement.status in LADDER else -1
        rows.append({"agreement": agreement, "terminated": agreement.status == Step.TERMINATED,
                     "steps": [{"label": Step(s).label, "done": i <= reached} for i, s in enumerate(LADDER)]})
    return rows


def leader_context(request: Any, year: int) -> dict[str, Any]:
    user = request.user
    ind = charts.indicator_param(request)
    return {
        "figures": figures(user, year, None),
        "county_chart": charts.county_chart(user, ind, year),
        "agreements_chart": charts.agreements_chart(user, year),
        "matching_chart": charts.matching_chart(user),
        "trend_chart": charts.trend_chart(user, ind, None),
    }


def staff_context(request: Any, year: int, citywide: bool) -> dict[str, Any]:
    from yiti.matching import lists
    from yiti.matching.choices import ListStatus
    from yiti.matching.models import MatchingList

    user = request.user
    context: dict[str, Any] = {}
    county = own_county(user)
    if not citywide and county is not None:
        context["county"] = county
        context["county_figures"] = figures(user, year, county)
        context["trend_chart"] = charts.trend_chart(user, charts.indicator_param(request), county)
    review = MatchingList.objects.visible(user).filter(status=ListStatus.REVIEW).order_by("-created_at")
    overdue = lists.overdue(user).select_related("enterprise", "addressee", "officer")
    context["review_lists"] = list(review[:10])
    context["review_count"] = review.count()
    context["overdue_items"] = list(overdue[:10])
    context["overdue_count"] = overdue.count()
    return context


def org_context(request: Any) -> dict[str, Any]:
    from yiti.matching.models import MatchingItem

    user = request.user
    items = MatchingItem.objects.addressed_to(user).select_related("enterprise", "addressee", "need")
    return {"my_items": list(items.order_by("-published_at", "pk")[:10]), "my_item_count": items.count(),
            "my_agreements": agreement_rows(user), "cards": registry_cards(user)}


def home(request):
    """The dashboard of the user's role; the registry count cards for anyone else."""
    seen = audiences(request.user)
    if not seen:
        from yiti.core.views import home as cards

        return cards(request)
    year = charts.year_param(request)
    context: dict[str, Any] = {"audiences": seen, "year": year, "indicators": list(ledger.INDICATORS.values()),
                               "chosen": charts.indicator_param(request),
                               "years": charts.years()}
    if "leader" in seen:
        context.update(leader_context(request, year))
    if "staff" in seen:
        context.update(staff_context(request, year, "leader" in seen))
    if "org_contact" in seen:
        context.update(org_context(request))
    if "leader" in seen or context.get("county") is not None:
        # the figures kept ready by the worker, when the page shows them: say when they were computed
        ready = charts.ready_for(request.user, None if "leader" in seen else context["county"], year)
        context["figures_at"] = ready.computed_at if ready is not None else None
    context["sections"] = extra_sections(request, seen)
    context["may_screen"] = "leader" in seen
    return render(request, "dashboard/home.html", context)


__all__ = ["add_section", "audiences", "home", "is_citywide", "own_county"]
