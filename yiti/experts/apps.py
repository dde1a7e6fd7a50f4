from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "yiti.experts"
    label = "experts"
    verbose_name = _("Experts")

    def ready(self) -> None:
        from yiti.experts import pool

        # The talents' pool flag is kept by triggers that stay out of the migrations' way (yiti/experts/pool.py).
        pre_migrate.connect(pool.drop_triggers, sender=self)
        post_migrate.connect(pool.install, sender=self)
