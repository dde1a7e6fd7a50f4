from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiti.core import search
from yiti.core.access import RestrictedQuerySet


class BaseModel(models.Model):
    """Every registry record: timestamps, author, and queries that pass the access layer."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Tokens of the fields named in `search_fields`, for the keyword filter (see yiti.core.search).
    search_text = models.TextField(editable=False, blank=True, default="")
    search_fields: ClassVar[tuple[str, ...]] = ()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search.document(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.search_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
        search.refresh_dependents(self)

    def get_absolute_url(self) -> str:
        return reverse(f"{self._meta.app_label}:{self._meta.model_name}_detail", args=[self.pk])


class CodeTable(models.Model):
    """A national code list (divisions, industries, disciplines), kept in sync with the package data."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Division(CodeTable):
    """Administrative division (GB/T 2260)."""

    class Meta(CodeTable.Meta):
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self) -> str:
        return self.name

    def descendant_codes_prefix(self) -> str:
        """Codes of this division's descendants start with this prefix (GB/T 2260 is hierarchical)."""
        if self.level == "province":
            return self.code[:2]
        if self.level == "city":
            return self.code[:4]
        return self.code


class Industry(CodeTable):
    """Industry classification (GB/T 4754-2017): 门类 (sections) and 大类 (divisions)."""

    class Meta(CodeTable.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Discipline(CodeTable):
    """Graduate discipline catalogue (2022): 学科门类 (categories) and 一级学科."""

    class Meta(CodeTable.Meta):
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PlatformSetting(models.Model):
    """Small key/value facts about this installation, e.g. that it holds generated demo data."""

    key = models.CharField(max_length=50, unique=True)
    value = models.CharField(max_length=200, blank=True)

    DEMO_DATA = "demo_data"

    def __str__(self) -> str:
        return self.key


class IdempotentCall(models.Model):
    """A write through the API that carried an `Idempotency-Key`: the answer it got, given again when the same
    caller retries with the same key and the same request, so that a retried call never creates a duplicate."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("idempotency key"), max_length=100)
    request_digest = models.CharField(_("request digest"), max_length=64,
                                      help_text=_("SHA-256 of the method, path and body: the same key with another "
                                                  "request is refused."))
    status = models.PositiveSmallIntegerField(_("status"))
    response = models.JSONField(_("response"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent API call")
        verbose_name_plural = _("idempotent API calls")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_call_unique_key")]

    def __str__(self) -> str:
        return self.key
