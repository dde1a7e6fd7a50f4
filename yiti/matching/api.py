"""GET /api/needs/{id}/recommendations: a need's recommendations for scripts (same service as the panels).

Mounted on the platform's API (`yiti.core.api.api`) from `MatchingConfig.ready()`. Same conventions as the
registries' routes: the session's login (401 otherwise), 403 for a role that may not view needs, a logged 404
for a need outside the user's scope, Chinese messages in the `Error` shape. A bad `kind` or `top`, or a need too
short to match, is a 422; no index yet is a 503 (the build is queued).
"""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.params.functions import Path, Query

from yiti.core.access import user_may
from yiti.core.api import ERRORS, MAX_PK, Error
from yiti.core.views import get_in_scope
from yiti.matching import recommend as rec
from yiti.needs.models import Need

API_KINDS = ("experts", "results", "orgs")


class RecommendationOut(Schema):
    id: int
    key: str
    name: str
    organisation: str | None
    score: float
    reasons: list[str]


def _organisation(record: Any) -> str | None:
    for attr in ("organisation", "owner", "enterprise"):
        org = getattr(record, attr, None)
        if org is not None:
            return str(org)
    return None


def build_router() -> Router:
    router = Router(tags=[_("Recommendations")])

    @router.get("/{pk}/recommendations", response={200: list[RecommendationOut], 422: Error, 503: Error, **ERRORS},
                url_name="needs_need_recommendations", operation_id="needs_need_recommendations",
                summary=_("Enterprise need: recommended experts, results or organisations"))
    def need_recommendations(
        request: HttpRequest,
        pk: int = Path(..., ge=1, le=MAX_PK, description=_("record id")),
        # Declared exactly (an enum, a bounded number): what the schema admits, the route answers.
        kind: Literal["experts", "results", "orgs"] = Query("experts", description=_("experts, results or orgs")),
        top: int = Query(10, ge=1, le=rec.MAX_TOP, description=_("how many, 1 to 100")),
    ) -> Any:
        if not user_may(request.user, Need, "view"):
            raise HttpError(403, _("You may not view records of this kind."))
        need = get_in_scope(request, Need.objects.restrict(request.user).select_related("enterprise"), pk)
        if kind not in API_KINDS:
            raise HttpError(422, _("kind must be one of experts, results, orgs."))
        number = top
        try:
            found = rec.recommend(request.user, need, kind, top=number)
        except rec.IndexNotReady:
            rec.queue_index_build()
            raise HttpError(503, _("The matching index is being built; try again in a minute.")) from None
        except ValidationError as exc:
            raise HttpError(422, " ".join(exc.messages)) from None
        return [{"id": r.record.pk, "key": r.key, "name": str(r.record), "organisation": _organisation(r.record),
                 "score": r.score, "reasons": r.reasons} for r in found]

    return router
