"""The indicator ledger's pages (指标台账): the ledger, the drill-down into the records behind a figure and its
export, annual targets (grid and Excel import), monthly snapshots and what changed since one."""

from itertools import groupby
from typing import Any

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from yiti.core import export
from yiti.core.access import scoped_pks
from yiti.core.models import Division
from yiti.core.registry import registries_by_model
from yiti.core.views import PER_PAGE_CHOICES, allowed_pks, page_number, page_size
from yiti.dashboard import indicators as ledger
from yiti.dashboard import snapshots, targets
from yiti.dashboard.models import Snapshot


def _need_reader(request) -> None:
    if not ledger.may_view(request.user):
        raise PermissionDenied(_("The indicator ledger is for office staff and leaders."))


def _year(request) -> int:
    offered = ledger.years(timezone.localdate())
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return offered[0]
    return year if 2000 <= year <= 2100 else offered[0]


@require_safe
def ledger_page(request):
    _need_reader(request)
    year = _year(request)
    cols = ledger.columns(request.user)
    rows = ledger.table(request.user, year, cols)
    the_city = ledger.city()
    groups = [(group, list(items)) for group, items in groupby(rows, key=lambda r: r.indicator.group)]
    return render(request, "dashboard/ledger.html", {
        "year": year, "years": ledger.years(timezone.localdate()), "columns": cols, "groups": groups,
        "city": the_city, "may_edit_targets": targets.may_edit(request.user),
    })


def _drill_params(request, ind: ledger.Indicator) -> tuple[int | None, Division | None, dict[str, str]]:
    """The figure a drill-down shows: year, county (one of the user's ledger columns) and dimension values."""
    year = _year(request) if ind.has_year else None
    county = None
    if request.GET.get("county"):
        allowed = {c.pk: c for c in ledger.columns(request.user) if c is not None}
        try:
            county = allowed[int(request.GET["county"])]
        except (KeyError, ValueError):
            raise Http404(_("No such county in your ledger.")) from None
    elif None not in ledger.columns(request.user):
        county = ledger.columns(request.user)[0]  # a county officer's figures are their county's
    dims = {name: request.GET[name] for name in ind.dimensions if request.GET.get(name)}
    return year, county, dims


def _indicator(code: str) -> ledger.Indicator:
    ind = ledger.INDICATORS.get(code)
    if ind is None:
        raise Http404(_("No such indicator."))
    return ind


@require_safe
def drill_down(request, code: str):
    """The records a figure counts, in their registry's own table (a ratio shows its two parts' links)."""
    _need_reader(request)
    ind = _indicator(code)
    year, county, dims = _drill_params(request, ind)
    params: dict[str, Any] = {k: v for k, v in {"year": year, "county": county.pk if county else None, **dims}.items() if v}
    context: dict[str, Any] = {"ind": ind, "year": year, "county": county, "dims": dims,
                               "query": urlencode(params), "value": ledger.value(ind, request.user, year, county, **dims)}
    if ind.is_ratio:
        context["parts"] = [(ledger.get(c), ledger.value(ledger.get(c), request.user, year, county))
                            for c in ind.ratio_of or ()]
        return render(request, "dashboard/drill_down.html", context)
    registry = registries_by_model().get(ind.model.lower())
    qs = ledger.records(ind, request.user, year, county, **dims)
    if registry is None:  # a ledger of its own (the benefit ledger): its declared columns
        table = _plain_table(ind, qs.order_by("-pk"))
    else:
        qs = qs.select_related(*registry.select_related).prefetch_related(*registry.prefetch_related)
        table = registry.table(qs.order_by("-pk"))
    RequestConfig(request, paginate=False).configure(table)
    per_page = page_size(request, registry.per_page if registry else 25)
    try:
        table.paginate(paginator_class=Paginator, page=page_number(request), per_page=per_page)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    if registry is not None:
        pks = [row.record.pk for row in table.page.object_list]
        table.may_change = allowed_pks(registry.model, request.user, "change", pks)
        table.may_delete = allowed_pks(registry.model, request.user, "delete", pks)
        table.in_scope = scoped_pks(registry.model, request.user, pks) if registry.pool else None
    context.update({"table": table, "count": table.paginator.count, "registry": registry, "per_page": per_page,
                    "per_page_choices": PER_PAGE_CHOICES,
                    "dimension_labels": {name: ind.dimensions[name].label for name in dims}})
    return render(request, "dashboard/drill_down.html", context)


@require_safe
def drill_down_export(request, code: str):
    """The drill-down's records as Excel or CSV, masked, with the registry export's columns and audit entry."""
    _need_reader(request)
    ind = _indicator(code)
    if ind.is_ratio:
        raise Http404(_("A ratio has no records of its own: export its parts."))
    fmt = request.GET.get("format", "xlsx")
    if fmt not in export.FORMATS:
        return HttpResponseBadRequest(_("Unknown export format %(format)s: choose csv or xlsx.") % {"format": fmt})
    year, county, dims = _drill_params(request, ind)
    registry = registries_by_model().get(ind.model.lower())
    qs = ledger.records(ind, request.user, year, county, **dims).order_by("-pk")
    return export.export(request, qs, list(registry.detail_fields if registry else ind.drill_fields), fmt)


