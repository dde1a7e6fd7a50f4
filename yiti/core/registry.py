"""A registry is declared once — model, filter, table, form, scope, menu — and gets its pages.

Per-registry code stays declarative (see any app's views.py); the behaviour lives in the
generic views of yiti.core.views, and features that serve every registry plug in through
yiti.core.extensions. docs/architecture.md lists what a new registry needs.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

import django_filters
import django_tables2 as tables
from django.db.models import Model, Q, QuerySet
from django.urls import include, path
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule

if TYPE_CHECKING:
    from yiti.core.actions import DetailAction


@dataclass(frozen=True)
class MenuGroup:
    """A heading of the left menu (人才库, 需求库 …); groups show in `order`, smallest first."""

    title: Promise
    order: int


@dataclass(frozen=True)
class Menu:
    """Where a registry's list sits in the left menu (and its card on the home page)."""

    group: MenuGroup
    label: Promise
    order: int  # within the group, smallest first


@dataclass
class Related:
    """A list of related records on a detail page, declared by the page's registry.

    Most sections need no declaration: they are derived from the relations that point at the record
    (`related_sections`). A registry declares them itself only to show a relation the derivation cannot
    see (a many-to-many field of its own, e.g. the needs an agreement answers). `model` is the related
    registry's model label ("needs.need"), so that registries do not import each other; its table, its
    select_related and its list filter come from that registry's declaration.
    """

    model: str
    lookup: str  # the field of the related model that points at the object
    title: Promise | None = None  # default: the related registry's menu label
    limit: int = 10


@dataclass
class RelatedSection:
    """A related list resolved against the related registry's declaration."""

    title: Promise | str
    registry: "Registry"
    lookup: str
    limit: int = 10
    # The related list's filter that takes this record ("#12"), for the "view all" link; None: no link.
    list_filter: str | None = None

    @property
    def model(self) -> type[Model]:
        return self.registry.model

    def queryset(self, obj: Model, user: Any) -> QuerySet:
        return self.registry.queryset(user).filter(**{self.lookup: obj})


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


@dataclass(frozen=True)
class Pool:
    """The city-wide pool of a registry (issue 14, docs/access.md): the records every staff account,
    leader and organisation contact may view beyond their own scope. Editing stays within the scope.

    `records()` gives the pooled records as a Q on indexed fields (None: every record of the registry);
    `fields` are what a viewer outside the record's scope is shown (the public profile); `extra_rows`
    adds computed rows to that view (an expert's remaining capacity).

    `broad`: the pool is a large share of the table and `records()` is written so that no index answers it
    (talents, results, expert roles). A keyword search in a list widened by it then starts from the keyword's
    matches (each looked up by id and checked) instead of checking every row of the table against them — the
    scope cannot drive the query through an index once such a pool is ORed in (yiti.core.search.keyword_filter).
    `covered`: a broad pool whose model has an index of (id, the scope's column, the pool's column) — reading all of
    it is cheaper than looking each match up in the table, so the keyword goes back to being checked against the rows
    that index gives (talents: a county officer's ?q=王 counted 5,934 of 30,168 matches in 37 ms by looking them up,
    in 25 ms by reading the 300,000 entries of `talent_scope_pool_scan`; results and expert roles have no such index:
    checked that way their ?q=一种 and ?q=李 took longer)."""

    records: Callable[[], Q] | None
    fields: Sequence[str]
    extra_rows: Callable[[Any], list[tuple[Any, Any]]] | None = None
    broad: bool = False
    covered: bool = False


