"""Pages of the login flow: lockout notice, second factor (enrol, verify), password change."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiti.security.events import record
from yiti.security.forms import TokenForm
from yiti.security.models import AccountSecurity, AuthEvent
from yiti.security.policy import (
    MUST_CHANGE_KEY,
    password_change_required,
    password_max_age,
    remember_password_state,
    requires_second_factor,
)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


# ---- lockout --------------------------------------------------------------------------------------


def locked_out(request: HttpRequest, original_response: Any = None, credentials: dict | None = None) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: a Chinese page saying when the account may try again."""
    from axes.helpers import get_client_username, get_cool_off
    from axes.models import AccessAttempt

    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    last = (
        AccessAttempt.objects.filter(username=username).order_by("-attempt_time").values_list("attempt_time", flat=True)
    ).first()
    retry_at = (last or timezone.now()) + cool_off if cool_off else None
    context = {
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "retry_at": retry_at,
    }
    return render(request, "security/locked_out.html", context, status=429)


# ---- second factor --------------------------------------------------------------------------------


def _confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("id").first()


def _refuse_code(request: HttpRequest, form: TokenForm, device: TOTPDevice) -> None:
    allowed, info = device.verify_is_allowed()
    record(AuthEvent.Kind.OTP_FAILED, request, request.user)
    if not allowed and info and info.get("locked_until"):
        wait = max(1, int((info["locked_until"] - timezone.now()).total_seconds()))
        form.add_error("token", _("Too many wrong codes: try again in %(seconds)d seconds.") % {"seconds": wait})
    else:
        form.add_error("token", _("The code is wrong or has expired. Enter the code your app shows now."))


def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of an administrator's login: the current code of their authenticator app."""
    user = request.user
    if not requires_second_factor(user) or user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_next_url(request))
    device = _confirmed_device(user)
    if device is None:
        return redirect(f"{reverse('security:otp_setup')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        _refuse_code(request, form, device)
    return render(request, "security/otp_verify.html", {"form": form, "next": _next_url(request)})


def _secret(device: TOTPDevice) -> str:
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def otp_setup(request: HttpRequest) -> HttpResponse:
    """First login of an administrator: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    if not requires_second_factor(user):
        return HttpResponseRedirect(_next_url(request))
    if _confirmed_device(user) is not None:
        # A new device only after the security administrator removed the old one (admin → TOTP devices).
        return redirect(f"{reverse('security:otp_verify')}?{request.GET.urlencode()}")
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up. You will enter its code at every login."))
            return HttpResponseRedirect(_next_url(request))
        _refuse_code(request, form, device)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next_url(request),
        # segno writes plain SVG shapes (no style attributes, no scripts): safe under our CSP.
        "qr_svg": mark_safe(qr.svg_inline(scale=4, svgclass="yiti-qr", light="#fff")),  # noqa: S308
        "secret": _secret(device),
    }
    return render(request, "security/otp_setup.html", context)


# ---- password change ------------------------------------------------------------------------------


class PasswordChange(PasswordChangeView):
    """Change one's own password; also the page an expired or administrator-set password leads to."""

    template_name = "security/password_change.html"
    success_url = reverse_lazy("home")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.request.session
        if session.get(MUST_CHANGE_KEY):
            context["reason"] = _("Your password was set by an administrator. Choose your own password to continue.")
        elif password_change_required(session):
            max_age = password_max_age()
            days = max_age.days if max_age else 0
            context["reason"] = _(
                "Your password is more than %(days)d days old and has expired. Choose a new password to continue."
            ) % {"days": days}
        context["next"] = _next_url(self.request)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        super().form_valid(form)  # saves the password (history, date) and keeps the session logged in
        user = form.user
        AccountSecurity.objects.filter(user=user).update(must_change_password=False)
        remember_password_state(self.request.session, user)
        record(AuthEvent.Kind.PASSWORD_CHANGED, self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(_next_url(self.request))
