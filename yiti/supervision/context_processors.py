"""The bell in the page header: a link to 我的待办 whose unread count loads after the page.

Registered in settings.TEMPLATES (core's base template reads `header_bell` and never imports this app). The
count is not queried here: every page's query count is pinned by the registries' tests, and a count that
refreshes by itself is better anyway; the bell's badge asks `supervise:bell` by htmx on load and every
minute. Without JavaScript the bell is a plain link to 我的待办, which shows the count."""

from django.urls import reverse


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"header_bell": {"url": reverse("supervise:todo"), "count_url": reverse("supervise:bell")}}
