from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "yiti.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # Supervision plugs into the platform through yiti.core.extensions; core never imports this app.
        from yiti.core import extensions
        from yiti.supervision.visibility import tasks_of_department

        # A task is readable by the departments named on it (lead, co-operating, assigning), whatever their scope.
        extensions.add_visibility("supervision.task", tasks_of_department)
