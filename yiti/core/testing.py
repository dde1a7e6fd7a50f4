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
        admin_client.get(self.url("list"))  # the process's caches (a select's options) filled, whatever ran before
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
        records = (type(self).make(), type(self).make())
        pks = {r.pk for r in records}
        table = admin_client.get(self.url("list")).context["table"]
        sorted_columns = 0
        for column in table.columns:
            if not column.orderable:
                continue
            order_by = [str(key) for key in column.order_by]
            self.make_values_differ(records, order_by[0].lstrip("-"))
            expected = list(self.model()._default_manager.filter(pk__in=pks).order_by(*order_by).values_list("pk", flat=True))
            shown = {}
            for direction in ("", "-"):
                response = admin_client.get(self.url("list") + f"?sort={direction}{column.name}")
                assert response.status_code == 200, column.name
                shown[direction] = [r.pk for r in response.context["table"].page.object_list.data if r.pk in pks]
            assert shown[""] == expected, f"sorted by {column.name}: {shown['']}, expected {expected}"
            assert shown["-"] == expected[::-1], f"sorted by -{column.name}: {shown['-']}, expected {expected[::-1]}"
            sorted_columns += 1
        assert sorted_columns

    # The data for the sort test: two records that differ in every sort key, whatever the registry.
    _serial = itertools.count(1)

    @classmethod
    def make_values_differ(cls, records: tuple[Any, Any], path: str) -> None:
        """Give the two records different, non-empty values at `path` (a column's sort key, such as
        "talent__organisation__name"), so that sorting one way and the other must give two orders. Related
        records they share (or lack) are replaced by two distinct ones; values are written with `update()`."""
        first, second = records
        model = type(first)
        head, _, rest = path.partition("__")
        field = model._meta.get_field(head)
        if field.many_to_many or field.one_to_many:
            pytest.fail(f"{model.__name__}.{head}: the sort test cannot vary a many-valued sort key; sort by a field")
        if not field.is_relation:
            values = (getattr(first, head), getattr(second, head))
            if None in values or "" in values or values[0] == values[1]:
                values = cls._two_values(field)
                for obj, value in zip(records, values, strict=True):
                    model._default_manager.filter(pk=obj.pk).update(**{head: value})
                    setattr(obj, head, value)
            return
        related = (getattr(first, head), getattr(second, head))
        if None in related or related[0].pk == related[1].pk:
            related = cls._two_records(field.related_model, rest)
            for obj, value in zip(records, related, strict=True):
                model._default_manager.filter(pk=obj.pk).update(**{head: value})
                setattr(obj, head, value)
        if rest:
            cls.make_values_differ(related, rest)

    @classmethod
    def _two_values(cls, field: Any) -> tuple[Any, Any]:
        """Two values of `field`'s kind, the first smaller in every collation."""
        import datetime  # imported here: the module's own imports change with the factories moving out

        from django.db import models
        from django.utils import timezone

        if field.choices:
            values = [value for value, _label in field.flatchoices if value not in (None, "")]
            return values[0], values[-1]
        if isinstance(field, models.BooleanField):
            return False, True
        if isinstance(field, models.DateTimeField):
            return (timezone.make_aware(datetime.datetime(2020, 1, 1, 9)),
                    timezone.make_aware(datetime.datetime(2021, 6, 1, 9)))
        if isinstance(field, models.DateField):
            return datetime.date(2020, 1, 1), datetime.date(2021, 6, 1)
        if isinstance(field, models.IntegerField | models.DecimalField | models.FloatField):
            return 1, 2
        if isinstance(field, models.CharField | models.TextField):
            n = next(cls._serial)
            return f"A{n}", f"B{n}"
        pytest.fail(f"the sort test cannot vary {field!r}; teach RegistryViewTests._two_values its kind")

    @classmethod
    def _two_records(cls, model: Any, path: str) -> tuple[Any, Any]:
        """Two records of `model`, existing ones (dictionary rows) that differ at `path` where they exist."""
        def value(obj: Any) -> Any:
            for part in path.split("__") if path else ():
                obj = None if obj is None else getattr(obj, part)
            return obj

        candidates = list(model._default_manager.order_by("pk")[:200])
        first = next((o for o in candidates if value(o) not in (None, "")), None)
        second = next((o for o in candidates if first is not None and o.pk != first.pk
                       and value(o) not in (None, "", value(first))), None)
        return first or cls._new_record(model), second or cls._new_record(model)

    @classmethod
    def _new_record(cls, model: Any) -> Any:
        """A record of `model` with its required fields filled in (related ones with any existing record)."""
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.null or field.blank or field.has_default():
                continue
            if field.is_relation:
                values[field.name] = field.related_model._default_manager.first() or cls._new_record(field.related_model)
            else:
                values[field.name] = cls._two_values(field)[0]
        return model._default_manager.create(**values)

    # The data scope and object grants on every registry (NetBox's constrained-permission cases). Core knows
    # the account model only through get_user_model() and its fields, as yiti.core.access does.
    PASSWORD: ClassVar[str] = "Zs-2026-scope!"

    def county_officer(self, code: str) -> Any:
        """An office-staff account whose data scope is the county `code`."""
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        division = Division.objects.get(code=code)
        department_model: Any = user_model._meta.get_field("department").related_model
        department = department_model._default_manager.create(
            name=f"{division.name}科技局", kind="office", division=division)
        return user_model.objects.create_user(f"officer-{code}", password=self.PASSWORD, role="staff", scope="county",
                                              department=department)

    def division_lookup(self, officer: Any) -> str:
        """Where this registry's records keep their county, as the county scope filters them ("enterprise__division")."""
        from yiti.core.access import scope_q

        condition = scope_q(officer, self.model())
        assert condition is not None and len(condition.children) == 1, condition
        child: Any = condition.children[0]
        lookup, _ids = child
        assert lookup.endswith("__in"), lookup
        return lookup.removesuffix("__in")

    @staticmethod
    def put_in_county(obj: Any, lookup: str, code: str) -> None:
        *hops, last = lookup.split("__")
        holder = obj
        for hop in hops:
            holder = getattr(holder, hop)
        type(holder)._default_manager.filter(pk=holder.pk).update(**{last: Division.objects.get(code=code)})

    def in_pool(self, obj: Any) -> bool:
        """Whether `obj` is in its registry's city-wide pool (docs/access.md)."""
        from yiti.core.registry import registry_of

        registry = registry_of(self.model())
        if registry is None or registry.pool is None:
            return False
        if registry.pool.records is None:
            return True
        return bool(self.model()._default_manager.filter(registry.pool.records(), pk=obj.pk).exists())

    @staticmethod
    def row_pks(response: Any) -> list[int]:
        assert response.status_code == 200, response.status_code
        return [row.pk for row in response.context["table"].page.object_list.data]

    @staticmethod
    def stored(obj: Any) -> dict[str, Any]:
        fresh = type(obj)._default_manager.get(pk=obj.pk)
        return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}

    def test_county_officer_sees_and_changes_only_their_countys_records(self, client):
        officer = self.county_officer("140702")
        lookup = self.division_lookup(officer)
        mine, theirs = type(self).make(), type(self).make()
        self.put_in_county(mine, lookup, "140702")
        self.put_in_county(theirs, lookup, "140703")
        in_county = set(self.model()._default_manager.filter(**{lookup: county("140702")}).values_list("pk", flat=True))
        assert mine.pk in in_county and theirs.pk not in in_county, f"the two records share what {lookup} goes through"
        data = type(self).create_data()
        before = self.stored(theirs)
        pooled = self.in_pool(theirs)  # the city-wide pool: readable (its public profile), never editable
        client.force_login(officer)
        rows = self.row_pks(client.get(self.url("list")))
        assert mine.pk in rows and (theirs.pk in rows) == pooled, \
            f"the county's list shows {rows}: {mine.pk} and {theirs.pk} only if it is in the pool ({pooled})"
        for view in ("detail", "edit"):
            assert client.get(self.url(view, mine.pk)).status_code == 200, view
        response = client.get(self.url("detail", theirs.pk))
        assert response.status_code == (200 if pooled else 404)
        if pooled:
            assert response.context["public_profile"] and not response.context["may_change"]
        for view in ("edit", "delete"):
            assert client.get(self.url(view, theirs.pk)).status_code == 404, view
        for view in ("edit", "delete"):
            assert client.post(self.url(view, theirs.pk), data).status_code == 404, view
        assert self.stored(theirs) == before, "a record outside the scope changed"

    def test_object_grant_opens_exactly_one_record(self, client):
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType

        granted, other = type(self).make(), type(self).make()
        user = get_user_model().objects.create_user("granted", password=self.PASSWORD)  # no role: sees no records
        client.force_login(user)
        assert client.get(self.url("list")).status_code == 403
        user.grants.create(name="one record", content_type=ContentType.objects.get_for_model(self.model()),
                           actions="view,change", constraints={"pk__in": [granted.pk]})
        rows = self.row_pks(client.get(self.url("list")))
        assert rows == [granted.pk], f"the grant opens {rows}, not only {granted.pk}"
        for view in ("detail", "edit"):
            assert client.get(self.url(view, granted.pk)).status_code == 200, view
        for view in ("detail", "edit"):
            assert client.get(self.url(view, other.pk)).status_code == 404, view
        # The grant is for view and change: deleting stays refused.
        assert client.post(self.url("delete", granted.pk)).status_code == 403
        assert self.model()._default_manager.filter(pk=granted.pk).exists()

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
