"""Read-only REST API over every registry (django-ninja, OpenAPI at /api/docs).

The API is another window on the same data: it lists and fetches through the registries'
querysets, so the access scope, the keyword filter and the masking of personal data are the
ones of the pages. Authentication is the platform session (log in first).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.params.functions import Path, Query
from ninja.security import django_auth

from yiti.core.access import user_may
from yiti.core.export import cell_text, export_fields
from yiti.core.registry import Registry, registries
from yiti.core.search import keyword_q
from yiti.core.views import get_in_scope

MAX_PER_PAGE = 100
# 100,000 pages of 100 is ten million records, more than any registry holds; the bound keeps the
# offset far from the database's integer range. A page past the end is an empty page, not an error.
MAX_PAGE = 100_000
MAX_PK = 2**63 - 1  # the largest id a BigAutoField holds; a larger one cannot exist
MAX_QUERY = 200

# The parameters' names in the users' words, for the error messages.
PARAM_LABELS = {"page": "页码 page", "per_page": "每页条数 per_page", "q": "关键词 q", "pk": "记录编号 pk"}


class Page(Schema):
    count: int
    page: int
    per_page: int
    results: list[dict[str, Any]]


class ParamError(Schema):
    param: str
    message: str


class Error(Schema):
    detail: str
    errors: list[ParamError] = []


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error}


def param_message(error: dict[str, Any]) -> ParamError:
    """One refused parameter in Chinese, naming it and the reason (pydantic's messages are English)."""
    name = str(error.get("loc", ["", "?"])[-1])
    label = PARAM_LABELS.get(name, name)
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "missing":
        reason = "必须填写"
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        reason = "须为整数"
    elif kind == "greater_than_equal":
        reason = f"不能小于 {ctx.get('ge')}"
    elif kind == "less_than_equal":
        reason = f"不能大于 {ctx.get('le')}"
    elif kind == "string_too_long":
        reason = f"不能超过 {ctx.get('max_length')} 个字符"
    elif kind == "string_pattern_mismatch":
        reason = "含有不允许的字符（如控制字符）"
    else:
        reason = "的值无效"
    return ParamError(param=name, message=f"{label} {reason}。")


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

    @router.get("/", response={200: Page, **ERRORS}, url_name=f"{name}_list", operation_id=f"{name}_list",
                summary=f"{registry.model._meta.verbose_name_plural}列表")
    def list_records(
        request: HttpRequest,
        q: str = Query("", max_length=MAX_QUERY, pattern=r"^[^\x00-\x1f\x7f]*$", description="关键词，空格分隔多个"),
        page: int = Query(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始"),
        per_page: int = Query(25, ge=1, le=MAX_PER_PAGE, description="每页条数"),
    ) -> dict[str, Any]:
        check(request)
        qs = registry.queryset(request.user)
        for term in q.split()[:5]:
            condition = keyword_q(qs.model, term, getattr(registry.filterset, "search_related", ()))
            if condition is not None:
                qs = qs.filter(condition)
        start = (page - 1) * per_page
        rows = qs.prefetch_related(*[f.name for f in fields if f.many_to_many])[start : start + per_page]
        return {"count": qs.count(), "page": page, "per_page": per_page,
                "results": [record_dict(o, fields) for o in rows]}

    @router.get("/{pk}", response={200: dict[str, Any], **ERRORS}, url_name=f"{name}_detail",
                operation_id=f"{name}_detail", summary=f"{registry.model._meta.verbose_name}详情")
    def get_record(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_PK, description="记录编号")) -> dict[str, Any]:
        check(request)
        obj = get_in_scope(request, registry.queryset(request.user), pk)
        return record_dict(obj, fields)

    return router


class LocalSwagger(DocsBase):
    """Swagger UI from our own static files (swagger-ui-dist, copied by `make assets`), started by
    a local script: ninja's page would load it from a CDN or start it with an inline script, and
    the intranet has no internet and the CSP allows neither."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(request, "core/api_docs.html", {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)})


class ApiIndex(Schema):
    title: str
    docs: str
    schema_url: str
    endpoints: list[dict[str, str]]


def build_api() -> NinjaAPI:
    api = NinjaAPI(title="教育科技人才一体化服务平台 API", version="1", description="教育科技人才一体化服务平台的只读接口。先登录平台，再以同一会话调用。",
                   auth=django_auth, urls_namespace="api", docs=LocalSwagger())
    for registry in registries().values():
        api.add_router(f"/{registry.app_label}/", registry_router(registry))

    @api.get("/", auth=None, response=ApiIndex, operation_id="api_index", summary="接口目录", url_name="index",
             tags=["接口目录"])
    def index(request: HttpRequest) -> dict[str, Any]:
        return {
            "title": "教育科技人才一体化服务平台 API",
            "docs": reverse("api:openapi-view"),
            "schema_url": reverse("api:openapi-json"),
            "endpoints": [
                {"name": str(r.model._meta.verbose_name_plural),
                 "list": reverse(f"api:{r.app_label}_{r.model_name}_list"),
                 "detail": reverse(f"api:{r.app_label}_{r.model_name}_list") + "{pk}"}
                for r in registries().values()
            ],
        }

    # Every refusal in Chinese, in the documented Error shape.
    @api.exception_handler(ValidationError)
    def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [param_message(e) for e in exc.errors]
        detail = "".join(e.message for e in errors) or "请求参数无效。"
        return api.create_response(request, {"detail": detail, "errors": [e.dict() for e in errors]}, status=400)

    @api.exception_handler(AuthenticationError)
    def not_logged_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": "请先登录平台，再以同一会话调用接口。"}, status=401)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "未找到该记录，或它不在您的数据范围内。"}, status=404)

    return api


api = build_api()


def api_urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns. They answer 401 themselves (django_auth) instead of redirecting
    anonymous callers to the login page, which a script could not follow."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace
