import datetime

import pytest
from django.core.management import CommandError, call_command

from yiti.agreements.models import Agreement
from yiti.core.demo.generate import generate
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
    Talent.objects.all().delete()
    Organisation.objects.all().delete()
    generate(scale=0.02, seed=3, today=TODAY)
    assert list(Need.objects.order_by("pk").values_list("title", "enterprise__name")) == first


@pytest.mark.django_db
def test_command_refuses_a_database_with_records_and_ui_labels_demo_data(admin_client):
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
