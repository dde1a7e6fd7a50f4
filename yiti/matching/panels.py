"""The recommendation panels on record pages (推荐专家, 推荐成果, 推荐单位, 推荐企业, 匹配需求, 可对接需求).

A record's detail page gets one section (`section`, registered with `extensions.add_detail_section`) holding an
htmx placeholder per panel, so the page itself renders without asking the index. Each placeholder loads the
panel view (`panel`, mounted under the registry as `/<app>/<pk>/recommendations/?kind=…` through
`extensions.add_urls`, in the registry's namespace: the record is looked up with `restrict()`, so a record the
user may not see is a 404, and the leak test aims at it like at every registry URL). Without JavaScript the
placeholder's link opens the same view as a page. The panel's filter form and its "more" button ask the same
view again; 采纳 / 不合适 post to `feedback`, which answers with the panel again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yiti.core.access import user_may
from yiti.core.models import Division
from yiti.core.views import denied, get_in_scope
from yiti.experts.models import ExpertRole
from yiti.matching import recommend as rec
from yiti.matching.choices import RejectReason, Verdict
from yiti.matching.documents import KIND_OF_MODEL
from yiti.matching.feedback import county_of, give_feedback, open_lists
from yiti.orgs.choices import OrgType
from yiti.talents.choices import TITLE_LEVEL_CHOICES

DEFAULT_TOP = 10
MORE_STEP = 10

TITLES = {
    ("need", "experts"): gettext_lazy("Recommended experts"),
    ("need", "results"): gettext_lazy("Recommended results"),
    ("need", "orgs"): gettext_lazy("Recommended organisations (universities / institutes / platforms)"),
    ("result", "enterprises"): gettext_lazy("Recommended enterprises"),
    ("result", "needs"): gettext_lazy("Matching needs"),
    ("talent", "needs"): gettext_lazy("Needs to connect with"),
    ("org", "needs"): gettext_lazy("Matching needs"),
}
# Which filters each kind of panel offers.
PANEL_FILTERS = {
    "experts": ("county", "title_level", "org_type", "capacity"),
    "results": ("county", "org_type", "trl_min"),
    "orgs": ("county", "org_type"),
    "enterprises": ("county",),
    "needs": ("county",),
}


def source_record(obj: Model) -> Model | None:
    """The record recommendations are made for: the record itself, or an expert role's talent."""
    if isinstance(obj, ExpertRole):
        return obj.talent
    return obj if type(obj) in KIND_OF_MODEL else None


def section(request: HttpRequest, registry: Any, obj: Model) -> dict | None:
    """The detail page's recommendation section: one htmx placeholder per panel the record offers."""
    source = source_record(obj)
    kinds = rec.kinds_for(source) if source is not None else ()
    if not kinds:
        return None
    base = reverse(registry.url_name("recommendations"), args=[obj.pk])
    source_kind = KIND_OF_MODEL[type(source)]  # type: ignore[index]
    return {
        "title": _("Recommendations"),
        "template": "matching/recommend/section.html",
        "panels": [{"kind": kind, "title": TITLES[source_kind, kind], "url": f"{base}?kind={kind}"} for kind in kinds],
    }


