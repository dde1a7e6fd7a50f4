from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "yiti.security"
    label = "security"
    verbose_name = _("Login security")

    def ready(self) -> None:
        from yiti.core.extensions import set_api_key_check
        from yiti.security import receivers  # noqa: F401  (connects the authentication-event receivers)
        from yiti.security.api_keys import check

        set_api_key_check(check)  # the API asks here which account a bearer key acts for
