"""`Talent.in_pool` and `ExpertRole.in_pool`: whether a talent or an expert role is in the city-wide pool
(docs/access.md) — a talent holding an active expert role, whose profile is public; an active role of such a
talent — kept by the database itself.

restrict() reads the pool on every list page of talents and expert roles; as one column of the row it is one
condition, where the rule itself is a list built for each query (every active expert; the 不公开 talents). The
flags are derived from two tables, so they are kept by triggers rather than by the code that writes them: a role
added, ended, moved to another talent (a merge) or deleted, and a profile made 不公开, update them whatever wrote
them — a form, the API, 批量修改状态, an import's compiled INSERTs, a merge, a bulk `QuerySet.update()`, raw SQL,
the demo generator. A talent or role saved from a stale instance (Django writes every column) has its flag
recomputed on the way in, so a stale value never sticks.

The triggers live outside the migrations: SQLite rebuilds a table for many column changes (drop, then rename
the copy), and a trigger on one of the two tables that names the other makes that rename fail. So they are
dropped before every `migrate` and created again after it, and the flags are then recomputed for every row
(rows written while they were away are caught up; two UPDATEs, a few seconds at scale 100).
"""

from typing import Any

from django.db import connection

from yiti.experts.choices import RoleStatus

TALENTS = "talents_talent"
ROLES = "experts_expertrole"
TRIGGERS = {  # name → table it is on
    "talent_pool_ins": TALENTS,
    "talent_pool_upd": TALENTS,
    "talent_pool_roles": TALENTS,
    "expertrole_pool_ins": ROLES,
    "expertrole_pool_upd": ROLES,
    "expertrole_pool_del": ROLES,
    "expertrole_pool_row": ROLES,
}
ACTIVE = RoleStatus.ACTIVE.value


def talent_rule(t: str) -> str:
    """SQL: whether the talent row `t` belongs in the pool — the rule talents.services.pooled_experts stood for
    before the flag: a public profile and an active expert role."""
    return f"({t}.profile_public AND EXISTS (SELECT 1 FROM {ROLES} r WHERE r.talent_id = {t}.id AND r.status = '{ACTIVE}'))"


def role_rule(r: str) -> str:
    """SQL: whether the expert role row `r` belongs in the pool: active, and its talent's profile public."""
    return f"({r}.status = '{ACTIVE}' AND EXISTS (SELECT 1 FROM {TALENTS} t WHERE t.id = {r}.talent_id AND t.profile_public))"


def _refresh(table: str, rule: Any, where: str) -> str:
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return f"UPDATE {table} SET in_pool = {rule(table)} WHERE ({where}) AND in_pool {distinct} {rule(table)}"


def refresh_talents(where: str) -> str:
    """SQL setting the flag of the talents selected by `where`, writing only those that change."""
    return _refresh(TALENTS, talent_rule, where)


def refresh_roles(where: str) -> str:
    """SQL setting the flag of the expert roles selected by `where`, writing only those that change."""
    return _refresh(ROLES, role_rule, where)


def refresh_all() -> None:
    """Recompute every flag (after the triggers were away: a migration, a restore)."""
    everything = "TRUE" if connection.vendor == "postgresql" else "1"
    with connection.cursor() as cursor:
        cursor.execute(refresh_roles(everything))
        cursor.execute(refresh_talents(everything))


def _tables_ready() -> bool:
    tables = set(connection.introspection.table_names())
    if not {TALENTS, ROLES} <= tables:
        return False
    with connection.cursor() as cursor:
        return all("in_pool" in {c.name for c in connection.introspection.get_table_description(cursor, table)}
                   for table in (TALENTS, ROLES))


def drop_triggers(**kwargs: Any) -> None:
    """pre_migrate: out of the way of the migrations' table rebuilds (see the module's docstring)."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for name, table in TRIGGERS.items():
            if table in tables:
                on = f" ON {table}" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def install(**kwargs: Any) -> None:
    """post_migrate: (re)create the triggers and recompute every flag."""
    if not _tables_ready():
        return
    drop_triggers()
    with connection.cursor() as cursor:
        for statement in _postgres() if connection.vendor == "postgresql" else _sqlite():
            cursor.execute(statement)
    refresh_all()


def _sqlite() -> list[str]:
    # AFTER triggers (SQLite's BEFORE triggers cannot change the row being written). Each writes only flags that are
    # wrong, and a trigger does not fire itself again (recursive triggers are off), so the chain ends.
    def trigger(name: str, event: str, table: str, *statements: str) -> str:
        return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {'; '.join(statements)}; END"

    return [
        trigger("talent_pool_ins", "INSERT", TALENTS, refresh_talents("id = new.id")),
        trigger("talent_pool_upd", "UPDATE OF profile_public, in_pool", TALENTS, refresh_talents("id = new.id"),
                refresh_roles("talent_id = new.id")),
        trigger("expertrole_pool_ins", "INSERT", ROLES, refresh_roles("id = new.id"),
                refresh_talents("id = new.talent_id")),
        trigger("expertrole_pool_upd", "UPDATE OF status, talent_id, in_pool", ROLES, refresh_roles("id = new.id"),
                refresh_talents("id IN (old.talent_id, new.talent_id)")),
        trigger("expertrole_pool_del", "DELETE", ROLES, refresh_talents("id = old.talent_id")),
    ]


def _postgres() -> list[str]:
    # BEFORE triggers set the flag on the row being written; AFTER triggers carry a change to the other table.
    def function(name: str, body: str) -> str:
        return f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"

    def trigger(name: str, when: str, event: str, table: str, func: str) -> str:
        return f"CREATE TRIGGER {name} {when} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {func}()"

    return [
        function("talent_pool_flag", f"NEW.in_pool := {talent_rule('NEW')}; RETURN NEW;"),
        function("talent_pool_roles", f"{refresh_roles('talent_id = NEW.id')}; RETURN NULL;"),
        function("expertrole_pool_flag", f"NEW.in_pool := {role_rule('NEW')}; RETURN NEW;"),
        function("expertrole_pool_talents", f"""
            IF TG_OP = 'INSERT' THEN {refresh_talents('id = NEW.talent_id')};
            ELSIF TG_OP = 'UPDATE' THEN {refresh_talents('id IN (OLD.talent_id, NEW.talent_id)')};
            ELSE {refresh_talents('id = OLD.talent_id')};
            END IF;
            RETURN NULL;"""),
        trigger("talent_pool_ins", "BEFORE", "INSERT", TALENTS, "talent_pool_flag"),
        trigger("talent_pool_upd", "BEFORE", "UPDATE OF profile_public, in_pool", TALENTS, "talent_pool_flag"),
        trigger("talent_pool_roles", "AFTER", "UPDATE OF profile_public", TALENTS, "talent_pool_roles"),
        trigger("expertrole_pool_row", "BEFORE", "INSERT OR UPDATE OF status, talent_id, in_pool", ROLES,
                "expertrole_pool_flag"),
        trigger("expertrole_pool_ins", "AFTER", "INSERT", ROLES, "expertrole_pool_talents"),
        trigger("expertrole_pool_upd", "AFTER", "UPDATE OF status, talent_id", ROLES, "expertrole_pool_talents"),
        trigger("expertrole_pool_del", "AFTER", "DELETE", ROLES, "expertrole_pool_talents"),
    ]
