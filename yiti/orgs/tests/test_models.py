import pytest
from django.urls import reverse

from yiti.core import testing
from yiti.needs.testing import make_need
from yiti.orgs.models import Organisation
from yiti.orgs.testing import make_enterprise, make_org
from yiti.talents.testing import make_talent


@pytest.mark.django_db
def test_deleting_a_referenced_organisation_is_refused_and_explained(admin_client):
    # given an enterprise with a need and a talent
    enterprise = make_enterprise()
    need = make_need(enterprise=enterprise)
    make_talent(organisation=enterprise)
    # when it is deleted
    response = admin_client.post(reverse("orgs:organisation_delete", args=[enterprise.pk]), follow=True)
    # then nothing is deleted and the message names what refers to it
    assert Organisation.objects.filter(pk=enterprise.pk).exists()
    assert type(need).objects.filter(pk=need.pk).exists()
    text = response.content.decode()
    assert "无法删除" in text and "人才" in text


@pytest.mark.django_db
def test_division_filter_includes_counties_of_a_city(admin_client):
    yuci = make_org(division=testing.county("140702"))
    taiyuan_org = make_org(division=testing.county("140100"))
    city = testing.county("140700")
    response = admin_client.get(reverse("orgs:organisation_list") + f"?division={city.pk}")
    rows = {o.pk for o in response.context["table"].page.object_list.data}
    assert yuci.pk in rows and taiyuan_org.pk not in rows


@pytest.mark.django_db
def test_enterprise_detail_shows_its_needs(admin_client):
    enterprise = make_enterprise()
    need = make_need(enterprise=enterprise, title="高强度可锻铸铁管件工艺优化")
    response = admin_client.get(enterprise.get_absolute_url())
    assert need.title in response.content.decode()


@pytest.mark.django_db
def test_credit_code_is_normalised_from_full_width_and_lower_case(admin_client):
    code = testing.valid_credit_code()
    typed = code.lower().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = admin_client.post(reverse("orgs:organisation_add"),
                                 {"name": "祁县玻璃器皿有限公司", "org_type": "enterprise", "credit_code": typed})
    assert response.status_code == 302
    assert Organisation.objects.get(name="祁县玻璃器皿有限公司").credit_code == code
