"""Garbage in URLs and filters gets an answer, never a 500 (run on SQLite and PostgreSQL)."""

import pytest
from django.urls import reverse

from yiti.core.registry import registries
from yiti.needs.testing import make_need

LIST_URLS = [registry.url_name("list") for registry in registries().values()]
GARBAGE_QUERIES = [
    "page=abc", "page=99999999", "page=-1", "sort=nonexistent", "sort=-", "per_page=abc", "per_page=100000",
    "q=" + "长" * 5000, "q=%00", "q=%27%22%3Cscript%3E", "division=abc", "division=99999999999999999999",
    "industry=-5", "discipline=%00", "created_at_after=2026-13-45", "created_at_after=99999-01-01",
    "enterprise=%2399999999999999999999", "owner=%23abc", "talent=%00", "budget_min=1e400", "budget_min=NaN",
    "trl_min=99", "in_reserve_pool=maybe", "status=%E2%80%AE", "q=a&q=b", "organisation=" + "x" * 3000,
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", LIST_URLS)
def test_list_pages_survive_garbage(admin_client, url_name):
    make_need()
    for query in GARBAGE_QUERIES:
        response = admin_client.get(reverse(url_name) + "?" + query)
        assert response.status_code in (200, 404), (query, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/needs/99999999999999999999/", "/needs/99999999999999999999/edit/",
                                  "/orgs/0/delete/", "/talents/-1/", "/results/１２/"])
def test_impossible_ids_are_404(admin_client, path):
    assert admin_client.get(path).status_code == 404


@pytest.mark.django_db
def test_lookup_survives_garbage(admin_client):
    for q in ("%00", "#99999999999999999999", "长" * 1000, "%"):
        response = admin_client.get(reverse("lookup", args=["orgs.organisation"]) + "?q=" + q)
        assert response.status_code == 200


@pytest.mark.django_db
def test_null_characters_in_a_form_are_refused_not_crashed(admin_client):
    response = admin_client.post(reverse("orgs:organisation_add"), {"name": "晋中\x00公司", "org_type": "other"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


@pytest.mark.django_db
def test_oversized_text_is_refused_with_the_limit(admin_client):
    response = admin_client.post(reverse("orgs:organisation_add"), {"name": "长" * 500, "org_type": "other"})
    assert response.status_code == 200
    assert "200" in " ".join(response.context["form"].errors["name"])
