"""Login hardening middlewares: Content-Security-Policy, idle timeout, second factor and forced password change."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from yiti.security.events import record
from yiti.security.models import AuthEvent
from yiti.security.policy import (
    LAST_SEEN_KEY,
    idle_timeout,
    password_change_required,
    requires_second_factor,
    second_factor_enforced,
)

DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)

# The last-activity stamp is written at most this often, so that most requests do not write the session.
LAST_SEEN_REFRESH_SECONDS = 60


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy (no inline scripts or styles) with every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "YITI_CONTENT_SECURITY_POLICY", DEFAULT_CSP)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class IdleTimeoutMiddleware:
    """End a session after YITI_SESSION_IDLE_MINUTES without a request.

    Why a middleware and not SESSION_SAVE_EVERY_REQUEST: that setting writes the session row on
    every request (every page and htmx fragment). Here the session keeps a last-activity stamp
    that is refreshed at most once a minute; each refresh saves the session and so pushes its
    server-side expiry (SESSION_COOKIE_AGE, set to the same idle time) forward. A session left
    idle is refused twice over: its database row expires, and this check logs the user out with
    a message and records the timeout.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(LAST_SEEN_KEY)
            if seen is not None and now - int(seen) > idle_timeout().total_seconds():
                record(AuthEvent.Kind.SESSION_TIMEOUT, request, user)
                request._yiti_session_timeout = True  # type: ignore[attr-defined]  # no "logout" event too
                logout(request)
                messages.warning(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                    % {"minutes": int(idle_timeout().total_seconds() // 60)},
                )
                if request.headers.get("HX-Request") == "true":
                    return HttpResponseClientRedirect(reverse(settings.LOGIN_URL))
                return redirect_to_login(request.get_full_path())
            if seen is None or now - int(seen) >= LAST_SEEN_REFRESH_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class LoginPolicyMiddleware:
    """Before anything else, a logged-in user must pass the second factor (administrators) and
    change a password that is expired or was set by someone else.

    Must come after AuthenticationMiddleware, django_otp's OTPMiddleware and MessageMiddleware.
    """

    # Pages a user who still owes the second factor may open (not the password change: code first).
    BEFORE_SECOND_FACTOR = frozenset({"login", "logout", "set_language", "security:otp_verify", "security:otp_setup"})
    # ... and those a user who owes a new password may open.
    BEFORE_PASSWORD_CHANGE = BEFORE_SECOND_FACTOR | {"security:password_change"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if view_name in self.BEFORE_SECOND_FACTOR:
            return None
        if second_factor_enforced() and requires_second_factor(user):
            is_verified = getattr(user, "is_verified", None)
            if not (is_verified and is_verified()):
                return self._redirect(request, "security:otp_verify")
        if view_name not in self.BEFORE_PASSWORD_CHANGE and password_change_required(request.session):
            return self._redirect(request, "security:password_change")
        return None

    @staticmethod
    def _redirect(request: HttpRequest, url_name: str) -> HttpResponse:
        url = reverse(url_name)
        if request.method == "GET" and request.headers.get("HX-Request") != "true":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)


class ApiCallTrailMiddleware:
    """Every API call made with a key (`Authorization: Bearer …`) leaves a row in the API calls' trail, whatever its
    answer — refused keys and out-of-scope calls included (yiti.security.api_keys)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.headers.get("Authorization", "").lower().startswith("bearer "):
            return self.get_response(request)
        from yiti.security.api_keys import log_call

        started = time.monotonic()
        response = self.get_response(request)
        log_call(request, response.status_code, started)
        return response
