"""Test helpers: valid codes, dictionary rows and the generic registry test case every registry feeds with data.

Each registry's factories live in its own `testing.py` (yiti.orgs.testing.make_org, …): core knows no registry.

A registry's test module only declares data (see yiti/orgs/tests/test_views.py); the behaviour
checked — list, filter, detail, create, edit, delete, permissions, query counts — lives here once.
"""

import itertools
from typing import Any, ClassVar

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yiti.core.models import Discipline, Division, Industry
from yiti.core.validators import id_check_char, uscc_check_char

_counter = itertools.count(1)


def valid_credit_code(n: int | None = None) -> str:
    body = f"91140700MA{(n or next(_counter)):07d}"
    return body + uscc_check_char(body)


def valid_id_number(birth: str = "19800101", n: int | None = None) -> str:
    body = f"140702{birth}{(n or next(_counter)) % 1000:03d}"
    return body + id_check_char(body)


def county(code: str = "140702") -> Division:
    return Division.objects.get(code=code)


def industry(code: str = "36") -> Industry:
    return Industry.objects.get(code=code)


def discipline(code: str = "0802") -> Discipline:
    return Discipline.objects.get(code=code)


def serial() -> int:
    """A number no other call in this test run returns, for unique names and codes in the registries' factories."""
    return next(_counter)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


@pytest.mark.django_db
class RegistryViewTests:
    """Generic behaviour of a registry's pages. Subclasses set the class attributes."""

    app: ClassVar[str]
    model_name: ClassVar[str]
    # Creates one record; `kw` may fix fields used by the filter cases.
    make: ClassVar[Any]
    # POST data for a valid new record, and a field whose value the list filter finds it by.
    create_data: ClassVar[Any]  # callable() -> dict, so that related records exist when it runs
    edit_changes: ClassVar[dict]
    # (POST data changes, field name, a fragment of the Chinese error message)
    invalid_cases: ClassVar[list[tuple[dict, str, str]]] = []
    # (query string, kwargs for `make` of a record that must match; kwargs of one that must not)
    filter_cases: ClassVar[list[tuple[str, dict, dict]]] = []

    def url(self, view: str, *args) -> str:
        return reverse(f"{self.app}:{self.model_name}_{view}", args=args)

    def model(self):
        from django.apps import apps

        return apps.get_model(self.app, self.model_name)

    # How a record is recognised in its list (the table may show its parts in separate columns).
    list_label: ClassVar[Any] = str

    def test_list_shows_records(self, admin_client):
        obj = type(self).make()
        response = admin_client.get(self.url("list"))
        assert response.status_code == 200
        assert type(self).list_label(obj) in response.content.decode()

    def test_list_query_count_does_not_grow_with_rows(self, admin_client):
        type(self).make()
        few = count_queries(admin_client, self.url("list"))
        for _ in range(12):
            type(self).make()
        many = count_queries(admin_client, self.url("list"))
        assert many == few, f"list page ran {few} queries for 1 row but {many} for 13 (N+1)"
        assert few == self.list_queries, f"list page runs {few} queries; pinned at {self.list_queries}"

    # The exact number of SQL queries of the list page, whatever the number of rows.
    list_queries: ClassVar[int]

    def test_filters(self, admin_client):
        for query, match_kw, other_kw in self.filter_cases:
            wanted = type(self).make(**match_kw)
            other = type(self).make(**other_kw)
            response = admin_client.get(self.url("list") + "?" + query)
            assert response.status_code == 200
            rows = {r.pk for r in response.context["table"].page.object_list.data}
            assert wanted.pk in rows, f"{query} should find {wanted}"
            assert other.pk not in rows, f"{query} should not find {other}"

    def test_every_orderable_column_sorts_both_ways(self, admin_client):
        first, second = type(self).make(), type(self).make()
        table = admin_client.get(self.url("list")).context["table"]
        for column in table.columns:
            if not column.orderable:
                continue
            pages = []
            for direction in ("", "-"):
                response = admin_client.get(self.url("list") + f"?sort={direction}{column.name}")
                assert response.status_code == 200, column.name
                pages.append([r.pk for r in response.context["table"].page.object_list.data])
            assert {first.pk, second.pk} <= set(pages[0]) and sorted(pages[0]) == sorted(pages[1]), column.name

    def test_htmx_filter_returns_only_results(self, admin_client):
        type(self).make()
        response = admin_client.get(self.url("list") + "?q=x", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
        body = response.content.decode()
        assert response.status_code == 200
        assert 'id="results"' in body and "<html" not in body

    def test_detail(self, admin_client):
        obj = type(self).make()
        response = admin_client.get(self.url("detail", obj.pk))
        assert response.status_code == 200
        assert str(obj) in response.content.decode()
        assert "变更记录" in response.content.decode()

    def test_missing_record_gives_chinese_404(self, admin_client):
        response = admin_client.get(self.url("detail", 987654321))
        assert response.status_code == 404
        assert "不存在" in response.content.decode()

    def test_create(self, admin_client):
        data = type(self).create_data()
        before = self.model().objects.count()
        response = admin_client.post(self.url("add"), data)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        assert self.model().objects.count() == before + 1
        obj = self.model().objects.latest("pk")
        assert response["Location"] == obj.get_absolute_url()
        assert obj.created_by.username == "admin"
        history = admin_client.get(obj.get_absolute_url()).context["history"]
        assert [row["entry"].get_action_display() for row in history][-1:] == ["创建"]

    def test_create_form_renders(self, admin_client):
        response = admin_client.get(self.url("add"))
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()

    def test_invalid_input_names_field_and_reason(self, admin_client):
        valid = type(self).create_data()
        for changes, field, fragment in self.invalid_cases:
            data = {**valid, **changes}
            before = self.model().objects.count()
            response = admin_client.post(self.url("add"), data)
            assert response.status_code == 200
            errors = response.context["form"].errors
            assert field in errors, f"expected an error on {field}, got {errors}"
            assert fragment in " ".join(errors[field]), errors[field]
            assert self.model().objects.count() == before

    def test_edit_records_history(self, admin_client):
        data = type(self).create_data()
        admin_client.post(self.url("add"), data)
        obj = self.model().objects.latest("pk")
        response = admin_client.post(self.url("edit", obj.pk), {**data, **self.edit_changes})
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        obj.refresh_from_db()
        field, value = next(iter(self.edit_changes.items()))
        assert str(getattr(obj, field)) == str(value)
        history = admin_client.get(obj.get_absolute_url()).context["history"]
        changed = history[0]["entry"].changes_dict
        assert field in changed and changed[field][1] == str(value)

    def test_delete(self, admin_client):
        obj = type(self).make()
        assert admin_client.get(self.url("delete", obj.pk)).status_code == 200
        response = admin_client.post(self.url("delete", obj.pk))
        assert response.status_code == 302
        assert not self.model().objects.filter(pk=obj.pk).exists()

    def test_pages_require_login(self, client):
        obj = type(self).make()
        for url in (self.url("list"), self.url("detail", obj.pk), self.url("add"), self.url("edit", obj.pk)):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_user_without_permission_is_refused(self, client, django_user_model):
        obj = type(self).make()
        user = django_user_model.objects.create_user("nobody", password="Pw-123456x")
        client.force_login(user)
        assert client.get(self.url("list")).status_code == 403
        assert client.get(self.url("detail", obj.pk)).status_code == 403
        before = self.model().objects.count()
        assert client.post(self.url("delete", obj.pk)).status_code == 403
        assert self.model().objects.count() == before

    def test_post_without_csrf_token_is_refused(self, django_user_model):
        from django.test import Client

        csrf_client = Client(enforce_csrf_checks=True)
        admin = django_user_model.objects.create_superuser("csrf-admin", password="Pw-123456x")
        csrf_client.force_login(admin)
        before = self.model().objects.count()
        response = csrf_client.post(self.url("add"), type(self).create_data())
        assert response.status_code == 403
        assert "安全令牌" in response.content.decode()
        assert self.model().objects.count() == before


def form_values(html: str) -> dict[str, list[str]]:
    """What a browser would submit, untouched, from the page's first POST form that posts back to the page
    (no `action`; the menu's language and logout forms have one): {name: [values]}."""
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__()
            self.values: dict[str, list[str]] = {}
            self.state = "before"  # before, in (the form), after
            self.select: str | None = None
            self.textarea: str | None = None

        def handle_starttag(self, tag, attrs):
            a = {k: (v or "") for k, v in attrs}
            if tag == "form" and self.state == "before" and a.get("method", "").lower() == "post" \
                    and not a.get("action"):
                self.state = "in"
            if self.state != "in" or "disabled" in a:
                return
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return
                checkable = a.get("type") in ("checkbox", "radio")
                self.values.setdefault(name, []).append(a.get("value", "on" if checkable else ""))
            elif tag == "select" and name:
                self.select = name
                self.values.setdefault(name, [])
            elif tag == "option" and self.select and "selected" in a:
                self.values[self.select].append(a.get("value", ""))
            elif tag == "textarea" and name:
                self.textarea = name
                self.values[name] = [""]

        def handle_endtag(self, tag):
            if tag == "form" and self.state == "in":
                self.state = "after"
            elif tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea][0] += data

    collector = Collector()
    collector.feed(html)
    # A textarea's first newline belongs to the markup, not to the value.
    return {k: [v[1:] if v.startswith("\n") else v for v in vs] if k else vs for k, vs in collector.values.items()}
