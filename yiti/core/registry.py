"""A registry is declared once — model, filter, table, form, related lists — and gets its pages.

Per-registry code stays declarative (see any app's views.py); the behaviour lives in the
generic views of yiti.core.views.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import django_filters
import django_tables2 as tables
from django.db.models import Model, QuerySet
from django.urls import path
from django.utils.functional import Promise

if TYPE_CHECKING:
    from yiti.core.actions import DetailAction


@dataclass
class Related:
    """A list of related records on a detail page.

    `lookup` names the field of the related model that points at the object; the section shows
    the first rows and links to the related registry's list filtered by that field.
    """

    title: Promise
    model: type[Model]
    lookup: str
    table: type[tables.Table]
    select_related: Sequence[str] = ()
    limit: int = 10
    # When the related list's filter has a field of the same name, "view all" links to it.
    list_filter: str | None = None

    def queryset(self, obj: Model, user: Any) -> QuerySet:
        qs = self.model._default_manager.restrict(user, "view").filter(**{self.lookup: obj})  # type: ignore[attr-defined]
        return qs.select_related(*self.select_related)


@dataclass
class ImportOptions:
    """How a registry's rows are matched to records and to each other.

    `keys`: natural keys; a row that agrees with a record on one of them (after normalising spelling
    and punctuation) updates it, and rows that agree with each other are one record. A part ending in
    "?" may be empty (empty then matches empty); a key with another part empty does not count.
    `notes_field`: where lenient mode keeps values it could not read, so nothing is lost.
    `check`: row rules the edit form enforces outside the model (e.g. an agreement has two parties).
    `after_create`: side effects of creating records in bulk (e.g. an agreement's signing evidence).
    """

    keys: tuple[tuple[str, ...], ...]
    notes_field: str = ""
    check: Callable[[dict[str, Any]], dict[str, str]] | None = None
    after_create: Callable[[list[Any], Any], None] | None = None


@dataclass
class Registry:
    model: type[Model]
    filterset: type[django_filters.FilterSet]
    table: type[tables.Table]
    form: type
    detail_fields: Sequence[str]
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    related: Sequence[Related] = ()
    detail_template: str = "core/object_detail.html"
    # Extra context for the detail page, e.g. an agreement's evidence and its advance form.
    detail_extra: Callable[[Any, Any], dict[str, Any]] | None = None
    per_page: int = 25
    extra_urls: list = field(default_factory=list)
    imports: ImportOptions | None = None
    # A choice field the list page may set on many selected records at once (批量修改状态); only
    # where every value may follow any other (a need's status, not an agreement's stage, whose
    # every step needs its own date and evidence).
    batch_status: str = ""
    # The small forms of the detail page (record a contact, a step …): see yiti.core.actions.
    actions: Sequence["DetailAction"] = ()

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return str(self.model._meta.model_name)

    @property
    def suggests_codes(self) -> bool:
        """Whether 建议代码 (discipline/industry codes learned from the coded records) serves this registry."""
        from yiti.imports.tagging import taggable

        return bool(taggable(self))

    def url_name(self, view: str) -> str:
        return f"{self.app_label}:{self.model_name}_{view}"

    def queryset(self, user: Any, action: str = "view") -> QuerySet:
        return (
            self.model._default_manager.restrict(user, action)  # type: ignore[attr-defined]
            .select_related(*self.select_related)
            .prefetch_related(*self.prefetch_related)
        )

    def urls(self) -> list:
        from yiti.core import views
        from yiti.core.plain_export import ObjectPlainExportView
        from yiti.imports.urls import import_urls

        name = self.model_name
        return [
            path("", views.ObjectListView.as_view(registry=self), name=f"{name}_list"),
            path("add/", views.ObjectEditView.as_view(registry=self), name=f"{name}_add"),
            path("export/", views.ObjectExportView.as_view(registry=self), name=f"{name}_export"),
            path("export/plain/", ObjectPlainExportView.as_view(registry=self), name=f"{name}_export_plain"),
            path("batch/", views.ObjectBatchView.as_view(registry=self), name=f"{name}_batch"),
            *(import_urls(self) if self.imports else []),
            path("<int:pk>/", views.ObjectDetailView.as_view(registry=self), name=f"{name}_detail"),
            path("<int:pk>/edit/", views.ObjectEditView.as_view(registry=self), name=f"{name}_edit"),
            path("<int:pk>/delete/", views.ObjectDeleteView.as_view(registry=self), name=f"{name}_delete"),
            *(action.url(self) for action in self.actions),
            *self.extra_urls,
        ]


REGISTRY_ORDER = ("orgs", "talents", "experts", "needs", "results", "platforms", "agreements")


def registries() -> dict[str, Registry]:
    """Every registry by app label, in menu order (imported lazily: views import models)."""
    from importlib import import_module

    return {app: import_module(f"yiti.{app}.views").registry for app in REGISTRY_ORDER}