class PanelFilterForm(forms.Form):
    county = forms.ModelChoiceField(Division.objects.none(), required=False, label=gettext_lazy("County / district"),
                                    empty_label=gettext_lazy("All"))
    title_level = forms.ChoiceField(choices=[("", gettext_lazy("All")), *TITLE_LEVEL_CHOICES], required=False,
                                    label=gettext_lazy("Title level"))
    org_type = forms.ChoiceField(required=False, label=gettext_lazy("Organisation type"))
    capacity = forms.BooleanField(required=False, label=gettext_lazy("Only experts with capacity left"))
    trl_min = forms.TypedChoiceField(choices=[("", gettext_lazy("All")), *[(n, f"≥ {n}") for n in range(1, 10)]],
                                     coerce=int, empty_value=None, required=False, label=gettext_lazy("TRL at least"))

    def __init__(self, data: Any, *, kind: str, source: Model, **kw: Any) -> None:
        super().__init__(data, **kw)
        county = county_of(source)
        city = county.parent if county is not None and county.level == "county" else county
        counties = Division.objects.filter(parent_id=city.pk) if city is not None else Division.objects.filter(
            level="county")
        self.fields["county"].queryset = counties.order_by("code")  # type: ignore[attr-defined]
        types = [OrgType.UNIVERSITY, OrgType.INSTITUTE] if kind != "experts" else list(OrgType)
        if kind == "orgs":
            types.append(OrgType.ENTERPRISE)  # an enterprise hosting a platform
        org_types = self.fields["org_type"]
        assert isinstance(org_types, forms.ChoiceField)
        org_types.choices = [("", _("All")), *[(t.value, t.label) for t in types]]
        for name in list(self.fields):
            if name not in PANEL_FILTERS[kind]:
                del self.fields[name]
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-select form-select-sm"
            field.widget.attrs["class"] = css

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for name in self.fields:
            value = data.get(name)
            if value not in (None, "", False):
                out[name] = value.pk if isinstance(value, Division) else value
        return out


def _top(query: QueryDict) -> int:
    try:
        top = int(query.get("top") or DEFAULT_TOP)
    except ValueError:
        top = DEFAULT_TOP
    return min(max(top, 1), rec.MAX_TOP)


def _render_panel(request: HttpRequest, registry: Any, obj: Model, kind: str, status: int = 200,
                  error: str = "", query: QueryDict | None = None, with_lines: bool = True) -> HttpResponse:
    """The panel of `kind` for `obj`, filtered by `query` (default: the request's), with `error` above it."""
    source = source_record(obj)
    assert source is not None
    query = request.GET if query is None else query
    source_kind = KIND_OF_MODEL[type(source)]
    top = _top(query)
    form = PanelFilterForm(query or None, kind=kind, source=source, auto_id=f"rec-{kind}-%s")
    panel_url = reverse(registry.url_name("recommendations"), args=[obj.pk])
    may_judge = _may_give_feedback(request, source)
    context: dict[str, Any] = {
        "object": obj, "source": source, "kind": kind, "title": TITLES[source_kind, kind], "form": form,
        "panel_url": panel_url, "panel_id": f"rec-{kind}", "top": top, "error": error,
        "feedback_url": reverse(registry.url_name("recommendation_feedback"), args=[obj.pk]),
        "may_give_feedback": may_judge, "reject_reasons": RejectReason.choices,
        "list_url": reverse(registry.url_name("list")),
        "verbose_name_plural": registry.model._meta.verbose_name_plural,
    }
    if not with_lines:
        pass
    elif form.is_bound and not form.is_valid():
        context["error"] = " ".join(f"{form.fields[name].label}：{e}" if name in form.fields else str(e)
                                    for name, errors in form.errors.items() for e in errors)
        status = 400
    else:
        try:
            found = rec.recommend(request.user, source, kind, top=top, filters=form.values() if form.is_bound else {})
        except rec.IndexNotReady:
            rec.queue_index_build()
            context["building"] = True
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            status = 200 if exc.code in ("too_short", "no_consent") else 400
        else:
            context["lines"] = [_line(r) for r in found]
            more = query.copy()
            more["kind"], more["top"] = kind, str(top + MORE_STEP)
            context["more_query"] = more.urlencode()
            context["has_more"] = len(found) >= top and top + MORE_STEP <= rec.MAX_TOP
            context["lists"] = list(open_lists(request.user, source)) if may_judge else []
    htmx = request.headers.get("HX-Request") == "true"
    template = "matching/recommend/panel.html" if htmx else "matching/recommend/panel_page.html"
    return render(request, template, context, status=status)


