"""`Talent.in_pool` and `ExpertRole.in_pool` (yiti/experts/pool.py): after every way of writing talents and expert
roles — the edit form, 批量修改状态, a bulk update, bulk and compiled inserts (imports), deletes, a merge, a stale
instance saved — the flags equal the pool's rule, read from the rows themselves."""

import csv

import pytest
from django.db import connection
from django.urls import reverse

from yiti.core.registry import registries
from yiti.core.testing import form_values
from yiti.experts import pool
from yiti.experts.choices import RoleStatus
from yiti.experts.models import ExpertRole
from yiti.experts.testing import make_expert_role
from yiti.imports import merge, services
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db
ACTIVE, ENDED = RoleStatus.ACTIVE, RoleStatus.ENDED


def assert_flags_follow_the_rule() -> None:
    experts = set(Talent.objects.filter(profile_public=True, roles__status=ACTIVE).values_list("pk", flat=True))
    roles = set(ExpertRole.objects.filter(status=ACTIVE, talent__profile_public=True).values_list("pk", flat=True))
    assert set(Talent.objects.filter(in_pool=True).values_list("pk", flat=True)) == experts
    assert set(ExpertRole.objects.filter(in_pool=True).values_list("pk", flat=True)) == roles


def flag(obj) -> bool:
    return type(obj).objects.filter(pk=obj.pk).values_list("in_pool", flat=True).get()


def test_a_role_added_ended_and_deleted_through_the_models():
    talent = make_talent()
    assert not flag(talent)
    role = make_expert_role(talent=talent)
    assert flag(talent) and flag(role)
    second = make_expert_role(talent=talent, role="consulting")
    role.status = ENDED
    role.save()
    assert flag(talent) and not flag(role) and flag(second)  # still an expert through the second role
    second.delete()
    assert not flag(talent)
    role.status = ACTIVE
    role.save(update_fields=["status"])
    assert flag(talent) and flag(role)
    assert_flags_follow_the_rule()


def test_a_profile_made_private_and_public_again():
    role = make_expert_role()
    talent = role.talent
    talent.profile_public = False
    talent.save()
    assert not flag(talent) and not flag(role)
    Talent.objects.filter(pk=talent.pk).update(profile_public=True)  # a bulk update
    assert flag(talent) and flag(role)
    assert_flags_follow_the_rule()


def test_bulk_updates_and_bulk_inserts():
    talents = Talent.objects.bulk_create([Talent(name=f"专家{i}") for i in range(4)])
    roles = ExpertRole.objects.bulk_create([ExpertRole(talent=t, role="commissioner") for t in talents])
    assert all(flag(t) for t in talents) and all(flag(r) for r in roles)
    ExpertRole.objects.filter(pk__in=[r.pk for r in roles[:2]]).update(status=ENDED)
    Talent.objects.filter(pk=talents[3].pk).update(profile_public=False)
    assert [flag(t) for t in talents] == [False, False, True, False]
    assert [flag(r) for r in roles] == [False, False, True, False]
    ExpertRole.objects.filter(pk=roles[3].pk).delete()
    Talent.objects.filter(pk=talents[3].pk).update(profile_public=True)
    assert not flag(talents[3])  # public again, but no longer an expert
    assert_flags_follow_the_rule()


def test_a_stale_instance_saved_does_not_undo_the_flag():
    # Django writes every column: a talent loaded before its first role was added still says in_pool=False.
    talent = make_talent()
    stale = Talent.objects.get(pk=talent.pk)
    role = make_expert_role(talent=talent)
    stale.position = "教授"
    stale.save()
    assert flag(talent)
    stale_role = ExpertRole.objects.get(pk=role.pk)
    Talent.objects.filter(pk=talent.pk).update(profile_public=False)
    stale_role.capacity = 3
    stale_role.save()  # the instance still says in_pool=True
    assert not flag(role)
    assert_flags_follow_the_rule()


def test_a_role_moved_to_another_talent_by_a_merge(admin_user):
    survivor = make_talent(name="李明")
    other = make_talent(name="李 明")
    role = make_expert_role(talent=other)
    merge.merge(registries()["talents"], admin_user, Talent.objects.get(pk=survivor.pk), other, set())
    role.refresh_from_db()
    assert role.talent_id == survivor.pk and flag(survivor) and flag(role)
    assert_flags_follow_the_rule()


def test_the_edit_form_and_the_batch_status_change(admin_client):
    roles = [make_expert_role(), make_expert_role()]
    url = reverse("experts:expertrole_edit", args=[roles[0].pk])
    data = form_values(admin_client.get(url).content.decode())
    data["status"] = [ENDED.value]
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert not flag(roles[0]) and not flag(roles[0].talent)
    response = admin_client.post(reverse("experts:expertrole_batch"),
                                 {"action": "status", "status": ENDED.value, "pk": [roles[1].pk]})
    assert response.status_code == 302
    assert not flag(roles[1]) and not flag(roles[1].talent)
    response = admin_client.post(reverse("experts:expertrole_batch"),
                                 {"action": "status", "status": ACTIVE.value, "pk": [r.pk for r in roles]})
    assert all(flag(r) and flag(r.talent) for r in roles)
    assert_flags_follow_the_rule()


def test_an_import_of_expert_roles(admin_user, tmp_path):
    # The import writes with compiled INSERT statements (no save(), no signals).
    talents = [make_talent(name="赵一"), make_talent(name="赵二")]
    registry = registries()["experts"]
    path = tmp_path / "roles.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([["人才", "专家类型", "状态"],
                                      ["赵一", "科技特派员", "在任"],
                                      ["赵二", "科技特派员", "已结束"]])
    counts, plan, _table = services.import_file(registry, path, admin_user, {})
    assert counts["created"] == 2, [row.errors for row in plan.rows]
    assert [flag(t) for t in talents] == [True, False]
    assert_flags_follow_the_rule()


def test_flags_written_while_the_triggers_were_away_are_caught_up_after_migrate():
    # A migration runs without the triggers (pool.drop_triggers, pre_migrate); post_migrate recomputes every row.
    role = make_expert_role()
    pool.drop_triggers()
    try:
        other = make_expert_role()
        ExpertRole.objects.filter(pk=role.pk).update(status=ENDED)
        assert not flag(other) and flag(role.talent)  # wrong while the triggers are away
    finally:
        pool.install()
    assert flag(other) and flag(other.talent) and not flag(role.talent) and not flag(role)
    assert_flags_follow_the_rule()


def test_the_triggers_are_back_after_migrate():
    names = set(pool.TRIGGERS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    expected = names if connection.vendor == "postgresql" else names - {"talent_pool_roles", "expertrole_pool_row"}
    assert expected <= present
