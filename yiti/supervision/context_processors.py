"""The bell in the page header: the user's unread notifications.

Registered in settings.TEMPLATES (core's base template reads `header_bell` and never imports this app).
The count is lazy: a page that does not show the header (a fragment) runs no query."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from yiti.supervision.models import Notification

        return Notification.objects.filter(user=user, read_at=None).count()

    return {"header_bell": {"url": reverse("supervise:todo"), "unread": SimpleLazyObject(count)}}
