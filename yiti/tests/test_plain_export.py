"""Exports are masked for everyone; 明文导出 is a separate action for roles that may reveal: it asks for a
reason, is limited in rows per user per day, and is logged with the reason, the filter and the row count."""

import csv
import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from yiti.accounts.testing import make_user
from yiti.core.testing import form_values
from yiti.security.models import AuthEvent
from yiti.tests.world import build_world

PLAIN_URL = "talents:talent_export_plain"
MOBILE = "13912345678"  # the mobile of both counties' talents in build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def revealer(world):
    return make_user("revealer", "staff", scope="city", may_reveal_personal_data=True)


def file_text(response) -> str:
    if response["Content-Type"].startswith("text/csv"):
        return b"".join(response.streaming_content).decode("utf-8")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(",".join("" if c is None else str(c) for c in row) for row in sheet.iter_rows(values_only=True))


def plain_entries():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__plain=True)


def post_plain(client, query="", **data):
    return client.post(reverse(PLAIN_URL) + (f"?{query}" if query else ""), {"format": "csv", **data})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_ordinary_export_is_masked_for_a_user_who_may_reveal(world, client, revealer, fmt):
    client.force_login(revealer)
    text = file_text(client.get(reverse("talents:talent_export") + f"?format={fmt}"))
    assert "139****5678" in text and MOBILE not in text
    assert world.a.records["talents.talent"].id_number not in text
    assert not plain_entries().exists()


def test_the_list_offers_plain_export_only_to_users_who_may_reveal(world, client, revealer):
    url = reverse(PLAIN_URL)
    client.force_login(world.users["county_staff_a"])
    assert url not in client.get(reverse("talents:talent_list")).content.decode()
    client.force_login(revealer)
    assert url in client.get(reverse("talents:talent_list") + "?q=x").content.decode()


def test_a_user_who_may_not_reveal_is_refused_and_the_refusal_logged(world, client):
    client.force_login(world.users["county_staff_a"])
    assert client.get(reverse(PLAIN_URL)).status_code == 403
    assert post_plain(client, reason="上级要求").status_code == 403
    assert AuthEvent.objects.filter(event="access_denied", detail__contains="plain export").count() == 2
    assert not plain_entries().exists()


def test_the_page_names_the_filter_the_rows_and_the_rows_left(world, client, revealer):
    client.force_login(revealer)
    html = client.get(reverse(PLAIN_URL) + "?q=甲县专属张工").content.decode()
    assert "甲县专属张工" in html and 'id="plain-export-count">1<' in html and "5000" in html
    assert form_values(html)["format"] == ["xlsx"]


def test_a_reason_is_required(world, client, revealer):
    client.force_login(revealer)
    response = post_plain(client, reason="   ")
    assert response.status_code == 200 and "原因" in response.content.decode()
    assert response["Content-Type"].startswith("text/html") and not plain_entries().exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_plain_export_shows_the_values_and_is_logged_with_reason_filter_and_rows(world, client, revealer, fmt):
    client.force_login(revealer)
    response = post_plain(client, "q=甲县专属张工", reason="省厅人才普查核对", format=fmt)
    text = file_text(response)
    assert MOBILE in text and world.a.records["talents.talent"].id_number in text
    assert world.b.records["talents.talent"].id_number not in text  # the filter holds
    entry = plain_entries().get()
    assert entry.actor == revealer and entry.additional_data["reason"] == "省厅人才普查核对"
    assert entry.additional_data["rows"] == 1 and entry.additional_data["export"] == fmt
    assert "q=" in entry.additional_data["filters"] and "省厅人才普查核对" in entry.object_repr


def test_beyond_the_rows_per_day_it_refuses_and_says_how_many_rows_remain(world, client, revealer, settings):
    settings.YITI_PLAIN_EXPORT_ROWS_PER_DAY = 3
    client.force_login(revealer)
    # both counties' 张工 (2 rows) fit; 1 row is left
    assert post_plain(client, "q=张工", reason="核对").status_code == 200 and plain_entries().count() == 1
    # when the same two rows are asked again
    page = client.get(reverse(PLAIN_URL) + "?q=张工").content.decode()
    response = post_plain(client, "q=张工", reason="再次核对")
    # then it is refused before and after the reason, in Chinese, with the rows left
    html = response.content.decode()
    assert "今天" in page and "disabled" in page
    assert response["Content-Type"].startswith("text/html") and MOBILE not in html
    assert "2" in html and "仅剩 1 行" in html and plain_entries().count() == 1
    # a narrower filter still fits
    assert MOBILE in file_text(post_plain(client, "q=甲县专属张工", reason="核对甲县"))
    assert "仅剩 0 行" in post_plain(client, "q=甲县专属张工", reason="再次核对甲县").content.decode()


def test_yesterdays_plain_exports_do_not_count_today(world, client, revealer, settings):
    settings.YITI_PLAIN_EXPORT_ROWS_PER_DAY = 2
    client.force_login(revealer)
    post_plain(client, "q=张工", reason="核对")
    plain_entries().update(timestamp=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert MOBILE in file_text(post_plain(client, "q=张工", reason="核对"))


def test_the_command_line_export_is_masked_and_plain_only_with_a_reason(world, revealer, tmp_path):
    path = tmp_path / "talents.csv"
    call_command("export", "talents", str(path), "--user", "revealer")
    assert MOBILE not in path.read_text(encoding="utf-8-sig")
    call_command("export", "talents", str(path), "--user", "revealer", "--plain-reason", "备份核对")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert MOBILE in str(rows) and plain_entries().get().additional_data["reason"] == "备份核对"
    with pytest.raises(CommandError):
        call_command("export", "talents", str(path), "--user", "staff_a", "--plain-reason", "想看")


def test_the_page_names_a_chosen_record_and_a_choice_in_words(world, client, revealer):
    enterprise = world.a.enterprise
    client.force_login(revealer)
    html = client.get(reverse("needs:need_export_plain") + f"?enterprise=%23{enterprise.pk}&status=published").content.decode()
    assert f"企业：{enterprise.name}<" in html and "状态：已发布" in html
