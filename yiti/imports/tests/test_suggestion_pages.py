"""建议代码 pages: start, learn in the background, review page by page, write, download the sheet."""

import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from yiti.core import testing
from yiti.imports.models import SuggestionJob
from yiti.imports.tests.test_tagging import coded  # noqa: F401  (the fixture)
from yiti.needs.testing import make_need
from yiti.tests.world import build_world

pytestmark = pytest.mark.django_db

START = "/needs/suggest-codes/"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def staff(client, world):
    client.force_login(world.users["county_staff_a"])
    return world.users["county_staff_a"]


def start(client) -> SuggestionJob:
    response = client.post(START, {"field": "discipline"})
    assert response.status_code == 302
    job = SuggestionJob.objects.latest("pk")
    assert response["Location"] == reverse("imports:suggestions", args=[job.pk])
    return job


def review_job(user, *suggestions: tuple, field: str = "discipline") -> SuggestionJob:
    """A finished job with the given (record, [(code, probability), …]) suggestions, best first."""
    from yiti.core.models import Discipline

    names = dict(Discipline.objects.values_list("code", "name"))
    rows = []
    for record, candidates in suggestions:
        (code, p), *rest = candidates
        rows.append({"pk": record.pk, "record": str(record), "code": code, "name": names[code], "probability": p,
                     "alternatives": [[c, names[c], q] for c, q in rest], "applied": False})
    return SuggestionJob.objects.create(registry="needs", field=field, user=user, status=SuggestionJob.Status.READY,
                                        suggestions=rows, n_training=24)


def test_staff_learn_review_and_write_from_the_pages(client, coded, world, staff):  # noqa: F811
    mech, _bio = coded
    mine = make_need(enterprise=world.a.enterprise, title="齿轮箱轴承故障诊断系统", discipline=None)
    theirs = make_need(enterprise=world.b.enterprise, title="齿轮箱轴承故障诊断系统", discipline=None)
    assert START in client.get("/needs/").content.decode()  # the 建议代码 button on the list
    assert "学科（未填写：2 条）" in client.get(START).content.decode()  # mine and the world's own need of county A
    job = start(client)
    job.refresh_from_db()
    assert job.status == SuggestionJob.Status.READY and job.n_training >= 24
    offered = {s["pk"] for s in job.suggestions}
    assert mine.pk in offered and theirs.pk not in offered  # county B's record is not offered
    page = client.get(reverse("imports:suggestions", args=[job.pk])).content.decode()
    assert f'name="code_{mine.pk}"' in page and "0802" in page
    # county B's record is neither offered nor linked (a bare digit search would hit the random CSRF token)
    assert f'name="code_{theirs.pk}"' not in page and f"/needs/{theirs.pk}/" not in page
    response = client.post(reverse("imports:suggestions_apply", args=[job.pk]), {f"code_{mine.pk}": "0802"},
                           follow=True)
    assert "已写入：1" in response.content.decode()
    mine.refresh_from_db()
    assert mine.discipline == mech
    assert LogEntry.objects.get_for_object(mine).latest("timestamp").actor == staff
    job.refresh_from_db()
    assert [s["applied"] for s in job.suggestions if s["pk"] == mine.pk] == [True]
    page = client.get(reverse("imports:suggestions", args=[job.pk])).content.decode()
    assert f'name="code_{mine.pk}"' not in page  # written: no select any more


def test_write_all_confident_writes_those_above_the_threshold_only(client, world, staff):
    sure = make_need(enterprise=world.a.enterprise, discipline=None)
    unsure = make_need(enterprise=world.a.enterprise, discipline=None)
    job = review_job(staff, (sure, [("0802", 0.91), ("0710", 0.05)]), (unsure, [("0710", 0.41), ("0802", 0.30)]))
    page = client.get(reverse("imports:suggestions", args=[job.pk])).content.decode()
    assert 'value="0802" selected' in page and 'value="0710" selected' not in page  # only the sure one pre-chosen
    client.post(reverse("imports:suggestions_apply", args=[job.pk]), {"confident": "1"})
    sure.refresh_from_db()
    unsure.refresh_from_db()
    assert sure.discipline.code == "0802" and unsure.discipline is None


