"""The pages of matching lists: thin — they read a form, call `yiti.matching.lists`, show the outcome.

A list (and its items) is found through `MatchingList.objects.visible(user)`: outside it, a logged 404.
Contacts reach items only through `MatchingItem.objects.addressed_to(user)` (我的对接).
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiti.core.export import log_export
from yiti.core.forms import errors_text
from yiti.core.jobs import own_job, render_job
from yiti.core.views import denied, get_in_scope
from yiti.matching import lists
from yiti.matching.choices import Answer, ItemState, ListKind, ListStatus, RejectReason, Stage
from yiti.matching.list_forms import (
    AddForm,
    AnswerForm,
    ContactForm,
    FollowUpForm,
    PublishForm,
    RejectForm,
    RunForm,
    SignForm,
    StageForm,
)
from yiti.matching.models import MatchingItem, MatchingList, MatchingRun
from yiti.talents.choices import ContactChannel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refusal(request: Any, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _list(request: Any, pk: int) -> MatchingList:
    return get_in_scope(request, MatchingList.objects.visible(request.user), pk)


def _item(request: Any, pk: int) -> MatchingItem:
    return get_in_scope(request, MatchingItem.objects.visible(request.user).select_related("matching_list"), pk)


def _reader(request: Any) -> None:
    """Staff and leaders read lists; organisation contacts have 我的对接 instead."""
    user = request.user
    if not (user.is_superuser or user.role in ("staff", "leader")):
        denied(request, "matching lists")
        raise PermissionDenied(_("Matching lists are for office staff and leaders."))


def _worker(request: Any, mlist: MatchingList) -> None:
    if not lists.may_work(request.user, mlist):
        denied(request, "matching list work")
        raise PermissionDenied(_("Only office staff in charge of this list may change it."))


@login_required
def index(request):
    _reader(request)
    rows = (MatchingList.objects.visible(request.user).select_related("division", "created_by")
            .order_by("-created_at"))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    counts = lists.funnel_by(MatchingItem.objects.filter(matching_list__in=[m.pk for m in page]), "list")
    by_list = {row["id"]: row for row in counts}
    return render(request, "matching/lists/index.html", {
        "page": page, "rows": [(m, by_list.get(m.pk)) for m in page], "may_run": lists.is_worker(request.user),
        "kinds": ListKind.choices})


@login_required
def new_run(request):
    if not lists.is_worker(request.user):
        denied(request, "matching run")
        raise PermissionDenied(_("Only office staff may build matching lists."))
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = lists.start_run(request.user, form.scope(), form.cleaned_data["title"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            from yiti.matching.tasks import run_job

            run.queued(run_job.enqueue(run.pk))
            return redirect("matching:run", pk=run.pk)
    return render(request, "matching/lists/new.html", {"form": form})


@login_required
@require_POST
def new_by_hand(request):
    """An empty list to fill by hand (采纳 on a record's recommendations, 手工添加 on the list)."""
    try:
        mlist = lists.new_list(request.user, request.POST.get("kind", ""), request.POST.get("title", ""))
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect("matching:lists")
    return redirect("matching:list_detail", pk=mlist.pk)


@login_required
def run_page(request, pk: int):
    run = own_job(request, MatchingRun, pk)
    run.reap()
    return render_job(request, run, "matching/lists/run.html", {"mlist": run.matching_list},
                      label=_("Finding candidates for every record…"),
                      note=_("You may leave or reload this page; the run goes on."))


def _item_rows(items: list[MatchingItem]) -> list[dict[str, Any]]:
    names = lists.candidate_names(items)
    return [{"item": i, "record": names.get(i.source, i.source), "candidate": names.get(i.candidate, i.candidate),
             "progress": lists.progress_text(i)} for i in items]


@login_required
def list_detail(request, pk: int):
    _reader(request)
    mlist = _list(request, pk)
    items = list(mlist.items.select_related("enterprise", "addressee", "officer", "officer__department", "agreement")
                 .order_by("position", "id"))
    may_work = lists.may_work(request.user, mlist)
    open_ = mlist.status in (ListStatus.REVIEW, ListStatus.PUBLISHED)
    return render(request, "matching/lists/detail.html", {
        "mlist": mlist, "rows": _item_rows(items), "may_work": may_work, "open": open_,
        "reject_reasons": RejectReason.choices, "funnel": lists.funnel(mlist.items.all()),
        "funnel_query": urlencode({"list": mlist.pk}),
        "add_form": AddForm(user=request.user, kind=mlist.kind) if may_work and open_ else None,
        "publish_form": PublishForm(mlist=mlist, user=request.user) if may_work and open_ else None,
        "to_publish": sum(1 for i in items if i.state == ItemState.ACCEPTED and i.published_at is None),
        "pending": sum(1 for i in items if i.state == ItemState.PROPOSED)})


def _back_to_list(item: MatchingItem) -> Any:
    return redirect(f"{reverse('matching:list_detail', args=[item.matching_list_id])}#item-{item.pk}")


@login_required
@require_POST
def item_review(request, pk: int):
    item = _item(request, pk)
    _worker(request, item.matching_list)
    action = request.POST.get("action", "")
    try:
        if action in ("up", "down"):
            lists.move(item, request.user, action)
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                messages.error(request, errors_text(form))
                return _back_to_list(item)
            lists.review(item, request.user, "reject", form.cleaned_data["reason"], form.cleaned_data["text"])
        else:
            lists.review(item, request.user, action)
    except ValidationError as exc:
        _refusal(request, exc)
    return _back_to_list(item)


@login_required
@require_POST
def list_add(request, pk: int):
    mlist = _list(request, pk)
    _worker(request, mlist)
    form = AddForm(request.POST, user=request.user, kind=mlist.kind)
    if not form.is_valid():
        messages.error(request, errors_text(form) or _("Check the record and the candidate."))
        return redirect("matching:list_detail", pk=mlist.pk)
    try:
        item = lists.add_candidate(mlist, request.user, form.cleaned_data["record"], form.candidate())
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect("matching:list_detail", pk=mlist.pk)
    messages.success(request, _("The candidate was added to the list."))
    return _back_to_list(item)


@login_required
@require_POST
def adopt(request):
    """采纳 on a record's page (the recommendation panels post here): the candidate goes onto the user's open
    list, or the one named."""
    mlist = None
    if request.POST.get("list"):
        try:
            mlist = _list(request, int(request.POST["list"]))
        except ValueError:
            raise Http404 from None
    nxt = request.POST.get("next", "")
    back = nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts=None) and nxt.startswith("/") else ""
    try:
        item = lists.adopt(request.user, request.POST.get("source", ""), request.POST.get("candidate", ""), mlist)
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect(back or reverse("matching:lists"))
    messages.success(request, _("Put on the list “%(list)s”.") % {"list": item.matching_list.title})
    return redirect(back or reverse("matching:list_detail", args=[item.matching_list_id]))


