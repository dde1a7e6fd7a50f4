"""REST API over every registry (django-ninja, OpenAPI at /api/docs).

The API is another window on the same data: it lists and fetches through the registries'
querysets, so the access scope, the keyword filter and the masking of personal data are the
ones of the pages; the registries marked `api_writable` also take writes, through their edit forms
(yiti.core.api_writes). Authentication: the platform session (log in first), or an API key issued to
another system by the security administrator (`Authorization: Bearer <key>`; the security app checks it
and limits it to its registries and actions).
"""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.params.functions import Path, Query
from ninja.security import HttpBearer, django_auth

from yiti.core import extensions
from yiti.core.access import scoped_pks, user_may
from yiti.core.api_writes import add_write_routes
from yiti.core.export import cell_text, export_fields
from yiti.core.registry import Registry, registries
from yiti.core.search import keyword_filter
from yiti.core.views import get_in_scope

MAX_PER_PAGE = 100
# 100,000 pages of 100 is ten million records, more than any registry holds; the bound keeps the
# offset far from the database's integer range. A page past the end is an empty page, not an error.
MAX_PAGE = 100_000
MAX_PK = 2**63 - 1  # the largest id a BigAutoField holds; a larger one cannot exist
MAX_QUERY = 200

# The parameters' names in the users' words, for the error messages.
ACTION_WORDS = {"view": gettext_lazy("view"), "add": gettext_lazy("create"), "change": gettext_lazy("change")}
PARAM_LABELS = {"page": gettext_lazy("page number"), "per_page": gettext_lazy("rows per page"),
                "kind": gettext_lazy("recommendation kind"), "top": gettext_lazy("number of recommendations"),
                "q": gettext_lazy("search keywords"), "pk": gettext_lazy("record id")}


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


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 429: Error}

# Field labels of the write operations (url name -> field -> label), for naming a refused body field.
BODY_LABELS: dict[str, dict[str, str]] = {}


def param_message(error: dict[str, Any], labels: dict[str, str] | None = None) -> ParamError:
    """One refused parameter in the user's language, naming it and the reason (pydantic's messages
    are English)."""
    name = str(error.get("loc", ["", "?"])[-1])
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    label = (labels or {}).get(name) or PARAM_LABELS.get(name, name)
    if kind == "extra_forbidden":
        text = _("%(param)s is not a field that can be written here.")
    elif kind == "missing":
        text = _("%(label)s (%(param)s) is required.")
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        text = _("%(label)s (%(param)s) must be a whole number.")
    elif kind == "greater_than_equal":
        text = _("%(label)s (%(param)s) may not be less than %(limit)s.")
    elif kind == "less_than_equal":
        text = _("%(label)s (%(param)s) may not be greater than %(limit)s.")
    elif kind == "string_too_long":
        text = _("%(label)s (%(param)s) may not be longer than %(limit)s characters.")
    elif kind == "string_pattern_mismatch":
        text = _("%(label)s (%(param)s) contains characters that are not allowed (control characters).")
    else:
        text = _("%(label)s (%(param)s) is not valid.")
    limit = ctx.get("ge", ctx.get("le", ctx.get("max_length", "")))
    return ParamError(param=name, message=text % {"label": label, "param": name, "limit": limit})


def record_dict(obj: Any, fields: list, shown: set[str] | None = None) -> dict[str, Any]:
    """A record as the API returns it. Personal data is always masked here: the plain value is
    for one person at a time, through the logged reveal on the page, never for bulk reading. With `shown`
    (a record seen only through the city-wide pool), the other fields are empty."""
    return {"id": obj.pk, **{field.name: cell_text(obj, field, reveal=False) if shown is None or field.name in shown
                             else "" for field in fields}}


