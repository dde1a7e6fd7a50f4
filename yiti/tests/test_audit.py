import datetime

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from yiti.accounts.audit import RETENTION_DAYS, RetentionError, purge_before
from yiti.tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_auditor_reads_the_log_and_nothing_else(world, client):
    client.force_login(world.users["auditor"])
    assert client.get(reverse("audit_changes")).status_code == 200
    assert client.get(reverse("audit_reveals")).status_code == 200
    assert client.get(reverse("needs:need_list")).status_code == 403
    need = world.a.records["needs.need"]
    assert client.post(reverse("needs:need_delete", args=[need.pk])).status_code == 403
    # Django's admin: can view log entries, cannot change users
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_system_administrator_manages_accounts_but_cannot_read_the_log(world, client):
    client.force_login(world.users["sysadmin"])
    assert client.get(reverse("audit_changes")).status_code == 403
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    # cannot give anyone a role: that is the security administrator's
    staff = world.users["county_staff_a"]
    page = client.get(reverse("admin:accounts_user_change", args=[staff.pk])).content.decode()
    assert 'name="role"' not in page


def test_security_administrator_sets_roles(world, client):
    client.force_login(world.users["secadmin"])
    page = client.get(reverse("admin:accounts_user_change", args=[world.users["leader"].pk])).content.decode()
    assert 'name="role"' in page and 'name="username"' not in page
    assert client.get(reverse("audit_changes")).status_code == 403


def test_changes_are_listed_with_actor_and_filters(world, admin_client):
    need = world.a.records["needs.need"]
    admin_client.post(reverse("needs:need_edit", args=[need.pk]), {
        "enterprise": need.enterprise.name, "need_type": "technology", "title": "改过的标题",
        "published_date": "2026-01-05", "status": "published"}, REMOTE_ADDR="10.9.8.7")
    response = admin_client.get(reverse("audit_changes") + "?actor=admin&action=1")
    rows = list(response.context["table"].page.object_list.data)
    assert rows and rows[0].object_repr == "改过的标题" and rows[0].remote_addr == "10.9.8.7"


def test_purge_refuses_records_younger_than_the_retention(db):
    today = datetime.date(2026, 11, 1)
    with pytest.raises(RetentionError):
        purge_before(today - datetime.timedelta(days=RETENTION_DAYS - 1), today=today)
    with pytest.raises(CommandError, match="180"):
        call_command("purge-audit", "--before", timezone.localdate().isoformat())


def test_purge_deletes_only_older_records(db):
    old = LogEntry.objects.create(content_type_id=1, object_pk="1", object_repr="old", action=0)
    LogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - datetime.timedelta(days=400))
    young = LogEntry.objects.create(content_type_id=1, object_pk="2", object_repr="young", action=0)
    cutoff = timezone.localdate() - datetime.timedelta(days=RETENTION_DAYS)
    purge_before(cutoff)
    assert not LogEntry.objects.filter(pk=old.pk).exists() and LogEntry.objects.filter(pk=young.pk).exists()
