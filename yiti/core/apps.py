from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yiti.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from yiti.core.codes import sync_after_migrate
        from yiti.core.search import ensure_indexes

        post_migrate.connect(sync_after_migrate, sender=self)
        post_migrate.connect(ensure_indexes, sender=self)
