import base64
import datetime

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from yiti.agreements.models import Agreement
from yiti.core import crypto
from yiti.core.validators import clean_id_number, not_in_future
from yiti.demo.generate import generate
from yiti.needs.models import Need
from yiti.orgs.models import Organisation
from yiti.results.models import Result
from yiti.talents.models import Talent

TODAY = datetime.date(2026, 11, 1)


@pytest.mark.django_db
def test_generated_records_are_valid_and_plausible():
    counts = generate(scale=0.05, seed=7, today=TODAY)
    assert counts["talents"] == 150 and counts["needs"] == 40 and counts["results"] == 100
    # every generated record passes the same validation as a typed-in one
    for model in (Organisation, Talent, Need, Result, Agreement):
        for record in model.objects.all()[:60]:
            record.full_clean()
    # real universities of Jinzhong are present by name
    assert Organisation.objects.filter(name="山西农业大学", division__name="太谷区").exists()
    # needs read like needs: Chinese titles with keywords and an industry
    need = Need.objects.select_related("industry").first()
    assert need.industry is not None and len(need.title) >= 6 and "{" not in need.description
    # one need or result in twelve lacks its discipline, as imported lists do, for 建议代码 to fill in
    assert Need.objects.filter(discipline__isnull=True).count() == 40 // 12
    assert Result.objects.filter(discipline__isnull=True).count() == 100 // 12
    # agreements carry evidence up to their status, dated in order
    for agreement in Agreement.objects.prefetch_related("evidence"):
        dates = [e.date for e in agreement.evidence.all()]
        assert dates == sorted(dates) and dates[0] == agreement.signed_date
        assert agreement.evidence.all()[len(dates) - 1].step == agreement.status


@pytest.mark.django_db
def test_generation_is_deterministic():
    generate(scale=0.02, seed=3, today=TODAY)
    first = list(Need.objects.order_by("pk").values_list("title", "enterprise__name"))
    for model in (Agreement, Result, Need):
        model.objects.all().delete()
    from yiti.experts.models import ExpertRole

    ExpertRole.objects.all().delete()
    from yiti.platforms.models import Platform

    Platform.objects.all().delete()
    from yiti.dashboard.models import Target

    Target.objects.all().delete()
    from yiti.pairing.models import Pairing

    Pairing.objects.all().delete()
    from yiti.activities.fairs.models import Position
    from yiti.activities.models import Event

    Position.objects.all().delete()
    Event.objects.all().delete()
    from yiti.policies.models import Benefit, Policy

    Benefit.objects.all().delete()
    Policy.objects.all().delete()
    Talent.objects.all().delete()
    Organisation.objects.all().delete()
    generate(scale=0.02, seed=3, today=TODAY)
    assert list(Need.objects.order_by("pk").values_list("title", "enterprise__name")) == first


@pytest.mark.django_db
def test_command_refuses_a_database_with_records_and_ui_labels_demo_data(admin_client, tmp_path, monkeypatch):
    monkeypatch.setenv("YITI_DEMO_ACCOUNTS", str(tmp_path / "accounts.json"))  # not the working directory's
    call_command("demo-data", scale=0.02)
    with pytest.raises(CommandError):
        call_command("demo-data", scale=0.02)
    call_command("demo-data", scale=0.02, if_empty=True)  # `make demo` run twice
    assert "演示数据" in admin_client.get("/").content.decode()


@pytest.mark.django_db
def test_generated_names_are_unique_without_visible_counters():
    import re

    from yiti.platforms.choices import PlatformType
    from yiti.platforms.models import Platform

    generate(scale=1, seed=11, today=TODAY)
    platforms = list(Platform.objects.values_list("name", flat=True))
    names = platforms + list(Organisation.objects.values_list("name", flat=True))
    assert not [n for n in names if re.search(r"[（(]\d+[)）]", n)], "names carry “(2888)”-style counters"
    assert len(set(platforms)) == len(platforms) == 120
    # names read like real ones: the host's name or a field, then the platform type
    assert all(any(n.endswith(str(label)) for label in PlatformType.labels) for n in platforms)


def test_demo_data_has_no_past_only_date_after_today(db):
    today = timezone.localdate()
    generate(scale=0.05, seed=7, today=today)
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not_in_future in field.validators:
                late = model._default_manager.filter(**{f"{field.name}__gt": today}).count()
                assert late == 0, f"{late} demo {model.__name__}.{field.name} after today: they could not be re-saved"


