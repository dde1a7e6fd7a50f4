from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from yiti.activities.fairs import services
from yiti.activities.fairs.filtersets import PositionFilterSet
from yiti.activities.fairs.forms import AdvanceForm, IntentionForm, PositionForm
from yiti.activities.fairs.models import Position
from yiti.activities.fairs.tables import PositionTable
from yiti.core.actions import DetailAction
from yiti.core.navigation import ORGANISATIONS_AND_PLATFORMS
from yiti.core.registry import ImportOptions, Menu, Registry
from yiti.core.views import record_for

add_intention = DetailAction(
    name="add_intention", path="intentions/add/", form=IntentionForm, service=services.record_intention,
    context_name="intention_form", anchor="intentions",
    form_kwargs=lambda request, position: {"user": request.user},
    success_message=_("Hiring intention recorded."),
    failure_message=_("The hiring intention was not recorded: %(errors)s"),
)


def _advance(position, *, user, intention, **values):
    return services.advance(intention, user=user, **values)


advance_intention = DetailAction(
    name="advance_intention", path="intentions/advance/", form=AdvanceForm, service=_advance,
    context_name="advance_form", anchor="intentions",
    form_kwargs=lambda request, position: {"position": position},
    success_message=_("Step recorded."),
    failure_message=_("The step was not recorded: %(errors)s"),
)


def intentions_context(request, position: Position) -> dict:
    return {
        "intentions": position.intentions.select_related("talent").order_by("-id"),
        "intention_form": add_intention.blank_form(request, position),
        "advance_form": advance_intention.blank_form(request, position),
    }


def recommend_talents(request, pk: int):
    """推荐人才: talents for the position from the matching engine, with reasons (yiti/activities/fairs/recommend.py)."""
    from yiti.activities.fairs import recommend
    from yiti.matching.recommend import IndexNotReady, queue_index_build

    position = record_for(request, Position, pk, "view")
    context: dict = {"position": position, "lines": None, "building": False, "error": ""}
    try:
        context["lines"] = recommend.talents_for(position, request.user)
    except IndexNotReady:
        queue_index_build()
        context["building"] = True
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
    return render(request, "activities/position_recommend.html", context)


registry = Registry(
    model=Position,
    filterset=PositionFilterSet,
    table=PositionTable,
    form=PositionForm,
    division_path="fair__division",
    organisation_path="enterprise",
    menu=Menu(ORGANISATIONS_AND_PLATFORMS, _("Job fair positions"), 41),
    select_related=("enterprise", "fair", "discipline"),
    detail_fields=("fair", "enterprise", "title", "headcount", "requirements", "discipline", "salary_min",
                   "salary_max", "created_by", "created_at", "updated_at"),
    detail_template="activities/position_detail.html",
    detail_extra=intentions_context,
    actions=(add_intention, advance_intention),
    extra_urls=[path("<int:pk>/recommend/", recommend_talents, name="position_recommend")],
    # One enterprise's sheet of positions for one fair: a row with the same fair, enterprise and title updates it.
    imports=ImportOptions(keys=(("fair", "enterprise", "title"),), notes_field="requirements"),
    text_fields=("title", "requirements"),
)
