from django.conf import settings

from yiti.core.models import PlatformSetting
from yiti.core.navigation import menu_for


def platform(request):
    """Platform name, the demo-data label and the left menu for every page."""
    is_demo = PlatformSetting.objects.filter(key=PlatformSetting.DEMO_DATA, value="1").exists()
    return {
        "platform_name": settings.PLATFORM_NAME,
        "is_demo_data": is_demo,
        "menu": menu_for(request),
    }
