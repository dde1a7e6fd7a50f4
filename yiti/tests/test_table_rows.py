"""Table rows rendered in Python read exactly as the template wrote them (issue 12, item 34).

`yiti.core.tables.render_row` replaced the row block of core/table.html (a template walk per cell,
half of a list page's time); these tests render every registry's rows both ways and compare the HTML
character for character, as the superuser (操作 links: 查看/编辑/删除) and as a county officer.
"""

import datetime
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory

from yiti.core.registry import registries
from yiti.core.tables import ROW_TEMPLATE, RegistryTable, render_row
from yiti.core.views import filtered
from yiti.needs.models import Need
from yiti.needs.testing import make_need
from yiti.tests.world import build_world

OLD_ROW = Template("{% load l10n %}" + ROW_TEMPLATE)


def assert_rows_as_template_wrote_them(table) -> int:
    rows = list(table.rows)
    for row in rows:
        assert render_row(row) == OLD_ROW.render(Context({"row": row}))
    return len(rows)


@pytest.mark.django_db
@pytest.mark.parametrize("app", ["orgs", "talents", "experts", "needs", "results", "platforms", "agreements"])
@pytest.mark.parametrize("who", ["admin", "county_staff_a"])
def test_every_registrys_rows_read_as_the_template_wrote_them(app, who, admin_user):
    world = build_world()
    user = admin_user if who == "admin" else world.users[who]
    registry = registries()[app]
    request = RequestFactory().get("/")
    request.user = user
    _filterset, qs = filtered(registry, request)
    table = registry.table(qs, batch=True)
    table.may_change = None  # every row's 编辑/删除 links
    table.may_delete = {qs.values_list("pk", flat=True).first()}  # 删除 on one row only
    assert assert_rows_as_template_wrote_them(table) >= 1


class OddColumnsTable(RegistryTable):
    """Columns that take the slow paths: attributes computed per cell, localize on and off, a method."""

    title = tables.Column(linkify=True, attrs={"td": {"data-value": lambda value: value}})
    budget = tables.Column(localize=True)
    deadline = tables.Column(localize=False)
    enterprise = tables.Column()
    size = tables.Column(empty_values=(), accessor="title__upper")

    class Meta(RegistryTable.Meta):
        model = Need
        fields = ("title", "need_type", "budget", "deadline", "status", "enterprise", "size")

    def render_size(self, value, record):
        return f"<{value}> {record.pk}"


@pytest.mark.django_db
def test_columns_off_the_fast_path_read_as_the_template_wrote_them():
    make_need(title="检测 <b>&</b>", budget=Decimal("12345.60"), deadline=datetime.date(2030, 1, 2))
    make_need(title="空", budget=None, deadline=None)
    table = OddColumnsTable(Need.objects.select_related("enterprise").order_by("pk"), batch=True)
    table.may_change = None
    assert assert_rows_as_template_wrote_them(table) == 2
