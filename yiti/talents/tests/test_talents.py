import pytest
from django.urls import reverse

from yiti.orgs.testing import make_org
from yiti.talents.testing import make_talent


@pytest.mark.django_db
def test_phone_is_masked_for_a_user_who_may_not_reveal_it(client, django_user_model):
    talent = make_talent(mobile="13800138000")
    user = django_user_model.objects.create_user("viewer", password="Pw-123456x", role="leader")
    client.force_login(user)
    list_html = client.get(reverse("talents:talent_list")).content.decode()
    detail_html = client.get(talent.get_absolute_url()).content.decode()
    assert "138****8000" in list_html and "13800138000" not in list_html
    assert "138****8000" in detail_html and "13800138000" not in detail_html


@pytest.mark.django_db
def test_contact_log_is_recorded_from_the_detail_page(admin_client):
    talent = make_talent(population="native_elsewhere", category="university")
    url = reverse("talents:talent_add_contact", args=[talent.pk])
    response = admin_client.post(url, {"date": "2026-01-05", "channel": "wechat", "summary": "微信联系，了解回乡意向"})
    assert response.status_code == 302
    contact = talent.contacts.get()
    assert contact.by_user.username == "admin" and contact.channel == "wechat"
    assert "了解回乡意向" in admin_client.get(talent.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_contact_with_missing_summary_is_refused_with_a_message(admin_client):
    talent = make_talent()
    url = reverse("talents:talent_add_contact", args=[talent.pk])
    response = admin_client.post(url, {"date": "2026-01-05", "channel": "phone", "summary": ""}, follow=True)
    assert talent.contacts.count() == 0
    assert "未记录" in response.content.decode()


@pytest.mark.django_db
def test_talent_detail_shows_organisation_and_results(admin_client):
    from yiti.results.testing import make_result

    org = make_org(name="山西农业大学测试")
    talent = make_talent(organisation=org)
    result = make_result(owner=org, leader=talent)
    result.team_members.add(talent)
    html = admin_client.get(talent.get_absolute_url()).content.decode()
    assert org.name in html and result.title in html


@pytest.mark.django_db
def test_organisation_lookup_suggests_names(admin_client):
    make_org(name="晋中学院")
    response = admin_client.get(reverse("lookup", args=["orgs.organisation"]) + "?q=晋中")
    assert "晋中学院" in response.content.decode()


@pytest.mark.django_db
def test_talents_who_withdrew_consent_are_never_offered(admin_client):
    from yiti.accounts.models import User
    from yiti.talents.services import offerable

    consenting = make_talent(consent_to_recommend=True)
    withdrawn = make_talent(consent_to_recommend=True)
    withdrawn.consent_to_recommend = False
    withdrawn.save()
    offered = set(offerable(User.objects.get(username="admin")).values_list("pk", flat=True))
    assert consenting.pk in offered and withdrawn.pk not in offered
