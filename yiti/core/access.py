"""The one place every record query passes through.

Views, exports, imports and API calls never use `Model.objects.all()` for user-facing data;
they call `Model.objects.restrict(user, action)`. Today that grants access by Django model
permission (superusers see everything); the access issue extends this single method with
department, county and organisation scope so that no view needs to change.
"""

from typing import Any

from django.db import models

from yiti.core.paging import DeepPagingMixin

ACTIONS = ("view", "add", "change", "delete")


def permission_name(model: type[models.Model], action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def user_may(user: Any, model: type[models.Model], action: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.has_perm(permission_name(model, action)))


class RestrictedQuerySet(DeepPagingMixin):
    def restrict(self, user: Any, action: str = "view") -> "RestrictedQuerySet":
        """The records `user` may perform `action` on."""
        if not user_may(user, self.model, action):
            return self.none()
        return self
