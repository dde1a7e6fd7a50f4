"""The job fair's pages that hang off the event (its registry is yiti.activities): registering talents, their
QR codes, cancelling, the check-in page at the door (made for a phone), and the fair's funnel on its page."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from yiti.activities.fairs import services
from yiti.activities.fairs.forms import RegisterForm
from yiti.activities.fairs.models import Registration
from yiti.activities.models import Event
from yiti.core.actions import DetailAction
from yiti.core.views import record_for

register_talent = DetailAction(
    name="register", path="registrations/add/", form=RegisterForm, service=services.register,
    context_name="register_form", anchor="registrations",
    form_kwargs=lambda request, fair: {"user": request.user},
    success_message=_("Talent registered."),
    failure_message=_("The talent was not registered: %(errors)s"),
)


def fair_context(request, event: Event) -> dict:
    if not event.is_job_fair:
        return {"register_form": None}
    funnel = services.funnel(event)
    steps = [(_("Registered"), funnel["registered"]), (_("Checked in"), funnel["checked_in"]),
             (_("Intentions"), funnel["intentions"]), (_("Interviews"), funnel["interviews"]),
             (_("Hired"), funnel["hired"])]
    top = max(funnel["registered"], 1)
    context = {
        "funnel_top": top,
        "fair_funnel": [{"label": label, "count": n, "percent": round(100 * n / top)} for label, n in steps],
        "register_form": None,
    }
    # Who registered, and their codes, only for those who run the fair (not a participating enterprise's contact).
    if Event.objects.restrict(request.user, "change").filter(pk=event.pk).exists():
        context.update({
            "registrations": event.registrations.select_related("talent").order_by("-id")[:200],
            "registration_count": event.registrations.count(),
            "register_form": register_talent.blank_form(request, event),
            "runs_fair": True,
        })
    return context


def _registration(request, pk: int, registration: int, action: str) -> Registration:
    fair = record_for(request, Event, pk, action)
    return get_object_or_404(Registration.objects.select_related("talent"), pk=registration, fair=fair)


def registration_qr(request, pk: int, registration: int):
    """The registration's QR code (SVG), drawn on the server: it carries the fair's check-in address and the code."""
    found = _registration(request, pk, registration, "change")
    qr = segno.make(request.build_absolute_uri(found.checkin_url()), error="m")
    response = HttpResponse(qr.svg_inline(scale=6, border=2), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def cancel_registration(request, pk: int, registration: int):
    found = _registration(request, pk, registration, "change")
    try:
        services.cancel(found, user=request.user)
        messages.success(request, _("Registration cancelled."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return HttpResponseRedirect(found.fair.get_absolute_url() + "#registrations")


def checkin(request, pk: int):
    """The check-in page at the door: staff scan the talent's QR (the phone's camera opens this page with the code
    filled in) or type the code, and confirm. Refusals say why, in Chinese."""
    fair = record_for(request, Event, pk, "change")
    checked = None
    status = 200
    form_errors = ""
    code = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    if request.method == "POST":
        try:
            checked = services.check_in(fair, user=request.user, code=code)
            code = ""
        except ValidationError as exc:
            form_errors = " ".join(exc.messages)
            status = 400
    context = {"fair": fair, "code": services.normalise_code(code), "checked": checked, "error": form_errors,
               "funnel": services.funnel(fair) if fair.is_job_fair else None}
    return render(request, "activities/checkin.html", context, status=status)