def _plain_table(ind: ledger.Indicator, qs: Any) -> tables.Table:
    """The drill-down of an indicator whose model is not a registry: its `drill_fields`, the first linking to
    the record's own page."""
    model = qs.model
    first, *_rest = ind.drill_fields
    related = [n for n in ind.drill_fields if model._meta.get_field(n).many_to_one]
    meta = type("Meta", (), {"model": model, "fields": ind.drill_fields, "empty_text": _("No records match."),
                             "attrs": {"class": "table table-vcenter table-hover card-table table-sm"}})
    table_class = type("DrillDownTable", (tables.Table,), {
        "Meta": meta, first: tables.Column(linkify=lambda record: record.get_absolute_url())})
    return table_class(qs.select_related(*related))


@require_safe
def by_dimension(request, code: str, name: str):
    """An indicator broken down by university or industry, each figure linking to its drill-down."""
    _need_reader(request)
    ind = _indicator(code)
    if name not in ind.dimensions:
        raise Http404(_("No such breakdown."))
    year, county, _dims = _drill_params(request, ind)
    rows = [(key, label, v) for key, label, v in ledger.by_dimension(ind, name, request.user, year, county) if v]
    base: dict[str, Any] = {k: v for k, v in {"year": year, "county": county.pk if county else None}.items() if v}
    return render(request, "dashboard/by_dimension.html", {
        "ind": ind, "dimension": ind.dimensions[name], "name": name, "year": year, "county": county,
        "rows": [(label, v, urlencode({**base, name: key})) for key, label, v in rows],
    })


# --- targets --------------------------------------------------------------------------------------------

def _need_target_editor(request) -> None:
    if not targets.may_edit(request.user):
        raise PermissionDenied(_("Annual targets are set by the city office."))


def targets_page(request):
    """The year's targets as a grid (indicator × city and counties), saved all together or not at all."""
    _need_target_editor(request)
    year = _year(request) if request.method == "GET" else _post_year(request)
    places = targets.places()
    errors: dict[str, str] = {}
    data: Any = None
    if request.method == "POST":
        values, errors = targets.grid_values(request.POST, year)
        if not errors:
            targets.save(request.user, year, values)
            messages.success(request, _("The targets of %(year)d were saved.") % {"year": year})
            return redirect(f"{reverse('dashboard:targets')}?year={year}")
        data = request.POST
    current = ledger.targets(year)
    rows = []
    for ind in ledger.INDICATORS.values():
        cells = []
        for place in places:
            name = f"t-{ind.code}-{place.pk}"
            shown = data.get(name, "") if data is not None else targets.plain(current.get((ind.code, place.pk)))
            cells.append({"name": name, "value": shown, "error": errors.get(name), "place": place})
        rows.append((ind, cells))
    return render(request, "dashboard/targets.html", {
        "year": year, "years": ledger.years(timezone.localdate()), "places": places, "rows": rows,
        "errors": errors, "headers": targets.HEADERS,
    }, status=400 if errors else 200)


def _post_year(request) -> int:
    try:
        return targets.check_year(request.POST.get("year", ""))
    except ValidationError:
        raise Http404(_("No such year.")) from None


@require_safe
def targets_template(request):
    _need_target_editor(request)
    year = _year(request)
    response = HttpResponse(targets.template_workbook(year),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = _("Annual targets import template %(year)d") % {"year": year}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{export._quote(name)}.xlsx"
    return response


@require_POST
def targets_import(request):
    _need_target_editor(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an Excel workbook to import."))
        return redirect("dashboard:targets")
    try:
        count = targets.import_workbook(request.user, upload)
    except ValidationError as exc:
        return render(request, "dashboard/targets_refused.html", {"errors": exc.messages}, status=400)
    messages.success(request, _("%(count)d targets were imported.") % {"count": count})
    return redirect("dashboard:targets")


# --- snapshots ------------------------------------------------------------------------------------------

@require_safe
def snapshot_list(request):
    _need_reader(request)
    return render(request, "dashboard/snapshots.html", {
        "snapshots": Snapshot.objects.select_related("taken_by"), "may_take": targets.may_edit(request.user),
        "due": snapshots.previous_period(timezone.localdate()),
    })


@require_POST
def snapshot_take(request):
    _need_target_editor(request)
    try:
        period = snapshots.check_period(request.POST.get("period", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("dashboard:snapshots")
    existed = Snapshot.objects.filter(period=period).exists()
    snap = snapshots.take(period, request.user)
    if existed:
        messages.info(request, _("The snapshot of %(period)s was taken before; it is never taken again.")
                      % {"period": period})
    return redirect("dashboard:snapshot_changes", pk=snap.pk)


@require_safe
def snapshot_changes(request, pk: int):
    """What changed since the snapshot: its frozen figures beside today's, where they differ (the whole city)."""
    _need_reader(request)
    snap = get_object_or_404(Snapshot, pk=pk)
    names = {c.pk: c.name for c in ledger.counties()}
    the_city = _("Whole city")
    shown = {c.pk if c is not None else None for c in ledger.columns(request.user)}
    changes = []
    for (code, year, county), then, now in snapshots.recompute(snap):
        if county not in shown:
            continue  # a county officer sees their county's figures only
        ind = ledger.INDICATORS.get(code)
        changes.append({"ind": ind, "code": code, "year": year, "place": names.get(county, the_city) if county else the_city,
                        "then": then, "now": now, "delta": now - then})
    return render(request, "dashboard/snapshot_changes.html", {"snapshot": snap, "changes": changes})
