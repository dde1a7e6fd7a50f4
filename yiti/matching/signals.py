"""Saves and deletes of indexed records become pending index changes (`IndexChange`), which every web process
applies to its loaded index (`yiti.matching.store`): an edit reaches recommendations without a rebuild."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from yiti.matching.documents import KINDS, key


def _changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from yiti.matching.models import IndexChange

    IndexChange.objects.create(key=key(instance), deleted=kwargs.get("signal") is post_delete)


for _model in KINDS.values():
    post_save.connect(_changed, sender=_model, dispatch_uid=f"matching-index-{_model._meta.label}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"matching-index-del-{_model._meta.label}")