def _line(r: rec.Recommendation) -> dict[str, Any]:
    record = r.record
    kind = r.key.partition(":")[0]
    organisation = None
    if kind == "talent":
        organisation = record.organisation  # type: ignore[attr-defined]
    elif kind == "result":
        organisation = record.owner  # type: ignore[attr-defined]
    elif kind == "need":
        organisation = record.enterprise  # type: ignore[attr-defined]
    return {"key": r.key, "name": str(record), "url": record.get_absolute_url(),  # type: ignore[attr-defined]
            "organisation": organisation, "score": r.score, "percent": round(r.score * 100),
            "reasons": r.reasons, "adopted": r.adopted}


def _may_give_feedback(request: HttpRequest, source: Model) -> bool:
    """Staff (and the record's own organisation) who may change the record judge its recommendations."""
    user = request.user
    if not user_may(user, type(source), "change"):
        return False
    return type(source).objects.restrict(user, "change").filter(pk=source.pk).exists()  # type: ignore[attr-defined]


def _record(request: HttpRequest, registry: Any, pk: int) -> Model:
    return get_in_scope(request, registry.model.objects.restrict(request.user, "view"), pk)


def _kind(request: HttpRequest, obj: Model, value: str | None) -> str | None:
    source = source_record(obj)
    kinds = rec.kinds_for(source) if source is not None else ()
    if not kinds:
        return None
    return value if value in kinds else None if value else kinds[0]


@require_GET  # a panel only reads; its answers (采纳, 不合适) are POSTs of their own
def panel(request: HttpRequest, pk: int, registry: Any) -> HttpResponse:
    obj = _record(request, registry, pk)
    kind = _kind(request, obj, request.GET.get("kind"))
    if kind is None:
        source = source_record(obj)
        if source is None or not rec.kinds_for(source):
            raise Http404
        return _render_panel(request, registry, obj, rec.kinds_for(source)[0], status=400,
                             error=_("Unknown kind of recommendation."), with_lines=False)
    return _render_panel(request, registry, obj, kind)


@require_POST
def feedback(request: HttpRequest, pk: int, registry: Any) -> HttpResponse:
    obj = _record(request, registry, pk)
    source = source_record(obj)
    kind = _kind(request, obj, request.POST.get("kind"))
    if source is None or kind is None:
        raise Http404
    if not _may_give_feedback(request, source):
        denied(request, "recommendation feedback")
        raise PermissionDenied
    error = ""
    candidate = request.POST.get("candidate", "")
    matching_list = request.POST.get("matching_list") or None
    score, reasons = 0.0, []
    if matching_list and request.POST.get("verdict") == Verdict.ACCEPTED:
        # What goes on the list is the recommendation as the service makes it now, not what the form sent.
        try:
            found = rec.recommend(request.user, source, kind, top=rec.MAX_TOP)
        except (ValidationError, rec.IndexNotReady):
            found = []
        for r in found:
            if r.key == candidate:
                score, reasons = r.score, r.reasons
    try:
        give_feedback(source, user=request.user, candidate=candidate, verdict=request.POST.get("verdict", ""),
                      reason=request.POST.get("reason", ""), text=request.POST.get("text", ""),
                      matching_list=matching_list, score=score, reasons=reasons)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.headers.get("HX-Request") != "true":
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Your verdict is recorded."))
        return redirect(f"{reverse(registry.url_name('recommendations'), args=[obj.pk])}?kind={kind}")
    query = QueryDict(mutable=True)
    query["kind"] = kind
    return _render_panel(request, registry, obj, kind, status=400 if error else 200, error=error, query=query)


def panel_urls(registry: Any) -> list:
    """Mounted under each registry whose records get recommendations (needs, results, talents, experts, orgs)."""
    model = registry.model
    if KIND_OF_MODEL.get(model) not in rec.KINDS_FOR and model is not ExpertRole:
        return []
    name = registry.model_name
    return [
        path("<int:pk>/recommendations/", panel, {"registry": registry}, name=f"{name}_recommendations"),
        path("<int:pk>/recommendations/feedback/", feedback, {"registry": registry},
             name=f"{name}_recommendation_feedback"),
    ]
