from django.conf import settings

from yiti.core.models import PlatformSetting
from yiti.core.navigation import menu_for


def platform(request):
    """Platform name, the demo-data label and the left menu for every page.

    Computed once a request: a list page renders its table with a context of its own (django-tables2), which
    runs the context processors again — the menu's permission checks and the demo-data query twice a page."""
    cached = getattr(request, "_yiti_platform_context", None)
    if cached is not None:
        return cached
    is_demo = PlatformSetting.objects.filter(key=PlatformSetting.DEMO_DATA, value="1").exists()
    context = {
        "platform_name": settings.PLATFORM_NAME,
        "is_demo_data": is_demo,
        "menu": menu_for(request),
    }
    request._yiti_platform_context = context
    return context
