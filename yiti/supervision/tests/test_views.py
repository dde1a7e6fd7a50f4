import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.supervision.models import Task
from yiti.supervision.testing import city_office, department, make_task

TODAY = timezone.localdate()


def task_data():
    lead = department("榆次区科技局", testing.county("140702"), parent=city_office())
    co = department("太谷区科技局", testing.county("140703"), parent=city_office())
    return {"title": "推动榆次区液压产业校企合作项目落地", "source": "meeting", "division": testing.county().pk,
            "assigning_department": city_office().pk, "lead_department": lead.pk, "co_departments": [co.pk],
            "assigned_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
            "deadline": (TODAY + datetime.timedelta(days=30)).isoformat(), "description": "会议要求一个月内对接到位"}


class TestTaskViews(RegistryViewTests):
    app, model_name = "supervision", "task"
    list_queries = 9  # session, user, demo flag, two department selects, count, page ids, rows …
    create_data = staticmethod(task_data)

    make = staticmethod(make_task)

    def test_county_officer_sees_and_changes_only_their_countys_records(self, client):
        # The generic test, with the task's two extra rules: the officer's office sees the tasks it assigned wherever
        # they are (visibility), and edits only those (the write rule) — so "theirs" is another county's office's.
        officer = self.county_officer("140702")
        mine = make_task(assigning_department=officer.department, division=testing.county("140702"))
        taigu = department("太谷区科技局", testing.county("140703"))
        theirs = make_task(assigning_department=taigu, lead_department=taigu, division=testing.county("140703"))
        city_assigned = make_task(division=testing.county("140702"))  # in the county, assigned by the city office
        before = self.stored(theirs)
        client.force_login(officer)
        rows = self.row_pks(client.get(self.url("list")))
        assert mine.pk in rows and city_assigned.pk in rows and theirs.pk not in rows
        for view in ("detail", "edit"):
            assert client.get(self.url(view, mine.pk)).status_code == 200, view
        assert client.get(self.url("detail", city_assigned.pk)).status_code == 200
        for task in (theirs, city_assigned):
            for view in ("edit", "delete"):
                assert client.get(self.url(view, task.pk)).status_code == 404, view
                assert client.post(self.url(view, task.pk), self.create_data()).status_code == 404, view
        assert client.get(self.url("detail", theirs.pk)).status_code == 404
        assert self.stored(theirs) == before, "a record outside the scope changed"

    edit_changes = {"title": "推动榆次区液压产业校企合作项目落地（调整）"}
    invalid_cases = [
        ({"deadline": (TODAY - datetime.timedelta(days=10)).isoformat()}, "deadline", "早于交办日期"),
        ({"assigned_on": "2999-01-01", "deadline": "2999-02-01"}, "assigned_on", "晚于今天"),
        ({"source_key": "合同12"}, "source_key", "agreement:12"),
        ({"source_key": "agreement:987654"}, "source_key", "不存在"),
        ({"lead_department": ""}, "lead_department", "必填"),
        ({"deadline": "2026-02-30"}, "deadline", "日期"),
    ]
    filter_cases = [
        ("status=received", {"status": "received"}, {"status": "assigned"}),
        ("light=red", {"light": "red"}, {"light": "green"}),
        ("source=instruction", {"source": "instruction"}, {"source": "meeting"}),
        ("escalated=true", {"escalated": True}, {"escalated": False}),
        ("overdue=true", {"deadline": TODAY - datetime.timedelta(days=1)}, {"deadline": TODAY}),
        ("overdue=true", {"deadline": TODAY - datetime.timedelta(days=1)},
         {"deadline": TODAY - datetime.timedelta(days=1), "status": "done", "done_on": TODAY}),
        ("on_time=true", {"status": "done", "done_on": TODAY, "deadline": TODAY},
         {"status": "closed", "done_on": TODAY, "deadline": TODAY - datetime.timedelta(days=1)}),
        ("on_time=false", {"status": "closed", "done_on": TODAY, "deadline": TODAY - datetime.timedelta(days=1)},
         {"status": "done", "done_on": TODAY, "deadline": TODAY}),
        ("deadline_after=2030-01-01&deadline_before=2030-12-31", {"deadline": datetime.date(2030, 3, 1)},
         {"deadline": datetime.date(2031, 3, 1)}),
        ("assigned_on_after=2025-01-01&assigned_on_before=2025-01-31", {"assigned_on": datetime.date(2025, 1, 9)},
         {"assigned_on": datetime.date(2025, 2, 9)}),
        ("done_on_after=2026-01-01", {"done_on": datetime.date(2026, 1, 9)}, {"done_on": datetime.date(2025, 2, 9)}),
        ("closed_on_before=2025-12-31", {"closed_on": datetime.date(2025, 1, 9)}, {"closed_on": None}),
    ]

    def test_filters_by_division_department_and_parent(self, admin_client):
        taigu = department("太谷区科技局", testing.county("140703"), parent=city_office())
        in_taigu = make_task(division=testing.county("140703"), lead_department=taigu,
                             assigning_department=taigu)
        parent = make_task()
        child = make_task(parent=parent)
        plain = make_task()
        cases = [
            (f"division={testing.county('140703').pk}", in_taigu, plain),
            (f"division={testing.county('140700').pk}", in_taigu, None),  # the city includes its counties
            (f"lead_department={taigu.pk}", in_taigu, plain),
            (f"assigning_department={taigu.pk}", in_taigu, plain),
            (f"parent=%23{parent.pk}", child, plain),
        ]
        for query, wanted, other in cases:
            rows = self.row_pks(admin_client.get(self.url("list") + "?" + query))
            assert wanted.pk in rows, query
            if other is not None:
                assert other.pk not in rows, query


