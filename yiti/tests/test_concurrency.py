"""Issue 12 item 31: an edit based on an old version is refused with the other changes shown."""

import contextlib
import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from yiti.accounts.models import Department, Role, Scope, User
from yiti.agreements.testing import make_agreement
from yiti.core import testing
from yiti.core.concurrency import VERSION_FIELD
from yiti.experts.testing import make_expert_role
from yiti.needs.models import Need
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_org
from yiti.platforms.testing import make_platform
from yiti.results.testing import make_result
from yiti.talents.testing import make_talent


def need_form_data(need, **changes):
    data = {"enterprise": need.enterprise.name, "need_type": need.need_type, "title": need.title,
            "description": "原始描述", "industry": need.industry_id, "status": need.status,
            "published_date": need.published_date.isoformat()}
    data.update(changes)
    return data


def loaded_version(client, need) -> str:
    form = client.get(reverse("needs:need_edit", args=[need.pk])).context["form"]
    return form[VERSION_FIELD].value()


def named_staff(username="wang") -> User:
    department = Department.objects.create(name="榆次区科技局", kind="office", division=testing.county())
    return User.objects.create_user(username, password="Zs-2026-x!", role=Role.STAFF, scope=Scope.CITY,
                                    department=department, last_name="王", first_name="芳")


@pytest.mark.django_db
def test_second_save_from_the_same_version_is_refused_with_the_other_changes(admin_client):
    # given: two editors who opened the same version of a need
    need = make_need(title="铸件气孔缺陷控制", description="原始描述")
    other = Client()
    other.force_login(named_staff())
    version_a, version_b = loaded_version(admin_client, need), loaded_version(other, need)
    assert version_a == version_b and version_a

    # when: the other editor saves first, then the first editor saves from the old version
    first = other.post(reverse("needs:need_edit", args=[need.pk]),
                       {**need_form_data(need, title="铸件气孔缺陷控制（修订）", status="in_talks"),
                        VERSION_FIELD: version_b})
    assert first.status_code == 302
    second = admin_client.post(reverse("needs:need_edit", args=[need.pk]),
                               {**need_form_data(need, description="我输入的新描述"), VERSION_FIELD: version_a})

    # then: refused, nothing overwritten, the user's input kept, the other changes shown with who
    assert second.status_code == 200
    body = second.content.decode()
    assert "该记录已被他人修改" in body
    need.refresh_from_db()
    assert need.title == "铸件气孔缺陷控制（修订）" and need.description == "原始描述"
    assert "我输入的新描述" in body
    conflict = second.context["conflict"]
    labels = [c["label"] for row in conflict for c in row["changes"]]
    assert labels == [str(Need._meta.get_field(n).verbose_name) for n in ("title", "status")]
    assert "铸件气孔缺陷控制（修订）" in body and "洽谈中" in body
    assert "王芳（榆次区科技局）" in body

    # and a second, deliberate save from the version the refusal carries goes through
    form = second.context["form"]
    again = admin_client.post(reverse("needs:need_edit", args=[need.pk]),
                              {**need_form_data(need, description="我输入的新描述"),
                               VERSION_FIELD: form[VERSION_FIELD].value()})
    assert again.status_code == 302
    need.refresh_from_db()
    assert need.description == "我输入的新描述"


@pytest.mark.django_db
def test_a_save_from_the_current_version_passes_and_moves_the_version(admin_client):
    need = make_need()
    version = loaded_version(admin_client, need)
    response = admin_client.post(reverse("needs:need_edit", args=[need.pk]),
                                 {**need_form_data(need, status="matched"), VERSION_FIELD: version})
    assert response.status_code == 302
    assert loaded_version(admin_client, need) != version


@pytest.mark.django_db
def test_every_registry_edit_form_carries_the_version(admin_client):
    makers = [make_org, make_talent, make_need, make_result, make_platform,
              make_agreement, make_expert_role]
    for make in makers:
        record = make()
        meta = record._meta
        response = admin_client.get(reverse(f"{meta.app_label}:{meta.model_name}_edit", args=[record.pk]))
        assert f'name="{VERSION_FIELD}"' in response.content.decode(), meta.label
        assert f'type="hidden" name="{VERSION_FIELD}"' in response.content.decode(), meta.label


@contextlib.contextmanager
def threads_share_a_database_file(path):
    """Run the enclosed threads on a file copy of the test database.

    The in-memory test database's shared cache answers a second writer "table is locked" at once,
    where a real (file) database waits for the lock: the copy makes the race the one production has.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield None
        return
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    # WAL already, as a served database is after its first connection: eight connections opening a fresh file at
    # once would each try to switch it (the init_command), and a switch that meets another answers "database is
    # locked" at once instead of waiting
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    settings_dict = connections.settings["default"]  # the dict new (per-thread) connections are made from
    old_name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield path
    finally:
        settings_dict["NAME"] = old_name


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_from_one_version_let_exactly_one_through(django_user_model, tmp_path):
    # given: eight editors who loaded the same version of a need
    need = make_need(description="原始描述")
    admin = django_user_model.objects.create_superuser("racer", password="Pw-123456x")
    clients = []
    for _ in range(8):
        client = Client()
        client.force_login(admin)
        clients.append(client)
    version = loaded_version(clients[0], need)
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []
    bodies: list[str] = []

    def save(n: int) -> None:
        try:
            barrier.wait()
            response = clients[n].post(reverse("needs:need_edit", args=[need.pk]),
                                       {**need_form_data(need, description=f"编辑者{n}"), VERSION_FIELD: version})
            codes.append(response.status_code)
            bodies.append(response.content.decode())
        finally:
            connections.close_all()

    # when: they all save at once
    with threads_share_a_database_file(tmp_path / "race.sqlite3") as path:
        threads = [threading.Thread(target=save, args=(n,)) for n in range(len(clients))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    # then: one save went through, every other was refused and told why
    assert sorted(codes) == [200] * (len(clients) - 1) + [302]
    assert sum("该记录已被他人修改" in body for body in bodies) == len(clients) - 1
    if path is not None:
        with sqlite3.connect(path) as db:
            (description,) = db.execute("SELECT description FROM needs_need WHERE id = ?", [need.pk]).fetchone()
        assert description.startswith("编辑者")
