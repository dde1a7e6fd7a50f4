from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TalentsConfig(AppConfig):
    name = "yiti.talents"
    label = "talents"
    verbose_name = _("Talents")

    def ready(self) -> None:
        from yiti.talents.services import sync_programmes

        post_migrate.connect(sync_programmes, sender=self)
