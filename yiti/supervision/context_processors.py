"""The bell in the page header: a link to 我的待办 whose unread count loads after the page.

Registered in settings.TEMPLATES (core's base template reads `header_bell` and never imports this app). The
count is not queried here: every page's query count is pinned by the registries' tests, and a count that
refreshes by itself is better anyway; the bell's badge asks `supervise:bell` by htmx on load and every
minute. Without JavaScript the bell is a plain link to 我的待办, which shows the count."""

from django.urls import reverse

from yiti.security.middleware import LoginPolicyMiddleware


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in LoginPolicyMiddleware.BEFORE_PASSWORD_CHANGE:
        # a user who still owes the second factor or a new password: the bell's request would be sent back to
        # this very page (an htmx redirect), reloading it — and a new authenticator secret — every time
        return {}
    return {"header_bell": {"url": reverse("supervise:todo"), "count_url": reverse("supervise:bell")}}
