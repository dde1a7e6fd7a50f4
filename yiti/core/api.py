"""Read-only REST API over every registry (django-ninja, OpenAPI at /api/docs).

The API is another window on the same data: it lists and fetches through the registries'
querysets, so the access scope, the keyword filter and the masking of personal data are the
ones of the pages. Authentication is the platform session (log in first).
"""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from yiti.core.access import user_may
from yiti.core.export import cell_text, export_fields
from yiti.core.registry import Registry, registries
from yiti.core.search import keyword_q
from yiti.core.views import get_in_scope

MAX_PER_PAGE = 100


class Page(Schema):
    count: int
    page: int
    per_page: int
    results: list[dict[str, Any]]


def record_dict(obj: Any, fields: list) -> dict[str, Any]:
    """A record as the API returns it. Personal data is always masked here: the plain value is
    for one person at a time, through the logged reveal on the page, never for bulk reading."""
    return {"id": obj.pk, **{field.name: cell_text(obj, field, reveal=False) for field in fields}}


def registry_router(registry: Registry) -> Router:
    router = Router(tags=[str(registry.model._meta.verbose_name_plural)])
    name = f"{registry.app_label}_{registry.model_name}"
    fields = export_fields(registry.model, list(registry.detail_fields))

    def check(request: HttpRequest) -> None:
        if not user_may(request.user, registry.model, "view"):
            raise HttpError(403, "无权查看此类记录。")

    @router.get("/", response=Page, url_name=f"{name}_list")
    def list_records(request: HttpRequest, q: str = "", page: int = 1, per_page: int = 25) -> dict[str, Any]:
        check(request)
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise HttpError(400, f"page 须 ≥ 1，per_page 须在 1–{MAX_PER_PAGE} 之间。")
        qs = registry.queryset(request.user)
        for term in q.split()[:5]:
            condition = keyword_q(qs.model, term, getattr(registry.filterset, "search_related", ()))
            if condition is not None:
                qs = qs.filter(condition)
        start = (page - 1) * per_page
        rows = qs.prefetch_related(*[f.name for f in fields if f.many_to_many])[start : start + per_page]
        return {"count": qs.count(), "page": page, "per_page": per_page,
                "results": [record_dict(o, fields) for o in rows]}

    @router.get("/{int:pk}", response=dict[str, Any], url_name=f"{name}_detail")
    def get_record(request: HttpRequest, pk: int) -> dict[str, Any]:
        check(request)
        obj = get_in_scope(request, registry.queryset(request.user), pk)
        return record_dict(obj, fields)

    return router


def build_api() -> NinjaAPI:
    api = NinjaAPI(title="yiti API", version="1", auth=django_auth, urls_namespace="api")
    for registry in registries().values():
        api.add_router(f"/{registry.app_label}/", registry_router(registry))
    return api


api = build_api()


def api_urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns. They answer 401 themselves (django_auth) instead of redirecting
    anonymous callers to the login page, which a script could not follow."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace
