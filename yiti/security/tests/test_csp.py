"""A strict Content-Security-Policy on every page, and pages that need nothing inline."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from yiti.security.middleware import DEFAULT_CSP
from yiti.security.tests.conftest import login

pytestmark = pytest.mark.django_db


class InlineFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"{name} handler on <{tag}>" for name in names if name.startswith("on")]
        href = dict(attrs).get("href") or ""
        if href.lower().startswith("javascript:"):
            self.problems.append("javascript: link")


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def test_policy_is_the_strict_one(settings):
    policy = settings.YITI_CONTENT_SECURITY_POLICY
    assert policy == DEFAULT_CSP
    for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                      "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'", "object-src 'none'"]:
        assert directive in policy
    assert "unsafe" not in policy


def test_login_page(client):
    response = client.get(reverse("login"))
    assert response["Content-Security-Policy"] == DEFAULT_CSP
    assert inline_problems(response.content.decode()) == []


@pytest.mark.parametrize("url_name", ["home", "security:password_change"])
def test_main_pages(second_factor_off, admin_client, url_name):
    response = admin_client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == DEFAULT_CSP
    html = response.content.decode()
    assert inline_problems(html) == []
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


# A registry's list, detail and edit pages are checked in yiti/tests/test_csp_registry_pages.py.


def test_second_factor_pages(client, make_user, django_user_model):
    django_user_model.objects.create_superuser("root", password="Root-pass-2026")
    login(client, "root", "Root-pass-2026")
    response = client.get(reverse("security:otp_setup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and inline_problems(html) == []


def test_lockout_and_error_pages(client, make_user):
    make_user()
    for _ in range(5):
        response = login(client, "clerk", "wrong-password")
    assert response.status_code == 429
    assert response["Content-Security-Policy"] == DEFAULT_CSP
    assert inline_problems(response.content.decode()) == []
    not_found = client.get("/no-such-page/")
    assert not_found["Content-Security-Policy"] == DEFAULT_CSP


def test_error_templates_have_nothing_inline():
    from django.template.loader import get_template

    for name in ["500.html"]:
        assert inline_problems(get_template(name).render({})) == [], name
