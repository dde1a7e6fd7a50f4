"""跨区记录 has a place in the left menu, for the city office only (who alone may open it)."""

import pytest
from django.urls import reverse

from yiti.accounts.models import Role, Scope
from yiti.accounts.testing import make_user


def menu_links(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {item["url"] for group in response.context["menu"] for item in group["items"]}


@pytest.mark.django_db
def test_the_city_office_finds_cross_scope_rows_in_the_menu_and_a_county_officer_does_not(client):
    city = make_user("city", Role.STAFF, scope=Scope.CITY)
    county = make_user("county", Role.STAFF, scope=Scope.COUNTY)
    referrals = reverse("imports:referrals")
    assert referrals in menu_links(client, city)
    assert client.get(referrals).status_code == 200
    assert referrals not in menu_links(client, county)
    assert client.get(referrals).status_code == 403