@pytest.mark.django_db
def test_new_task_starts_assigned_whatever_the_form_says(admin_client):
    response = admin_client.post(reverse("supervision:task_add"), {**task_data(), "status": "closed"})
    assert response.status_code == 302
    task = Task.objects.get(title="推动榆次区液压产业校企合作项目落地")
    assert task.status == "assigned" and task.created_by.username == "admin"
    assert list(task.co_departments.values_list("name", flat=True)) == ["太谷区科技局"]


@pytest.mark.django_db
def test_the_lead_department_is_not_also_co_operating(admin_client):
    data = task_data()
    response = admin_client.post(reverse("supervision:task_add"), {**data, "co_departments": [data["lead_department"]]})
    assert response.status_code == 200
    assert "配合单位" in " ".join(response.context["form"].errors["co_departments"])
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_list_shows_the_light_as_a_coloured_dot_and_a_finished_task_none(admin_client):
    make_task(title="超期事项", light="red")
    make_task(title="已办结事项", light="red", status="done", done_on=TODAY)
    html = admin_client.get(reverse("supervision:task_list")).content.decode()
    assert html.count('status-dot status-red') == 1
    assert "红灯" in html


@pytest.mark.django_db
def test_detail_links_the_source_record_only_inside_the_scope(client):
    from yiti.accounts.testing import make_user
    from yiti.agreements.testing import make_agreement

    mine = make_agreement(title="本县合作协议", division=testing.county("140702"))
    theirs = make_agreement(title="外县合作协议", division=testing.county("140703"))
    officer = make_user("officer", "staff", scope="county", department=department("榆次区科技局", testing.county("140702"),
                                                                                       parent=city_office()))
    client.force_login(officer)
    task = make_task(source="agreement", source_key=f"agreement:{mine.pk}")
    html = client.get(task.get_absolute_url()).content.decode()
    assert f'href="{mine.get_absolute_url()}"' in html and "本县合作协议" in html
    other = make_task(source="agreement", source_key=f"agreement:{theirs.pk}")
    html = client.get(other.get_absolute_url()).content.decode()
    assert "外县合作协议" not in html and "无权查看" in html


@pytest.mark.django_db
def test_export_has_chinese_headers(admin_client):
    import io

    from openpyxl import load_workbook

    make_task(title="导出事项")
    response = admin_client.get(reverse("supervision:task_export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert {"名称", "状态", "牵头单位", "截止日期", "交办单位", "亮灯"} <= set(headers), headers
    assert "导出事项" in [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
