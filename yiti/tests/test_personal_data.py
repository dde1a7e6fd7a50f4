import csv
import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from yiti.accounts.models import RevealEvent
from yiti.accounts.testing import make_user
from yiti.talents.testing import make_talent
from yiti.tests.world import MARKER_B, build_world


@pytest.fixture
def world(db):
    return build_world()


def export_rows(client, fmt, query=""):
    response = client.get(reverse("talents:talent_export") + f"?format={fmt}&{query}")
    assert response.status_code == 200
    if fmt == "csv":
        text = b"".join(response.streaming_content).decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_masked_scoped_and_logged(world, client, fmt):
    client.force_login(world.users["county_staff_a"])
    rows = export_rows(client, fmt)
    flat = "\n".join(",".join(map(str, r)) for r in rows)
    assert "手机号码" in rows[0] and "139****5678" in flat
    assert "13912345678" not in flat and world.a.records["talents.talent"].id_number not in flat
    assert MARKER_B not in flat  # the other county's talent is not exported
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.actor == world.users["county_staff_a"] and entry.additional_data["export"] == fmt


def test_export_follows_the_filter(world, client):
    client.force_login(world.users["leader"])
    rows = export_rows(client, "csv", "q=甲县专属张工")
    assert len(rows) == 2 and "甲县专属张工" in rows[1]


def test_export_masked_even_for_a_user_who_may_reveal(world, client):
    # 明文导出 is a separate action with a reason (test_plain_export.py)
    user = make_user("revealer", "staff", scope="city", may_reveal_personal_data=True)
    client.force_login(user)
    flat = str(export_rows(client, "csv"))
    assert "139****5678" in flat and "13912345678" not in flat


def test_export_neutralises_spreadsheet_formulas(db, admin_client):
    make_talent(name="=HYPERLINK(\"http://x\")", expertise="@SUM(A1)")
    rows = export_rows(admin_client, "xlsx")
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"


def test_unknown_export_format_is_refused(admin_client, db):
    response = admin_client.get(reverse("talents:talent_export") + "?format=pdf")
    assert response.status_code == 400 and "csv" in response.content.decode()


def test_reveal_shows_the_value_and_is_logged(world, client):
    user = make_user("revealer", "staff", scope="city", may_reveal_personal_data=True)
    talent = world.a.records["talents.talent"]
    client.force_login(user)
    detail = client.get(talent.get_absolute_url()).content.decode()
    assert "139****5678" in detail and "13912345678" not in detail
    url = reverse("reveal", args=["talents.talent", talent.pk, "mobile"])
    response = client.post(url, HTTP_HX_REQUEST="true", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200 and "13912345678" in response.content.decode()
    event = RevealEvent.objects.get()
    assert (event.user, event.object_id, event.field, event.remote_addr) == (user, talent.pk, "mobile", "10.1.2.3")


def test_reveal_refused_without_the_permission_or_outside_the_scope(world, client):
    talent_b = world.b.records["talents.talent"]
    client.force_login(world.users["county_staff_a"])  # may not reveal at all
    url = reverse("reveal", args=["talents.talent", talent_b.pk, "mobile"])
    assert client.post(url).status_code == 403
    revealer = make_user("revealer", "staff", scope="county", department=world.a.department,
                         may_reveal_personal_data=True)
    client.force_login(revealer)
    assert client.post(url).status_code == 404  # county B's talent is outside their scope
    assert client.post(reverse("reveal", args=["talents.talent", world.a.records["talents.talent"].pk,
                                               "name"])).status_code == 404  # not a personal-data field
    assert not RevealEvent.objects.exists()


def test_reveal_needs_post(world, client):
    client.force_login(make_user("revealer", "staff", scope="city", may_reveal_personal_data=True))
    talent = world.a.records["talents.talent"]
    assert client.get(reverse("reveal", args=["talents.talent", talent.pk, "mobile"])).status_code == 405


def test_stored_script_is_escaped(db, admin_client):
    talent = make_talent(name="<script>alert(1)</script>", expertise="<img src=x onerror=alert(2)>")
    html = admin_client.get(talent.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html