@pytest.mark.parametrize(("post", "message"), [
    ({"code_{pk}": "0101"}, "的候选代码中没有“0101”，不能写入"),
    ({"code_999999": "0802"}, "记录 999999 不在这次建议中，不能写入"),
    ({"code_x1": "0802"}, "表单字段 code_x1 不是一条记录"),
])
def test_forged_choices_are_refused_in_chinese_and_write_nothing(client, world, staff, post, message):
    need = make_need(enterprise=world.a.enterprise, discipline=None)
    other = make_need(enterprise=world.a.enterprise, discipline=None)
    job = review_job(staff, (need, [("0802", 0.9), ("0710", 0.1)]), (other, [("0802", 0.9)]))
    data = {k.format(pk=need.pk): v for k, v in post.items()} | {f"code_{other.pk}": "0802"}
    response = client.post(reverse("imports:suggestions_apply", args=[job.pk]), data, follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    need.refresh_from_db()
    other.refresh_from_db()
    assert need.discipline is None and other.discipline is None  # all or nothing


def test_a_record_coded_meanwhile_is_left_alone_and_reported(client, world, staff):
    need = make_need(enterprise=world.a.enterprise, discipline=None)
    job = review_job(staff, (need, [("0802", 0.9)]))
    need.discipline = testing.discipline("0710")
    need.save()
    response = client.post(reverse("imports:suggestions_apply", args=[job.pk]), {f"code_{need.pk}": "0802"},
                           follow=True)
    assert "未写入：1" in response.content.decode()
    need.refresh_from_db()
    assert need.discipline.code == "0710"


def test_the_review_sheet_lists_every_suggestion_and_is_logged(client, world, staff):
    need = make_need(enterprise=world.a.enterprise, title="=HYPERLINK(1) 主轴", discipline=None)
    job = review_job(staff, (need, [("0802", 0.9), ("0710", 0.1)]))
    response = client.get(reverse("imports:suggestions_sheet", args=[job.pk]))
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows()]
    assert rows[1][:4] == [str(need.pk), f"'{need}", "0802", testing.discipline("0802").name]
    assert LogEntry.objects.filter(actor=staff, additional_data__export="xlsx").exists()


def test_learning_that_cannot_start_says_why(client, world, staff):
    make_need(enterprise=world.a.enterprise, discipline=None)
    job = start(client)
    job.refresh_from_db()
    assert job.status == SuggestionJob.Status.FAILED
    assert "至少需要 20 条、2 种代码" in client.get(reverse("imports:suggestions", args=[job.pk])).content.decode()


def test_the_status_poll_reloads_the_page_when_learning_ends(client, world, staff):
    job = SuggestionJob.objects.create(registry="needs", field="discipline", user=staff)
    url = reverse("imports:suggestions", args=[job.pk])
    assert "every 2s" in client.get(url, headers={"HX-Request": "true"}).content.decode()
    job.status = SuggestionJob.Status.READY
    job.save()
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_others_jobs_and_read_only_roles_are_refused(client, world, staff):
    need = make_need(enterprise=world.a.enterprise, discipline=None)
    job = review_job(world.users["city_staff"], (need, [("0802", 0.9)]))
    for url in ("imports:suggestions", "imports:suggestions_sheet"):
        assert client.get(reverse(url, args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:suggestions_apply", args=[job.pk]), {"confident": "1"}).status_code == 404
    need.refresh_from_db()
    assert need.discipline is None
    client.force_login(world.users["leader"])
    assert client.get(START).status_code == 403
    assert client.post(START, {"field": "discipline"}).status_code == 403
    assert "/suggest-codes/" not in client.get("/needs/").content.decode()


def test_a_field_the_registry_lacks_is_a_form_error(client, world, staff):
    response = client.post("/talents/suggest-codes/", {"field": "mobile"})
    assert response.status_code == 400 and not SuggestionJob.objects.exists()


def test_a_crash_while_learning_is_reported_not_left_running(client, world, staff, monkeypatch):
    from yiti.imports import tagging

    def broken(*args):
        raise MemoryError

    monkeypatch.setattr(tagging, "suggest", broken)
    job = start(client)  # the task's error goes to the worker, not to this request
    job.refresh_from_db()
    assert job.status == SuggestionJob.Status.FAILED
    assert "未写入任何数据" in client.get(reverse("imports:suggestions", args=[job.pk])).content.decode()