@pytest.fixture
def _known_key(monkeypatch):
    """A known data key, and the key cache left clean for the rest of the suite."""
    monkeypatch.setenv(crypto.KEY_ENV, base64.b64encode(bytes([7]) * 32).decode())
    monkeypatch.delenv(crypto.REQUIRE_ENV, raising=False)
    crypto.reset()
    yield
    crypto.reset()


@pytest.mark.django_db
@pytest.mark.usefixtures("_known_key")
def test_demo_data_is_written_encrypted_and_hashed():
    generate(scale=0.02, seed=5, today=datetime.date(2026, 11, 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile, id_number_hash FROM talents_talent")
        talents = cursor.fetchall()
        cursor.execute("SELECT phone FROM orgs_organisation WHERE phone <> ''")
        phones = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT phone FROM needs_need")
        phones += [row[0] for row in cursor.fetchall()]
    assert talents and phones
    assert all(mobile.startswith("v1:") for _id, mobile, _h in talents)
    assert all(p.startswith("v1:") for p in phones)
    with_id = [(i, h) for i, _m, h in talents if i is not None]
    assert with_id and all(i.startswith("v1:") and len(h) == 64 for i, h in with_id)
    for talent in Talent.objects.exclude(id_number_hash=None)[:20]:
        assert clean_id_number(talent.id_number) == talent.id_number
        assert talent.id_number_hash == crypto.blind_index(talent.id_number)
    assert Organisation.objects.exclude(phone="").first().phone[:1] in "01"
    assert Need.objects.first().phone.isdigit()


@pytest.mark.django_db
def test_demo_data_sets_annual_targets_per_county_and_the_leaders_page_shows_progress(tmp_path, monkeypatch):
    from yiti.accounts.models import User
    from yiti.dashboard import home
    from yiti.dashboard import indicators as ledger
    from yiti.dashboard.models import Target
    from yiti.demo.accounts import create_demo_accounts

    monkeypatch.setenv("YITI_DEMO_ACCOUNTS", str(tmp_path / "accounts.json"))
    today = timezone.localdate()
    generate(scale=0.05, seed=5, today=today)
    create_demo_accounts()
    counties = ledger.counties()
    cases = [(y, c) for y in (today.year - 1, today.year) for c in ("agreements_signed", "funds_committed")]
    for year, code in [*cases, (today.year, "talents_introduced")]:  # talents are dated by entry: none last year
        goals = dict(Target.objects.filter(indicator=code, year=year).values_list("division__code", "value"))
        assert {c.code for c in counties} | {"140700"} == set(goals), (code, year)
        assert all(v > 0 for v in goals.values())
        assert goals["140700"] == sum(v for k, v in goals.items() if k != "140700")
    assert not Target.objects.filter(indicator="enterprises_total").exists()
    leader = User.objects.get(username="leader")
    shown = [row for row in home.figures(leader, today.year, None) if row["progress"] is not None]
    assert len(shown) >= 15


@pytest.mark.django_db
def test_demo_accounts_come_with_published_matching_lists_followed_up(tmp_path, monkeypatch):
    from yiti.accounts.models import User
    from yiti.demo.accounts import create_demo_accounts
    from yiti.matching import lists
    from yiti.matching.choices import ListStatus
    from yiti.matching.models import MatchingItem, MatchingList

    monkeypatch.setenv("YITI_DEMO_ACCOUNTS", str(tmp_path / "accounts.json"))
    generate(scale=0.05, seed=5, today=timezone.localdate())
    create_demo_accounts()
    assert MatchingList.objects.filter(status=ListStatus.PUBLISHED).count() >= 5
    assert MatchingList.objects.filter(status=ListStatus.REVIEW).exists()
    funnel = lists.funnel(MatchingItem.objects.visible(User.objects.get(username="leader")))
    assert funnel["published"] > funnel["contacted"] > funnel["talking"] > 0
    # a county officer's lists are their county's, made by them
    officer = User.objects.filter(username__startswith="staff_").order_by("username").first()
    assert MatchingList.objects.filter(created_by=officer, division=officer.department.division).exists()
    # the demo university contact has items addressed to their university
    uni = User.objects.get(username="university")
    assert MatchingItem.objects.filter(addressee=uni.organisation, published_at__isnull=False).exists()
