"""The one place every record query passes through: roles, data scope and object grants.

Views, exports, imports, lookups, the API and dashboard figures never use `Model.objects.all()`
for user-facing data; they call `Model.objects.restrict(user, action)`.

- The role says which actions a user may take on registry records at all (`ROLE_ACTIONS`, or the registry's
  own `Registry.role_actions`: organisation contacts have no access to supervision tasks).
- The scope says which records: office staff see their own department's records (those its
  members created), their county's, or the whole city's; an organisation contact sees their own
  organisation's; a leader sees everything, read-only. Each registry's declaration says where its
  records keep their division and organisation (`Registry.division_path`, `organisation_path`); a
  registry without them fails loudly rather than leaking.
- Object grants (`accounts.ObjectGrant`) add exceptions: these users may do these actions on the
  records matching these field lookups.
- The city-wide pool (issue 14) widens "view" only: a registry's declared `Registry.pool` (experts,
  research results, platforms, universities/institutes) and the rules features add through
  `yiti.core.extensions.add_visibility` (a need addressed to a university by a published matching item).
  Records seen only through the pool show their public fields; the reveal of personal data and the plain
  export work on the scope alone (`restrict(user, "view", pooled=False)`).
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models import Exists, F, Func, OuterRef, Q

from yiti.core.paging import DeepPagingMixin

ACTIONS = ("view", "add", "change", "delete")
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "staff": frozenset(ACTIONS),
    "org_contact": frozenset({"view", "add", "change"}),
    "leader": frozenset({"view"}),
    # The three administrator roles keep the system, not its records.
    "sysadmin": frozenset(),
    "secadmin": frozenset(),
    "auditor": frozenset(),
}


def role_actions(model: type[models.Model], role: str) -> frozenset[str]:
    """The actions `role` may take on the records of registry `model`: the registry's own table if it declares
    one, else ROLE_ACTIONS."""
    from yiti.core.registry import registry_of

    registry = registry_of(model)
    table = registry.role_actions if registry is not None and registry.role_actions is not None else ROLE_ACTIONS
    return table.get(role, frozenset())


def scope_paths(model: type[models.Model]) -> tuple[str, str] | None:
    """(division lookup, organisation lookup) of a registry's model, from its declaration; None for a
    model that is not a registry."""
    # Read at call time: the declarations live in the registries' views, which import this module.
    from yiti.core.registry import registry_of

    registry = registry_of(model)
    return (registry.division_path, registry.organisation_path) if registry is not None else None


def permission_name(model: type[models.Model], action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def is_registry(model: type[models.Model]) -> bool:
    """Whether `model` is a registry's (its records are scoped by role, not by Django permissions)."""
    return scope_paths(model) is not None


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def role_allows(user: Any, model: type[models.Model], action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if is_registry(model):
        return action in role_actions(model, getattr(user, "role", ""))
    return bool(user.has_perm(permission_name(model, action)))


def grants_q(user: Any, model: type[models.Model], action: str) -> Q | None:
    """The records object grants open to `user` for `action`, or None when there are none."""
    if not _active(user) or user.is_superuser or not hasattr(user, "grants") or not is_registry(model):
        return None
    # One query per request: the user object lives as long as the request.
    if not hasattr(user, "_yiti_grants"):
        user._yiti_grants = list(user.grants.select_related("content_type"))
    label = model._meta.label_lower
    conditions = [
        Q(**grant.constraints)
        for grant in user._yiti_grants
        if f"{grant.content_type.app_label}.{grant.content_type.model}" == label and action in grant.action_list()
    ]
    return reduce(or_, conditions) if conditions else None


def user_may(user: Any, model: type[models.Model], action: str) -> bool:
    """Whether `user` may take `action` on some records of `model` (the page-level check)."""
    return role_allows(user, model, action) or grants_q(user, model, action) is not None


def _division_ids(division_id: int) -> set[int]:
    from yiti.core.models import Division

    ids = {division_id}
    frontier = {division_id}
    while frontier:
        frontier = set(Division.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


def scope_q(user: Any, model: type[models.Model]) -> Q | None:
    """The records of `model` inside `user`'s scope; None means all of them."""
    role = getattr(user, "role", "")
    if user.is_superuser or role == "leader":
        return None
    paths = scope_paths(model)
    if paths is None or not all(paths):
        raise ImproperlyConfigured(f"{model._meta.label} declares no division and organisation path; "
                                   "its records cannot be scoped")
    division_path, organisation_path = paths
    if role == "org_contact":
        if not user.organisation_id:
            return Q(pk__in=[])
        return Q(**{organisation_path: user.organisation_id})
    if role == "staff":
        scope = getattr(user, "scope", "department")
        department = user.department
        if scope == "city":
            return None
        if department is None:
            return Q(pk__in=[])
        if scope == "county":
            # Asked several times a page (the list, its count, each related lookup): the tree is walked once per
            # request, on the user object that lives as long as the request.
            ids = getattr(user, "_yiti_division_ids", None)
            if ids is None:
                ids = user._yiti_division_ids = _division_ids(department.division_id)
            return Q(**{f"{division_path}__in": ids})
        return Q(created_by__department=department)
    return Q(pk__in=[])


def home_division(user: Any) -> Any:
    """The county of a county-scoped officer (their department's division), else None: what a new record of theirs
    belongs to when they do not say (the add form's default, an import file without the division column)."""
    if not _active(user) or getattr(user, "role", "") != "staff" or getattr(user, "scope", "") != "county":
        return None
    department = user.department
    return department.division if department is not None else None


EVERY = Q(pk__isnull=False)  # a pool of every record; never Q(), which an OR silently drops


def pool_q(user: Any, model: type[models.Model]) -> Q | None:
    """The records of `model` that `user` may view beyond their scope (the registry's city-wide pool and the
    features' visibility rules), or None when there are none. Only for users whose role may view."""
    from yiti.core import extensions
    from yiti.core.registry import registry_of

    registry = registry_of(model)
    parts = []
    if registry is not None and registry.pool is not None:
        if registry.pool.records is None:
            return EVERY
        parts.append(registry.pool.records())
    for rule in extensions.visibility_rules(model._meta.label_lower):
        found = rule(user)
        if found is not None:
            parts.append(found)
    return reduce(or_, parts) if parts else None


def restricted_among(model: type[models.Model], user: Any, action: str, pks: list, *, pooled: bool = True) -> Any:
    """The records among `pks` that `restrict(user, action, pooled=pooled)` holds; on SQLite each looked up by id and
    checked against it (a correlated EXISTS). Written `restrict(…).filter(pk__in=pks)`, SQLite, which has no
    statistics, may drive the query from the scope's foreign-key list instead — a county's 5,037 organisations ×
    the ids: 40 ms for a page's 25 needs, up to a second for 100 hits of 全库检索, against about 1 ms."""
    allowed = model._default_manager.restrict(user, action, pooled=pooled)  # type: ignore[attr-defined]
    among = model._default_manager.filter(pk__in=pks)
    if not allowed.query.where:
        return among  # every record (a city-wide officer): nothing to check
    if connection.vendor == "postgresql":
        # PostgreSQL's statistics already make the ids drive the plain form; the EXISTS it would turn into a semi-join
        # hashing every visible record (a county officer's 200,000 results): 146 → 239 ms for a search's hits.
        return allowed.filter(pk__in=pks)
    return among.filter(Exists(allowed.filter(pk=OuterRef("pk"))))


def scoped_pks(model: type[models.Model], user: Any, pks: list) -> set | None:
    """Which of `pks` (records `user` may view) lie inside the user's own scope — grants included, the pool
    not; None when all do (no query). The others are shown with their public fields only."""
    if not _active(user) or user.is_superuser:
        return None
    if role_allows(user, model, "view") and scope_q(user, model) is None:
        return None
    if not pks:
        return set()
    return set(restricted_among(model, user, "view", pks, pooled=False).values_list("pk", flat=True))


class AnyOf(Func):
    """`column = ANY('{1,2,…}'::bigint[])` (PostgreSQL): a list of ids written as one constant array. PostgreSQL
    plans it in 2 ms where `IN (%s, %s, …)` of 5,000 parameters takes 8 ms, and hashes it; the column goes through
    Django's compiler, so the condition survives being a subquery (a restricted queryset inside `pk__in`)."""

    output_field = models.BooleanField()

    def __init__(self, field: str, ids: Any) -> None:
        super().__init__(F(field))
        self.ids = [int(pk) for pk in ids]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY('{{{','.join(map(str, self.ids))}}}'::bigint[])", list(params)


def _without_join(model: type[models.Model], scope: Q, *, as_ids: bool = False) -> Q:
    """`scope` as a condition on `model`'s own columns when it follows a foreign key (a result's owner's division:
    `owner_id IN (SELECT id FROM orgs_organisation WHERE division_id IN …)`), so that ORed with a pool on the
    model's own indexed columns the database can answer each side from an index (SQLite: MULTI-INDEX OR) instead
    of joining every row. Other conditions are returned as they are."""
    if len(scope.children) != 1 or scope.negated or not isinstance(scope.children[0], tuple):
        return scope
    lookup, value = scope.children[0]
    first, _sep, rest = lookup.partition("__")
    if not rest or rest in ("in", "exact"):
        return scope
    try:
        field = model._meta.get_field(first)
    except Exception:
        return scope
    if not getattr(field, "many_to_one", False) or field.related_model is None:
        return scope
    related = field.related_model._default_manager.filter(**{rest: value}).order_by().values("pk")
    if as_ids and connection.vendor == "postgresql":
        # The ids themselves (a county's 5,000 organisations), when ORed with a pool on an index: PostgreSQL then
        # answers `enterprise_id = ANY(…)` from the foreign key's index and ORs it with the pool's (BitmapOr), where
        # a subquery ORed with the pool made it check every row of the table (a county officer's needs).
        return Q(AnyOf(first, related.values_list("pk", flat=True)))
    return Q(**{f"{first}__in": related})


def _declared_pool(model: type[models.Model]) -> Any:
    from yiti.core.registry import registry_of

    registry = registry_of(model)
    return registry.pool if registry is not None else None


def widened(user: Any, model: type[models.Model]) -> bool:
    """Whether `user`'s view of `model` is wider than their scope (a pool or a feature's rule applies): list
    pages then count at most CappedPaginator.COUNT_CAP rows, as for a keyword search."""
    if not role_allows(user, model, "view") or user.is_superuser or scope_q(user, model) is None:
        return False
    return pool_q(user, model) is not None


@dataclass(frozen=True)
class PooledScope:
    """What restrict() did when it ORed a city-wide pool into the scope, for the list's plans while no other
    condition is added (DeepPagingMixin.only_pooled_scope): how many conditions the query then had, the scope
    alone and the pool alone (each a subset of the list: with a broad pool, when either holds more than 10,000
    rows the capped count is known without checking the OR — paging.CappedPaginator), and whether the pool is
    broad and covered by an index (registry.Pool; search.keyword_filter)."""

    conditions: int
    scope: Q
    pool: Q
    broad: bool
    covered: bool = False


class RestrictedQuerySet(DeepPagingMixin):
    def restrict(self, user: Any, action: str = "view", *, pooled: bool = True) -> "RestrictedQuerySet":
        """The records `user` may perform `action` on. For "view", the city-wide pool is included unless
        `pooled` is False (the reveal of personal data and the plain export: the scope alone). "change" and
        "delete" are narrowed further by the registry's `write_rule`, if it has one."""
        found = self._restrict(user, action, pooled=pooled)
        if action in ("change", "delete") and not user.is_superuser:
            from yiti.core.registry import registry_of

            registry = registry_of(self.model)
            rule = registry.write_rule(user) if registry is not None and registry.write_rule else None
            if rule is not None:
                found = found.filter(rule)
        return found

    def _restrict(self, user: Any, action: str, *, pooled: bool) -> "RestrictedQuerySet":
        allowed = role_allows(user, self.model, action)
        if allowed and user.is_superuser:
            return self
        granted = grants_q(user, self.model, action)
        if not allowed and granted is None:
            return self.none()
        parts = []
        declared = None
        pooled_scope = None
        if allowed:
            own = scope_q(user, self.model)
            if own is None:
                return self
            # On the record's own foreign key: a page's 25 ids are then looked up by id and checked against the
            # scope's list (allowed_pks, scoped_pks), instead of joining the county's organisations first.
            scope = _without_join(self.model, own)
            if action == "view" and pooled:
                pool = pool_q(user, self.model)
                if pool is EVERY and granted is None:
                    return self
                if pool is not None:
                    declared = _declared_pool(self.model)
                    if declared is None or not declared.broad:
                        scope = _without_join(self.model, own, as_ids=True)
                    pooled_scope = (scope, pool)
                    # The pool first: SQLite checks an OR's terms in order and builds a subquery's list (a county's
                    # 27,209 talents, for its expert roles) only when a row needs it — when most rows are pooled,
                    # seldom or never.
                    scope = pool | scope
            parts.append(scope)
        if granted is not None:
            # A grant may follow a many-to-many field; keep each record once.
            return self.filter(pk__in=self.model._default_manager.filter(reduce(or_, [*parts, granted])).values("pk"))
        restricted = self.filter(parts[0])
        if pooled_scope is not None:
            broad = declared is not None and declared.broad
            covered = declared is not None and declared.covered
            restricted._pooled_scope = PooledScope(len(restricted.query.where.children), *pooled_scope, broad,
                                                   broad and covered)
        return restricted
