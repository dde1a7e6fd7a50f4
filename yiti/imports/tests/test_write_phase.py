"""The write phase of an import holds SQLite's only write lock: it must be short (issue 12, item 30).

Every other user's save waits while it runs. Rows go in with one statement per thousand, the
many-to-many links of new records too (they once went one row at a time, each with its own audit
entry: half of a 20,000-row import's write time), and it stays all or nothing.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yiti.core.registry import registries
from yiti.imports import services, write
from yiti.orgs.testing import make_org
from yiti.talents.models import Programme, Talent

pytestmark = pytest.mark.django_db


def talent_plan(user, n: int, programmes: list[str]):
    buffer = io.StringIO()
    rows = [["姓名", "人才类型", "单位", "人才计划"]]
    rows += [[f"批量{i}号", "本土优秀人才", "写入测试大学", "；".join(programmes)] for i in range(n)]
    csv.writer(buffer).writerows(rows)
    table = services.read(buffer.getvalue().encode("utf-8-sig"), "t.csv")
    return services.build_plan(registries()["talents"], table, user, {})


def queries_to_write(plan, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        write.apply(plan, user)
    return len(queries)


def test_new_records_and_their_programmes_are_written_in_batches_not_row_by_row(admin_user):
    make_org(name="写入测试大学", org_type="university")
    names = list(Programme.objects.order_by("pk").values_list("name", flat=True)[:2])
    small = queries_to_write(talent_plan(admin_user, 5, names), admin_user)
    Talent.objects.filter(name__startswith="批量").delete()
    large = queries_to_write(talent_plan(admin_user, 60, names), admin_user)
    # 12 times the rows: a statement more per few dozen records (the database's parameter limit),
    # not statements per row (the links were written one row at a time: 246 statements against 26)
    assert large <= small + 3
    written = Talent.objects.filter(name__startswith="批量").prefetch_related("programmes")
    assert len(written) == 60
    assert all(sorted(p.name for p in t.programmes.all()) == sorted(names) for t in written)


def test_a_failure_after_the_links_leaves_neither_records_nor_links(admin_user, monkeypatch):
    make_org(name="写入测试大学", org_type="university")
    names = list(Programme.objects.order_by("pk").values_list("name", flat=True)[:1])
    plan = talent_plan(admin_user, 20, names)
    links_before = Talent.programmes.through.objects.count()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(write, "_check_scope", explode)
    with pytest.raises(RuntimeError):
        write.apply(plan, admin_user)
    assert not Talent.objects.filter(name__startswith="批量").exists()
    assert Talent.programmes.through.objects.count() == links_before
