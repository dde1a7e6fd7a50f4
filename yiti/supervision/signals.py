"""Notifications that follow a save at once (the daily job would catch them up, a day late)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from yiti.supervision import notify
from yiti.supervision.choices import ReportKind
from yiti.supervision.models import Report, Task


@receiver(post_save, sender=Task, dispatch_uid="supervision_task_assigned")
def task_assigned(sender, instance: Task, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        transaction.on_commit(lambda: notify.assigned([instance.pk]))


@receiver(post_save, sender=Report, dispatch_uid="supervision_task_returned")
def task_returned(sender, instance: Report, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.kind == ReportKind.RETURN:
        transaction.on_commit(lambda: notify.returned(instance.task, instance.pk, instance.text))