def registry_router(registry: Registry) -> Router:
    router = Router(tags=[str(registry.model._meta.verbose_name_plural)])
    name = f"{registry.app_label}_{registry.model_name}"
    fields = export_fields(registry.model, list(registry.detail_fields))
    # A record seen only through the city-wide pool (docs/access.md): its public fields only.
    public = set(registry.pool.fields) if registry.pool is not None else set()

    def auth_for(action: str) -> list:
        """The operation's authentication: an API key held to this registry and action, or the session."""
        return [ApiKeyBearer(registry.model._meta.label_lower, action), django_auth]

    def check(request: HttpRequest, action: str = "view") -> None:
        if not user_may(request.user, registry.model, action):
            raise HttpError(403, _("You may not %(action)s records of this kind.") % {"action": ACTION_WORDS[action]})

    @router.get("/", response={200: Page, **ERRORS}, auth=auth_for("view"), url_name=f"{name}_list", operation_id=f"{name}_list",
                summary=_("%(records)s: list") % {"records": registry.model._meta.verbose_name_plural})
    def list_records(
        request: HttpRequest,
        q: str = Query("", max_length=MAX_QUERY, pattern=r"^[^\x00-\x1f\x7f]*$", description=_("keywords, separated by spaces")),
        page: int = Query(1, ge=1, le=MAX_PAGE, description=_("page number, from 1")),
        per_page: int = Query(25, ge=1, le=MAX_PER_PAGE, description=_("rows per page")),
    ) -> dict[str, Any]:
        check(request)
        qs = registry.queryset(request.user)
        for term in q.split()[:5]:
            qs = keyword_filter(qs, term, getattr(registry.filterset, "search_related", ()))
        start = (page - 1) * per_page
        rows = list(qs.prefetch_related(*[f.name for f in fields if f.many_to_many])[start : start + per_page])
        scoped = scoped_pks(registry.model, request.user, [o.pk for o in rows]) if registry.pool else None
        return {"count": qs.count(), "page": page, "per_page": per_page,
                "results": [record_dict(o, fields, public if scoped is not None and o.pk not in scoped else None)
                            for o in rows]}

    @router.get("/{pk}", response={200: dict[str, Any], **ERRORS}, auth=auth_for("view"), url_name=f"{name}_detail",
                operation_id=f"{name}_detail",
                summary=_("%(record)s: one record") % {"record": registry.model._meta.verbose_name})
    def get_record(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_PK, description=_("record id"))) -> dict[str, Any]:
        check(request)
        obj = get_in_scope(request, registry.queryset(request.user), pk)
        scoped = scoped_pks(registry.model, request.user, [obj.pk]) if registry.pool else None
        return record_dict(obj, fields, public if scoped is not None and obj.pk not in scoped else None)

    if registry.api_writable:
        BODY_LABELS.update(add_write_routes(router, registry, name, check, ERRORS, auth_for))
    return router


class ApiKeyBearer(HttpBearer):
    """`Authorization: Bearer <key>`: an API key the security administrator issued to another system. Core knows no
    keys: the check the security app registers (yiti.core.extensions.set_api_key_check) returns the account the key
    acts for, or None (401)."""

    openapi_description = gettext_lazy("An API key issued by the security administrator, sent as "
                                       "`Authorization: Bearer <key>`; limited to its registries, actions and term.")

    def __init__(self, model_label: str = "", action: str = "") -> None:
        super().__init__()
        # What the operation reads or writes; an operation that names nothing (the matching API) is not for keys.
        self.model_label, self.action = model_label, action

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        check = extensions.api_key_check()
        account = check(request, token) if check is not None else None
        if account is None:
            return None
        allows = getattr(request, "api_allows", None)
        if not self.model_label or allows is None or not allows(self.model_label, self.action):
            # Refused before the body is read: a key learns nothing about a registry it may not call.
            raise HttpError(403, _("This API key may not %(action)s records of this kind.")
                            % {"action": ACTION_WORDS.get(self.action, self.action or _("use"))})
        return account


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
    # The schema is built once, at start-up, in the default language (Chinese).
    title = f"{settings.PLATFORM_NAME} API"
    api = NinjaAPI(title=title, version="1", auth=[ApiKeyBearer(), django_auth], urls_namespace="api",
                   docs=LocalSwagger(),
                   description=_("Another system calls the API with the key the security administrator issued to it "
                                 "(Authorization: Bearer <key>); a person logs in to the platform first and calls it "
                                 "in the same session. Lists and records of every registry; needs, research results "
                                 "and talents also take writes (POST, PATCH) with the forms' validation and an "
                                 "optional Idempotency-Key."))
    for registry in registries().values():
        api.add_router(f"/{registry.app_label}/", registry_router(registry))

    @api.get("/", auth=None, response=ApiIndex, operation_id="api_index", summary=_("API index"), url_name="index",
             tags=[_("API index")])
    def index(request: HttpRequest) -> dict[str, Any]:
        return {
            "title": title,
            "docs": reverse("api:openapi-view"),
            "schema_url": reverse("api:openapi-json"),
            "endpoints": [
                {"name": str(r.model._meta.verbose_name_plural),
                 "list": reverse(f"api:{r.app_label}_{r.model_name}_list"),
                 "detail": reverse(f"api:{r.app_label}_{r.model_name}_list") + "{pk}"}
                for r in registries().values()
            ],
        }

    # Every refusal in the user's language (Chinese), in the documented Error shape.
    @api.exception_handler(ValidationError)
    def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        match = getattr(request, "resolver_match", None)
        labels = BODY_LABELS.get(match.url_name) if match is not None else None
        errors = [param_message(e, labels) for e in exc.errors]
        detail = "".join(e.message for e in errors) or _("The request's parameters are not valid.")
        return api.create_response(request, {"detail": detail, "errors": [e.dict() for e in errors]}, status=400)

    @api.exception_handler(AuthenticationError)
    def not_logged_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": _("Send a valid API key (Authorization: Bearer <key>), or log in "
                                                         "to the platform first and call the API in the same session.")},
                                   status=401)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("No such record, or it is outside your data scope.")}, status=404)

    return api


api = build_api()


def api_urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns. They answer 401 themselves (django_auth) instead of redirecting
    anonymous callers to the login page, which a script could not follow."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False  # type: ignore[union-attr]
    return patterns, app_name, namespace
