"""The fair's pages: registering on the event page, the QR code, the check-in page at the door, the intentions on the
position's page — each refusing in Chinese and within the scope."""

import datetime

import pytest
from django.urls import reverse

from yiti.accounts.models import Role, Scope
from yiti.accounts.testing import make_user
from yiti.activities.fairs.models import Intention, Registration
from yiti.activities.fairs.testing import make_fair, make_position, make_registration
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db


def test_the_fair_page_shows_the_funnel_and_registers_a_talent(admin_client):
    fair = make_fair(title="晋中市秋季招聘会")
    talent = make_talent(name="王晓明")
    response = admin_client.post(reverse("activities:event_register", args=[fair.pk]), {"talent": talent.name})
    assert response.status_code == 302
    registration = Registration.objects.get(fair=fair)
    page = admin_client.get(fair.get_absolute_url()).content.decode()
    assert "招聘会漏斗" in page and registration.code in page and "王晓明" in page
    # twice: refused beside the field, in Chinese
    again = admin_client.post(reverse("activities:event_register", args=[fair.pk]), {"talent": talent.name})
    assert again.status_code == 400 and "已报名" in again.content.decode()


def test_the_qr_code_is_an_svg_drawn_on_the_server(admin_client):
    fair = make_fair()
    registration = make_registration(fair, make_talent())
    response = admin_client.get(reverse("activities:event_registration_qr", args=[fair.pk, registration.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg") and b"<path" in response.content
    other = make_fair()
    assert admin_client.get(reverse("activities:event_registration_qr",
                                    args=[other.pk, registration.pk])).status_code == 404


def test_check_in_page_checks_in_and_refuses_in_chinese(admin_client):
    fair, other = make_fair(), make_fair()
    ok = make_registration(fair, make_talent(name="李华"))
    cancelled = make_registration(fair, make_talent(), status="cancelled")
    elsewhere = make_registration(other, make_talent())
    url = reverse("activities:event_checkin", args=[fair.pk])
    page = admin_client.get(url + f"?code={ok.code}").content.decode()
    assert f'value="{ok.code}"' in page  # the QR's address fills the code in
    response = admin_client.post(url, {"code": ok.code.lower()})
    assert response.status_code == 200 and "李华 已签到" in response.content.decode()
    for registration, words in ((cancelled, "已取消"), (elsewhere, "另一场招聘会"), (ok, "已于")):
        response = admin_client.post(url, {"code": registration.code})
        assert response.status_code == 400 and words in response.content.decode()
    assert admin_client.post(url, {"code": "<script>"}).status_code == 400
    assert Registration.objects.filter(status="checked_in").count() == 1


def test_another_countys_fair_is_out_of_reach(client):
    from yiti.accounts.models import Department
    from yiti.core.models import Division

    fair = make_fair(division=Division.objects.get(code="140703"))
    registration = make_registration(fair, make_talent())
    division = Division.objects.get(code="140702")
    department = Department.objects.create(name="榆次区科技局", kind="office", division=division)
    client.force_login(make_user("door_a", Role.STAFF, scope=Scope.COUNTY, department=department))
    assert client.get(reverse("activities:event_checkin", args=[fair.pk])).status_code == 404
    assert client.post(reverse("activities:event_checkin", args=[fair.pk]), {"code": registration.code}).status_code == 404
    assert client.post(reverse("activities:event_cancel_registration", args=[fair.pk, registration.pk])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_an_organisation_contact_may_not_check_in(client):
    fair = make_fair()
    client.force_login(make_user("ent", Role.ORG_CONTACT, organisation=make_position(fair=fair).enterprise))
    assert client.get(reverse("activities:event_checkin", args=[fair.pk])).status_code == 403


def test_intentions_on_the_position_page(admin_client):
    position = make_position(fair=make_fair(start_date=datetime.date(2025, 3, 1)))
    talent = make_talent(name="赵磊")
    add = reverse("fairs:position_add_intention", args=[position.pk])
    assert admin_client.post(add, {"talent": talent.name, "date": "2025-03-01"}).status_code == 302
    intention = Intention.objects.get(position=position)
    advance = reverse("fairs:position_advance_intention", args=[position.pk])
    response = admin_client.post(advance, {"intention": intention.pk, "stage": "hired", "date": "2025-03-03"})
    assert response.status_code == 400 and "不能转为" in response.content.decode()
    assert admin_client.post(advance, {"intention": intention.pk, "stage": "interview",
                                       "date": "2025-03-03"}).status_code == 302
    page = admin_client.get(position.get_absolute_url()).content.decode()
    assert "赵磊" in page and "面试" in page


def test_a_participating_enterprise_sees_the_funnel_but_not_who_registered(client):
    from yiti.orgs.testing import make_enterprise

    enterprise = make_enterprise()
    fair = make_fair(participants=[enterprise])
    registration = make_registration(fair, make_talent(name="孙悦"))
    client.force_login(make_user("ent_contact", Role.ORG_CONTACT, organisation=enterprise))
    page = client.get(fair.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "招聘会漏斗" in body and "孙悦" not in body and registration.code not in body
    qr = reverse("activities:event_registration_qr", args=[fair.pk, registration.pk])
    assert client.get(qr).status_code == 403


def test_the_fair_page_runs_the_same_queries_for_one_registration_or_twenty(admin_client):
    from yiti.core.testing import count_queries

    fair = make_fair()
    position = make_position(fair=fair)
    make_registration(fair, make_talent())
    few = count_queries(admin_client, fair.get_absolute_url())
    for _ in range(19):
        talent = make_talent()
        make_registration(fair, talent, status="checked_in")
        Intention.objects.create(position=position, talent=talent, intent_date=fair.start_date)
    assert count_queries(admin_client, fair.get_absolute_url()) == few


def test_the_check_in_page_runs_a_fixed_number_of_queries(admin_client):
    from yiti.core.testing import count_queries

    fair = make_fair()
    for _ in range(5):
        make_registration(fair, make_talent())
    url = reverse("activities:event_checkin", args=[fair.pk])
    few = count_queries(admin_client, url)
    for _ in range(15):
        make_registration(fair, make_talent())
    assert count_queries(admin_client, url) == few