@login_required
@require_POST
def list_publish(request, pk: int):
    mlist = _list(request, pk)
    _worker(request, mlist)
    form = PublishForm(request.POST, mlist=mlist, user=request.user)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("matching:list_detail", pk=mlist.pk)
    officer = form.officers.get(form.cleaned_data["officer"]) if form.cleaned_data["officer"] else None
    try:
        count = lists.publish(mlist, request.user, officer)
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("%(n)d items were published to both sides.") % {"n": count})
    return redirect("matching:list_detail", pk=mlist.pk)


@login_required
def list_export(request, pk: int):
    _reader(request)
    mlist = _list(request, pk)
    content = lists.export_workbook(mlist)
    log_export(request, MatchingItem, "xlsx", len(lists.item_rows(mlist)), f"list={mlist.pk}")
    response = HttpResponse(content, content_type=XLSX)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(mlist.title)}.xlsx"
    return response


@login_required
def item_detail(request, pk: int):
    _reader(request)
    item = _item(request, pk)
    mlist = item.matching_list
    may_work = lists.may_work(request.user, mlist) and item.published_at is not None
    following = may_work and item.stage not in (Stage.SIGNED, Stage.FAILED)
    names = lists.candidate_names([item])
    today = timezone.localdate()
    return render(request, "matching/lists/item.html", {
        "item": item, "mlist": mlist, "record": names.get(item.source, item.source),
        "candidate": names.get(item.candidate, item.candidate), "progress": lists.progress_text(item),
        "contacts": [(c, _channel(c.channel)) for c in item.contacts.select_related("by_user", "by_user__department")],
        "may_work": may_work,
        "following": following,
        "contact_form": ContactForm(initial={"date": today}) if following else None,
        "stage_form": StageForm() if following else None,
        "sign_form": SignForm(initial={"signed_date": today, "title": (_("Cooperation agreement: %(record)s") % {
            "record": names.get(item.source, "")})[:200]}) if following and item.stage in (
            Stage.CONTACTED, Stage.TALKING) else None,
        "follow_up_form": FollowUpForm(mlist=mlist, initial={
            "officer": item.officer_id, "deadline": item.contact_deadline}) if may_work else None,
        "overdue": item.stage == Stage.PUSHED and item.contact_deadline and item.contact_deadline < today})


def _channel(value: str) -> str:
    return str(ContactChannel(value).label) if value in ContactChannel.values else value


def _item_action(request: Any, pk: int, form_class: Any, call: Any, done: str) -> Any:
    item = _item(request, pk)
    _worker(request, item.matching_list)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            call(item, form)
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, done)
    return redirect("matching:item_detail", pk=item.pk)


@login_required
@require_POST
def item_contact(request, pk: int):
    return _item_action(request, pk, ContactForm, lambda item, f: lists.log_contact(
        item, request.user, f.cleaned_data["date"], f.cleaned_data["channel"], f.cleaned_data["summary"]),
        _("The contact was recorded."))