@dataclass
class Registry:
    """Everything about one registry, declared once in its app's views.py as `registry = Registry(...)`.

    The rest of the platform is derived from these declarations (`registries()`): the URLs (yiti/urls.py),
    the menu and the home page's cards, the data scope (yiti.core.access), the audit trail's record types,
    the text that 建议代码 learns from, and the related lists of detail pages.
    """

    model: type[Model]
    filterset: type[django_filters.FilterSet]
    table: type[tables.Table]
    form: type
    detail_fields: Sequence[str]
    # Where a record keeps its division and the organisation it belongs to (lookups from the model,
    # "pk" for the organisation itself): the county and organisation scopes of yiti.core.access.
    division_path: str = ""
    organisation_path: str = ""
    menu: Menu | None = None
    select_related: Sequence[str] = ()
    prefetch_related: Sequence[str] = ()
    # None: the related lists are derived from the relations that point at the record (related_sections).
    related: Sequence[Related] | None = None
    # Model labels ("needs.need") whose derived related lists come first, in this order.
    related_order: Sequence[str] = ()
    # How this registry's records are titled on the page of the record one of its fields points at, by
    # that field (default: the menu label); None keeps them off that page.
    related_titles: Mapping[str, Promise | None] = field(default_factory=dict)
    detail_template: str = "core/object_detail.html"
    # Extra context for the detail page, e.g. an agreement's evidence and its advance form.
    detail_extra: Callable[[Any, Any], dict[str, Any]] | None = None
    per_page: int = 25
    extra_urls: list = field(default_factory=list)
    imports: ImportOptions | None = None
    # The text fields 建议代码 learns discipline and industry codes from (none: no suggestions).
    text_fields: Sequence[str] = ()
    # Whether the auditor's list of record changes offers this registry as a record type.
    audited: bool = True
    # A choice field the list page may set on many selected records at once (批量修改状态); only
    # where every value may follow any other (a need's status, not an agreement's stage, whose
    # every step needs its own date and evidence).
    batch_status: str = ""
    # The small forms of the detail page (record a contact, a step …): see yiti.core.actions.
    actions: Sequence["DetailAction"] = ()
    # The city-wide pool for viewing (yiti.core.access.restrict); None: strictly scoped.
    pool: Pool | None = None
    # Which actions each role may take on this registry's records (role → actions); None: the house's
    # yiti.core.access.ROLE_ACTIONS. Supervision tasks give organisation contacts nothing.
    role_actions: Mapping[str, frozenset[str]] | None = None
    # Narrows "change" and "delete" beyond the scope (yiti.core.access.restrict): user → the records they may
    # change, or None for no narrowing. A supervision task is changed by its assigning office only.
    write_rule: Callable[[Any], Q | None] | None = None
    # Other systems may create and change these records through the API (POST, PATCH), through the same form
    # as the page: the same validation, the same messages, the same scope check (yiti.core.api).
    api_writable: bool = False

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def model_name(self) -> str:
        return str(self.model._meta.model_name)

    @property
    def label(self) -> str:
        """The model's label, lower case: "needs.need"."""
        return self.model._meta.label_lower

    def url_name(self, view: str) -> str:
        return f"{self.app_label}:{self.model_name}_{view}"

    def queryset(self, user: Any, action: str = "view", pooled: bool = True) -> QuerySet:
        return (
            self.model._default_manager.restrict(user, action, pooled=pooled)  # type: ignore[attr-defined]
            .select_related(*self.select_related)
            .prefetch_related(*self.prefetch_related)
        )

    def list_filter_for(self, lookup: str) -> str | None:
        """The list filter that takes one related record by `lookup` ("#12"), if the filter set has one."""
        from yiti.core.filtersets import LookupFilter

        for name, found in self.filterset.base_filters.items():
            if isinstance(found, LookupFilter) and found.field_name == lookup:
                return name
        return None

    @property
    def title(self) -> Promise | str:
        """What the registry's records are called in the menu (人才, 企业需求)."""
        return self.menu.label if self.menu else (self.model._meta.verbose_name_plural or self.model_name)

    def title_under(self, lookup: str) -> Promise | str | None:
        """This registry's section title on the page of the record its field `lookup` points at; None: no section."""
        if lookup in self.related_titles:
            return self.related_titles[lookup]
        return self.title

    def related_sections(self) -> list[RelatedSection]:
        """The related lists of this registry's detail pages: the declared ones, or else one for every
        relation of another registry that points at this model, in `related_order` and then model order.

        The related registries are looked up when a page is built, so that registries never import
        each other."""
        by_label = registries_by_model()
        if self.related is not None:
            return [
                RelatedSection(rel.title or by_label[rel.model].title, by_label[rel.model], rel.lookup, rel.limit,
                               by_label[rel.model].list_filter_for(rel.lookup))
                for rel in self.related
            ]
        sections = []
        for rel in self.model._meta.related_objects:
            other = by_label.get(rel.related_model._meta.label_lower)
            if other is None:
                continue  # contacts, assignments, evidence: the registry's own template shows those
            title = other.title_under(rel.field.name)
            if title is not None:
                sections.append(RelatedSection(title, other, rel.field.name,
                                               list_filter=other.list_filter_for(rel.field.name)))
        first = list(self.related_order)
        sections.sort(key=lambda s: first.index(s.registry.label) if s.registry.label in first else len(first))
        return sections

    def urls(self) -> list:
        from yiti.core import extensions, views
        from yiti.core.plain_export import ObjectPlainExportView

        name = self.model_name
        return [
            path("", views.ObjectListView.as_view(registry=self), name=f"{name}_list"),
            path("add/", views.ObjectEditView.as_view(registry=self), name=f"{name}_add"),
            path("export/", views.ObjectExportView.as_view(registry=self), name=f"{name}_export"),
            path("export/plain/", ObjectPlainExportView.as_view(registry=self), name=f"{name}_export_plain"),
            path("batch/", views.ObjectBatchView.as_view(registry=self), name=f"{name}_batch"),
            *extensions.urls_for(self),  # 导入, 疑似重复, 建议代码 … (yiti.imports registers them)
            path("<int:pk>/", views.ObjectDetailView.as_view(registry=self), name=f"{name}_detail"),
            path("<int:pk>/edit/", views.ObjectEditView.as_view(registry=self), name=f"{name}_edit"),
            path("<int:pk>/delete/", views.ObjectDeleteView.as_view(registry=self), name=f"{name}_delete"),
            *(action.url(self) for action in self.actions),
            *self.extra_urls,
        ]


@cache
def registries() -> dict[str, Registry]:
    """Every registry by app label, in the order of INSTALLED_APPS: the `registry` declared in the views
    module of each yiti app that has one. Read on first use (views import models), then kept."""
    from django.apps import apps

    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("yiti.") or not module_has_submodule(config.module, "views"):
            continue
        declared = getattr(import_module(f"{config.name}.views"), "registry", None)
        if isinstance(declared, Registry):
            found[config.label] = declared
    return found


@cache
def registries_by_model() -> dict[str, Registry]:
    """Every registry by its model's label ("needs.need")."""
    return {registry.label: registry for registry in registries().values()}


def registry_of(model: type[Model]) -> Registry | None:
    return registries_by_model().get(model._meta.label_lower)


def registry_urls() -> list:
    """/<app label>/… for every registry, each in its app's namespace (talents:talent_list)."""
    return [path(f"{r.app_label}/", include((r.urls(), r.app_label))) for r in registries().values()]
