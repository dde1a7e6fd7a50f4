"""The strict Content-Security-Policy (yiti.security) on a registry's pages: nothing inline there either."""

import pytest
from django.urls import reverse

from yiti.orgs.testing import make_org
from yiti.security.middleware import DEFAULT_CSP
from yiti.security.tests.test_csp import inline_problems

pytestmark = pytest.mark.django_db


def test_list_page(admin_client):
    make_org()
    response = admin_client.get(reverse("orgs:organisation_list"))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == DEFAULT_CSP
    html = response.content.decode()
    assert inline_problems(html) == []
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


def test_detail_and_edit_pages(admin_client):
    org = make_org()
    for url in [org.get_absolute_url(), reverse("orgs:organisation_edit", args=[org.pk])]:
        response = admin_client.get(url)
        assert response.status_code == 200
        assert inline_problems(response.content.decode()) == [], url