@login_required
@require_POST
def item_stage(request, pk: int):
    return _item_action(request, pk, StageForm, lambda item, f: lists.set_stage(
        item, request.user, f.cleaned_data["stage"], f.cleaned_data["fail_reason"]), _("The stage was changed."))


@login_required
@require_POST
def item_sign(request, pk: int):
    item = _item(request, pk)
    _worker(request, item.matching_list)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("matching:item_detail", pk=item.pk)
    try:
        agreement = lists.sign(item, request.user, form.cleaned_data["title"], form.cleaned_data["signed_date"],
                               form.cleaned_data["kind"], form.cleaned_data["committed_funds"])
    except ValidationError as exc:
        _refusal(request, exc)
        return redirect("matching:item_detail", pk=item.pk)
    messages.success(request, _("The agreement was created; record its next steps on its page."))
    return redirect("agreements:agreement_detail", pk=agreement.pk)


@login_required
@require_POST
def item_follow_up(request, pk: int):
    item = _item(request, pk)
    _worker(request, item.matching_list)
    form = FollowUpForm(request.POST, mlist=item.matching_list)
    if not form.is_valid():
        messages.error(request, errors_text(form))
    else:
        try:
            lists.set_follow_up(item, request.user, form.officers.get(form.cleaned_data["officer"]),
                                form.cleaned_data["deadline"])
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The responsible officer and the deadline were saved."))
    return redirect("matching:item_detail", pk=item.pk)


@login_required
def mine(request):
    """我的对接: the published items addressed to the contact's organisation, each with its answer."""
    user = request.user
    if user.role != "org_contact":
        denied(request, "my matching")
        raise PermissionDenied(_("“My matching” is for the contacts of universities, institutes and enterprises."))
    items = list(MatchingItem.objects.addressed_to(user).select_related("enterprise", "addressee", "need")
                 .order_by("-published_at", "pk"))
    rows = _item_rows(items)
    for row in rows:
        item = row["item"]
        row["as_addressee"] = item.addressee_id == user.organisation_id
        row["answer"] = item.addressee_answer if row["as_addressee"] else item.enterprise_answer
        row["note"] = item.addressee_note if row["as_addressee"] else item.enterprise_note
        row["open"] = item.stage not in (Stage.SIGNED, Stage.FAILED)
    return render(request, "matching/lists/mine.html", {"rows": rows, "answers": Answer.choices})


@login_required
@require_POST
def item_answer(request, pk: int):
    item = get_in_scope(request, MatchingItem.objects.addressed_to(request.user), pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("matching:mine")
    try:
        lists.answer(item, request.user, form.cleaned_data["answer"], form.cleaned_data["note"])
    except ValidationError as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Your answer was sent."))
    return redirect(f"{reverse('matching:mine')}#item-{item.pk}")


@login_required
def overdue(request):
    _reader(request)
    items = list(lists.overdue(request.user).select_related("enterprise", "addressee", "officer",
                                                              "officer__department", "matching_list")[:500])
    return render(request, "matching/lists/overdue.html", {"rows": _item_rows(items)})


def _items_query(request: Any) -> tuple[Any, dict[str, str]]:
    """The visible items narrowed by ?list= ?county= ?university= (the funnel's links)."""
    qs = MatchingItem.objects.visible(request.user)
    kept: dict[str, str] = {}
    for param, field in (("list", "matching_list_id"), ("county", "division_id"), ("university", "addressee_id")):
        value = request.GET.get(param, "")
        if value.isdigit() and len(value) < 19:
            qs = qs.filter(**{field: int(value)})
            kept[param] = value
        elif value == "none":
            qs = qs.filter(**{field: None})
            kept[param] = value
    return qs, kept


@login_required
def funnel(request):
    _reader(request)
    group = request.GET.get("by", "list")
    if group not in lists.GROUPS:
        group = "list"
    qs, _kept = _items_query(request)
    rows = lists.funnel_by(qs, group)
    param = {"list": "list", "county": "county", "university": "university"}[group]
    for row in rows:
        row["query"] = urlencode({param: row["id"] if row["id"] is not None else "none"})
    return render(request, "matching/lists/funnel.html", {
        "group": group, "rows": rows, "total": lists.funnel(qs), "steps": lists.STEP_NAMES,
        "groups": [("list", _("per list")), ("county", _("per county")), ("university", _("per university"))]})


@login_required
def items(request):
    """The items behind one figure of the funnel."""
    _reader(request)
    qs, kept = _items_query(request)
    step = request.GET.get("step", "proposed")
    if step not in lists.STEP_NAMES:
        step = "proposed"
    qs = lists.step_filter(qs, step).select_related("enterprise", "addressee", "officer", "officer__department",
                                                    "matching_list").order_by("-matching_list__created_at", "position")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "matching/lists/items.html", {
        "rows": _item_rows(list(page)), "page": page, "step": step, "query": urlencode({**kept, "step": step})})
