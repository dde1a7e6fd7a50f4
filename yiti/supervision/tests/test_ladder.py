"""The supervision ladder (issue 15 §1): every step, every refusal, who may take which step, 分解, progress
reports with attachments, and bad input — refused with a Chinese message naming what is wrong, nothing written."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from yiti.accounts.models import Role, Scope
from yiti.accounts.testing import make_user
from yiti.core.testing import county
from yiti.supervision import services
from yiti.supervision.models import Attachment, Report, Task
from yiti.supervision.testing import city_office, department, make_task

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def pdf(name: str = "会议纪要.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "supervision"
    return sorted(root.iterdir()) if root.exists() else []


class People:
    """The city office that assigns, 榆次区科技局 that leads, 太谷区科技局 that co-operates, 祁县科技局 that has
    nothing to do with the task, and a leader."""

    def __init__(self):
        self.city = city_office()
        self.lead = department("榆次区科技局", county("140702"), parent=self.city)
        self.co = department("太谷区科技局", county("140703"), parent=self.city)
        self.other = department("祁县科技局", county("140727"), parent=self.city)
        self.city_staff = make_user("city_staff", Role.STAFF, scope=Scope.CITY, department=self.city)
        self.lead_officer = make_user("lead_officer", Role.STAFF, scope=Scope.COUNTY, department=self.lead)
        self.lead_clerk = make_user("lead_clerk", Role.STAFF, scope=Scope.DEPARTMENT, department=self.lead)
        self.co_officer = make_user("co_officer", Role.STAFF, scope=Scope.COUNTY, department=self.co)
        self.other_officer = make_user("other_officer", Role.STAFF, scope=Scope.COUNTY, department=self.other)
        self.leader = make_user("leader", Role.LEADER)

    def task(self, **kw) -> Task:
        return make_task(assigning_department=self.city, lead_department=self.lead, co_departments=[self.co], **kw)


@pytest.fixture
def people(db):
    return People()


def walk_to(task: Task, people: People, status: str) -> Task:
    """Move `task` up the ladder to `status` through the services, as the right departments."""
    if status == "assigned":
        return task
    services.receive(task, user=people.lead_officer, date=TODAY)
    if status == "received":
        return task
    services.start(task, user=people.lead_officer)
    if status == "in_progress":
        return task
    services.complete(task, user=people.lead_officer, date=TODAY, text="已完成对接，签订协议两项")
    if status == "done":
        return task
    services.close(task, user=people.city_staff, date=TODAY, evaluation="good")
    return task


def fresh(task: Task) -> Task:
    return Task.objects.get(pk=task.pk)


# ---- every step ----------------------------------------------------------------------------------------

def test_the_whole_ladder_with_its_dates_reports_and_evaluation(people, settings):
    task = people.task(assigned_on=TODAY - 10 * DAY)
    services.receive(task, user=people.lead_officer, date=TODAY - 9 * DAY)
    assert (fresh(task).status, fresh(task).received_on) == ("received", TODAY - 9 * DAY)
    services.start(task, user=people.lead_officer)
    assert fresh(task).status == "in_progress"
    services.report_progress(task, user=people.co_officer, date=TODAY - 5 * DAY, text="已走访企业三家",
                             files=[pdf()])
    services.complete(task, user=people.lead_officer, date=TODAY - DAY, text="对接完成，签订合作协议两项",
                      files=[pdf("协议扫描件.pdf")])
    task = fresh(task)
    assert (task.status, task.done_on) == ("done", TODAY - DAY)
    services.close(task, user=people.city_staff, date=TODAY, evaluation="fairly_good", text="材料齐全")
    task = fresh(task)
    assert (task.status, task.closed_on, task.evaluation) == ("closed", TODAY, "fairly_good")
    assert list(task.reports.values_list("kind", flat=True)) == ["progress", "completion", "closing"]
    assert "较好" in task.reports.get(kind="closing").text and "材料齐全" in task.reports.get(kind="closing").text
    assert [a.name for a in Attachment.objects.filter(report__task=task)] == ["会议纪要.pdf", "协议扫描件.pdf"]
    # stored under media with random names, never the uploaded ones
    names = [p.name for p in stored_files(settings)]
    assert len(names) == 2 and all(n.endswith(".pdf") and "协议" not in n and "纪要" not in n for n in names)


def test_a_progress_report_on_a_received_task_starts_the_work(people):
    task = walk_to(people.task(), people, "received")
    services.report_progress(task, user=people.lead_clerk, date=TODAY, text="已召开推进会")
    assert fresh(task).status == "in_progress"


def test_return_sends_a_done_task_back_with_its_reason_and_it_can_be_completed_again(people):
    task = walk_to(people.task(), people, "done")
    services.return_task(task, user=people.city_staff, date=TODAY, reason="缺少协议扫描件")
    task = fresh(task)
    assert (task.status, task.done_on) == ("in_progress", None)
    returned = task.reports.get(kind="return")
    assert returned.text == "缺少协议扫描件" and returned.author == people.city_staff
    # the old completion report no longer counts: closing now is refused …
    task.status = "done"
    Task.objects.filter(pk=task.pk).update(status="done")
    with pytest.raises(ValidationError) as caught:
        services.close(task, user=people.city_staff, date=TODAY, evaluation="good")
    assert codes(caught.value) == {"no_completion_report"} and "办结报告" in text(caught.value)
    Task.objects.filter(pk=task.pk).update(status="in_progress")
    # … until a new one is given
    services.complete(task, user=people.lead_officer, date=TODAY, text="已补充扫描件", files=[pdf()])
    services.close(task, user=people.city_staff, date=TODAY, evaluation="fair")
    assert fresh(task).status == "closed"


def test_allowed_steps_follow_the_status_and_the_department(people):
    task = people.task()
    assert services.allowed_steps(task, people.lead_officer) == {"receive", "split"}
    assert services.allowed_steps(task, people.city_staff) == {"split"}
    assert services.allowed_steps(task, people.co_officer) == set()
    assert services.allowed_steps(task, people.leader) == set()
    walk_to(task, people, "in_progress")
    task = fresh(task)
    assert services.allowed_steps(task, people.lead_officer) == {"report", "complete", "split"}
    assert services.allowed_steps(task, people.co_officer) == {"report"}
    walk_to_done = services.complete(task, user=people.lead_officer, date=TODAY, text="办结")
    assert walk_to_done.kind == "completion"
    task = fresh(task)
    assert services.allowed_steps(task, people.city_staff) == {"close", "return_task"}
    assert services.allowed_steps(task, people.lead_officer) == set()


# ---- who may take a step ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("step", "status", "who", "code"), [
    ("receive", "assigned", "city_staff", "not_lead_department"),
    ("receive", "assigned", "co_officer", "not_lead_department"),
    ("receive", "assigned", "leader", "read_only"),
    ("complete", "in_progress", "co_officer", "not_lead_department"),
    ("complete", "in_progress", "city_staff", "not_lead_department"),
    ("close", "done", "lead_officer", "not_assigning_office"),  # the lead department cannot close its own task
    ("close", "done", "other_officer", "not_assigning_office"),
    ("close", "done", "leader", "read_only"),
    ("return_task", "done", "lead_officer", "not_assigning_office"),
    ("report", "in_progress", "other_officer", "not_working_on_task"),
    ("report", "in_progress", "city_staff", "not_working_on_task"),
    ("split", "assigned", "co_officer", "not_lead_department"),
])
def test_only_the_right_department_takes_a_step(people, step, status, who, code):
    task = walk_to(people.task(), people, status)
    before = (fresh(task).status, Report.objects.count())
    arguments = {
        "receive": {"date": TODAY}, "complete": {"date": TODAY, "text": "办结"},
        "close": {"date": TODAY, "evaluation": "good"}, "return_task": {"date": TODAY, "reason": "不完整"},
        "report": {"date": TODAY, "text": "进展"}, "split": {"departments": [people.other]},
    }[step]
    service = getattr(services, {"report": "report_progress"}.get(step, step))
    with pytest.raises(ValidationError) as caught:
        service(fresh(task), user=getattr(people, who), **arguments)
    assert codes(caught.value) == {code}
    assert (fresh(task).status, Report.objects.count()) == before


def test_a_county_officer_cannot_close_a_city_task(people):
    """The city office assigned it; 榆次区's officer leads it and sees it, but only the city office closes it."""
    task = walk_to(people.task(division=county("140700")), people, "done")
    with pytest.raises(ValidationError) as caught:
        services.close(task, user=people.lead_officer, date=TODAY, evaluation="good")
    assert codes(caught.value) == {"not_assigning_office"} and "晋中市委人才办" in text(caught.value)
    assert fresh(task).status == "done"


def test_the_responsible_person_reports_progress_whatever_their_department(people):
    task = walk_to(people.task(responsible=people.other_officer), people, "in_progress")
    services.report_progress(task, user=people.other_officer, date=TODAY, text="协调解决用地问题")
    assert task.reports.filter(kind="progress").count() == 1


@pytest.mark.parametrize(("step", "status"), [
    ("receive", "received"), ("start", "assigned"), ("complete", "received"), ("close", "in_progress"),
    ("return_task", "closed"), ("report", "assigned"), ("report", "done"), ("split", "done"),
])
def test_a_step_out_of_order_is_refused(people, step, status):
    task = walk_to(people.task(), people, status)
    who = people.city_staff if step in ("close", "return_task") else people.lead_officer
    arguments = {"receive": {}, "start": {}, "complete": {"date": TODAY, "text": "办结"},
                 "close": {"date": TODAY, "evaluation": "good"}, "return_task": {"date": TODAY, "reason": "x"},
                 "report": {"date": TODAY, "text": "进展"}, "split": {"departments": [people.other]}}[step]
    service = getattr(services, {"report": "report_progress"}.get(step, step))
    with pytest.raises(ValidationError) as caught:
        service(fresh(task), user=who, **arguments)
    assert codes(caught.value) == {"wrong_status"}


# ---- bad input -----------------------------------------------------------------------------------------

def test_a_deadline_before_the_assignment_date_is_refused(people):
    with pytest.raises(ValidationError) as caught:
        services.create_task(user=people.city_staff, title="补短板", division=county(), source="meeting",
                             assigning_department=people.city, lead_department=people.lead,
                             assigned_on=TODAY, deadline=TODAY - DAY)
    assert codes(caught.value) == {"deadline_before_assigned"}
    assert "办结时限" in text(caught.value) and "早于交办日期" in text(caught.value)
    assert not Task.objects.exists()
    task = people.task(assigned_on=TODAY - 5 * DAY)
    with pytest.raises(ValidationError):
        services.update_task(task, deadline=TODAY - 6 * DAY)  # an edit of the deadline alone is checked too
    assert fresh(task).deadline == task.deadline


@pytest.mark.parametrize(("step", "arguments", "field", "code", "words"), [
    ("receive", {"date": TODAY + DAY}, "date", "future", "晚于今天"),
    ("receive", {"date": TODAY - 30 * DAY}, "date", "too_early", "早于交办日期"),
    ("report", {"date": None, "text": "进展"}, "date", "required", "日期"),
    ("report", {"date": TODAY, "text": "  "}, "text", "required", "进展情况"),
    ("complete", {"date": TODAY, "text": ""}, "text", "required", "办结报告"),
    ("close", {"date": TODAY, "evaluation": "excellent"}, "evaluation", "evaluation", "好、较好、一般或差"),
    ("close", {"date": TODAY - 30 * DAY, "evaluation": "good"}, "date", "too_early", "早于办结日期"),
    ("return_task", {"date": TODAY, "reason": ""}, "reason", "required", "退回理由"),
])
def test_dates_and_texts_of_the_steps_are_checked(people, step, arguments, field, code, words):
    status = {"receive": "assigned", "report": "in_progress", "complete": "in_progress"}.get(step, "done")
    task = walk_to(people.task(assigned_on=TODAY - 10 * DAY), people, status)
    who = people.city_staff if step in ("close", "return_task") else people.lead_officer
    before = (fresh(task).status, Report.objects.count())
    service = getattr(services, {"report": "report_progress"}.get(step, step))
    with pytest.raises(ValidationError) as caught:
        service(fresh(task), user=who, **arguments)
    assert list(caught.value.error_dict) == [field]
    assert codes(caught.value) == {code}
    message = " ".join(str(m) % (e.params or {}) for e in caught.value.error_dict[field] for m in e.messages)
    assert words in message, message
    assert (fresh(task).status, Report.objects.count()) == before


def test_closing_without_a_completion_report_is_refused(people):
    task = walk_to(people.task(), people, "in_progress")
    Task.objects.filter(pk=task.pk).update(status="done", done_on=TODAY)  # e.g. data from before the ladder
    with pytest.raises(ValidationError) as caught:
        services.close(fresh(task), user=people.city_staff, date=TODAY, evaluation="good")
    assert codes(caught.value) == {"no_completion_report"}
    assert "没有办结报告" in text(caught.value)
    assert fresh(task).status == "done" and not task.reports.filter(kind="closing").exists()


@pytest.mark.parametrize(("upload", "code"), [
    (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00", content_type="application/octet-stream"), "file_type"),
    (SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"), "file_content"),
    (SimpleUploadedFile("空.pdf", b"", content_type="application/pdf"), "file_empty"),
])
def test_an_attachment_of_the_wrong_type_writes_nothing(people, settings, upload, code):
    task = walk_to(people.task(), people, "in_progress")
    with pytest.raises(ValidationError) as caught:
        services.report_progress(task, user=people.lead_officer, date=TODAY, text="进展", files=[pdf(), upload])
    assert codes(caught.value) == {code} and upload.name in text(caught.value)
    assert not Report.objects.exists() and not Attachment.objects.exists() and stored_files(settings) == []


def test_an_attachment_over_the_size_limit_writes_nothing(people, settings):
    settings.YITI_EVIDENCE_MAX_BYTES = 1024
    task = walk_to(people.task(), people, "in_progress")
    big = pdf("扫描件.pdf", PDF + b"0" * 2000)
    with pytest.raises(ValidationError) as caught:
        services.complete(task, user=people.lead_officer, date=TODAY, text="办结", files=[big])
    assert codes(caught.value) == {"file_size"} and "扫描件.pdf" in text(caught.value) and "1.0" in text(caught.value)
    assert fresh(task).status == "in_progress" and not Report.objects.exists() and stored_files(settings) == []


def test_a_failure_after_files_were_written_removes_them(people, settings, monkeypatch):
    task = walk_to(people.task(), people, "in_progress")

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_save", broken)  # fails after the report and its file are written
    with pytest.raises(RuntimeError):
        services.complete(task, user=people.lead_officer, date=TODAY, text="办结", files=[pdf()])
    assert not Report.objects.exists() and stored_files(settings) == []


def test_a_source_key_must_name_a_record(people):
    for key, code in (("合同12", "source_key"), ("agreement:0", "source_key"), ("agreement:99999", "source_missing")):
        with pytest.raises(ValidationError) as caught:
            services.check_task({"source_key": key})
        assert codes(caught.value) == {code}, key


# ---- 分解 ------------------------------------------------------------------------------------------------

def test_split_makes_one_sub_task_per_county_department(people):
    parent = make_task(title="开展科技特派员服务", division=county("140700"), assigning_department=people.city,
                       lead_department=people.city, assigned_on=TODAY - 3 * DAY, deadline=TODAY + 30 * DAY)
    subs = services.split(parent, user=people.city_staff, departments=[people.co, people.lead])
    assert [(s.title, s.division.code, s.lead_department, s.assigning_department, s.deadline, s.assigned_on)
            for s in subs] == [
        ("开展科技特派员服务（榆次区）", "140702", people.lead, people.city, parent.deadline, TODAY),
        ("开展科技特派员服务（太谷区）", "140703", people.co, people.city, parent.deadline, TODAY),
    ]
    assert all(s.status == "assigned" and s.parent == parent and s.created_by == people.city_staff for s in subs)
    assert services.subtask_progress(parent) == (0, 2)
    # the same county twice, a department that is no county's, a deadline before the assignment: refused
    for departments, deadline, code in (([people.lead], None, "duplicate"), ([people.city], None, "not_county"),
                                        ([people.other], TODAY - DAY, "deadline_before_assigned"),
                                        ([], None, "required")):
        with pytest.raises(ValidationError) as caught:
            services.split(parent, user=people.city_staff, departments=departments, deadline=deadline)
        assert code in codes(caught.value)
    assert parent.subtasks.count() == 2
    with pytest.raises(ValidationError) as caught:
        services.split(subs[0], user=people.city_staff, departments=[people.other])
    assert codes(caught.value) == {"nested"}


def test_the_parent_cannot_be_completed_while_a_sub_task_is_open(people):
    parent = make_task(division=county("140700"), assigning_department=people.city, lead_department=people.city)
    yuci, taigu = services.split(parent, user=people.city_staff, departments=[people.co, people.lead])
    services.receive(parent, user=people.city_staff)
    services.start(parent, user=people.city_staff)
    walk_to(yuci, people, "done")
    assert services.subtask_progress(parent) == (1, 2)
    with pytest.raises(ValidationError) as caught:
        services.complete(parent, user=people.city_staff, date=TODAY, text="全市完成")
    assert codes(caught.value) == {"subtasks_open"}
    assert "还有 1 项分解任务未办结（太谷区）" in text(caught.value)
    services.receive(taigu, user=people.co_officer)
    services.start(taigu, user=people.co_officer)
    services.complete(taigu, user=people.co_officer, date=TODAY, text="太谷区完成")
    # a sub-task is closed by the parent's lead department, which assigned it
    services.close(fresh(taigu), user=people.city_staff, date=TODAY, evaluation="good")
    assert services.subtask_progress(parent) == (2, 2)
    services.complete(parent, user=people.city_staff, date=TODAY, text="全市完成")
    assert fresh(parent).status == "done"


# ---- the pages -----------------------------------------------------------------------------------------

def step_url(task: Task, step: str) -> str:
    return reverse(f"supervision:task_{step}", args=[task.pk])


def test_the_lead_department_receives_and_completes_on_the_page(client, people, settings):
    task = people.task(division=county("140700"))  # a city task: the county officer sees it as its lead
    client.force_login(people.lead_officer)
    page = client.get(task.get_absolute_url())
    assert page.status_code == 200 and page.context["receive_form"] is not None
    assert client.post(step_url(task, "receive"), {"date": TODAY.isoformat()}).status_code == 302
    assert client.post(step_url(task, "start"), {}).status_code == 302
    response = client.post(step_url(task, "complete"), {"date": TODAY.isoformat(), "text": "已办结",
                                                        "files": [pdf("验收报告.pdf")]})
    assert response.status_code == 302 and response["Location"].endswith("#ladder")
    assert fresh(task).status == "done"
    attachment = Attachment.objects.get()
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "验收报告.pdf" in download["Content-Disposition"] or "filename*" in download["Content-Disposition"]


def test_a_refused_step_shows_the_page_again_with_the_reason(client, people):
    task = walk_to(people.task(division=county("140700")), people, "done")
    client.force_login(people.lead_officer)
    response = client.post(step_url(task, "close"), {"date": TODAY.isoformat(), "evaluation": "good"})
    assert response.status_code == 400
    assert "只有交办单位（晋中市委人才办）可以销号或退回" in response.content.decode()
    assert fresh(task).status == "done"
    client.force_login(people.city_staff)
    response = client.post(step_url(task, "close"), {"date": "2026-02-30", "evaluation": ""})
    assert response.status_code == 400 and fresh(task).status == "done"
    body = response.content.decode()
    assert "销号日期" in body and "销号评价" in body
    page = client.get(task.get_absolute_url())
    assert page.context["close_form"] is not None and page.context["return_task_form"] is not None


def test_a_bad_attachment_on_the_page_names_the_file_and_writes_nothing(client, people, settings):
    task = walk_to(people.task(), people, "in_progress")
    client.force_login(people.lead_officer)
    bad = SimpleUploadedFile("工作总结.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(step_url(task, "report"), {"date": TODAY.isoformat(), "text": "进展", "files": [bad]})
    assert response.status_code == 400 and "工作总结.exe" in response.content.decode()
    assert not Report.objects.exists() and stored_files(settings) == []


def test_only_the_assigning_office_edits_the_task(client, people):
    task = people.task()
    data = {"title": "改过的名称", "source": "meeting", "division": task.division_id,
            "assigning_department": people.city.pk, "lead_department": people.lead.pk,
            "assigned_on": task.assigned_on.isoformat(), "deadline": (TODAY + 90 * DAY).isoformat()}
    client.force_login(people.lead_officer)  # the lead department, whose county the task is in
    page = client.get(task.get_absolute_url())
    assert not page.context["may_change"] and not page.context["may_delete"]
    # the edit page is not theirs (the registry's write rule): not found, nothing changed
    assert client.post(reverse("supervision:task_edit", args=[task.pk]), data).status_code == 404
    assert fresh(task).deadline == task.deadline
    client.force_login(people.city_staff)
    assert client.get(task.get_absolute_url()).context["may_change"]
    assert client.post(reverse("supervision:task_edit", args=[task.pk]), data).status_code == 302
    assert fresh(task).deadline == TODAY + 90 * DAY


def test_a_leader_reads_the_task_and_takes_no_step(client, people):
    task = people.task()
    client.force_login(people.leader)
    page = client.get(task.get_absolute_url())
    assert page.status_code == 200
    assert not [name for name in services.STEPS if page.context.get(f"{name}_form")]
    response = client.post(step_url(task, "receive"), {"date": TODAY.isoformat()})
    assert response.status_code == 403  # a role that reads only: refused before the service
    assert fresh(task).status == "assigned"
    assert client.get(reverse("supervision:task_add")).status_code == 403


def test_organisation_contacts_have_no_access_to_tasks(client, people):
    from yiti.orgs.testing import make_enterprise

    enterprise = make_enterprise()
    task = people.task(organisation=enterprise)  # even a task about their own enterprise
    client.force_login(make_user("ent", Role.ORG_CONTACT, organisation=enterprise))
    for url in (reverse("supervision:task_list"), task.get_absolute_url(), step_url(task, "receive")):
        response = client.get(url) if "receive" not in url else client.post(url, {"date": TODAY.isoformat()})
        assert response.status_code == 403, url
    assert "督办" not in client.get("/").content.decode()  # no menu entry, no home card
    assert not Task.objects.restrict(make_user("uni", Role.ORG_CONTACT, organisation=enterprise)).exists()


def test_a_department_scoped_officer_sees_the_tasks_of_their_department(client, people):
    led = people.task(title="本部门牵头的事项")
    co = make_task(title="本部门配合的事项", assigning_department=people.city, lead_department=people.co,
                   co_departments=[people.lead], division=county("140703"))
    other = make_task(title="无关事项", assigning_department=people.city, lead_department=people.other,
                      division=county("140727"))
    client.force_login(people.lead_clerk)  # scope: own department; none of these was entered by it
    rows = {r.pk for r in client.get(reverse("supervision:task_list")).context["table"].page.object_list.data}
    assert rows == {led.pk, co.pk}
    assert client.get(co.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    # seen, not edited: the edit stays within the scope
    assert client.get(reverse("supervision:task_edit", args=[led.pk])).status_code == 404


def test_an_attachment_is_downloaded_only_by_who_may_view_its_task(client, people):
    task = walk_to(people.task(), people, "in_progress")
    services.report_progress(task, user=people.lead_officer, date=TODAY, text="进展", files=[pdf()])
    attachment = Attachment.objects.get()
    other_task = make_task(division=county("140727"), assigning_department=people.city, lead_department=people.other)
    client.force_login(people.other_officer)
    assert client.get(attachment.get_absolute_url()).status_code == 404  # another county's task
    # nor through a task of their own county: the attachment must belong to the task in the address
    wrong = reverse("supervision:task_attachment", args=[other_task.pk, attachment.pk])
    assert client.get(wrong).status_code == 404
    client.force_login(people.co_officer)  # the co-operating department may
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_split_on_the_page_and_the_parent_shows_its_progress(client, people):
    parent = make_task(title="全市人才政策宣讲", division=county("140700"), assigning_department=people.city,
                       lead_department=people.city)
    client.force_login(people.city_staff)
    response = client.post(step_url(parent, "split"), {"departments": [people.lead.pk, people.co.pk],
                                                       "assigned_on": TODAY.isoformat(),
                                                       "deadline": parent.deadline.isoformat()})
    assert response.status_code == 302 and response["Location"].endswith("#subtasks")
    html = client.get(parent.get_absolute_url()).content.decode()
    assert "已办结 0 / 共 2 项" in html and "全市人才政策宣讲（太谷区）" in html
    client.force_login(people.co_officer)  # 太谷区 sees its sub-task, and the parent's title without a link
    sub = parent.subtasks.get(division__code="140703")
    page = client.get(sub.get_absolute_url())
    assert page.status_code == 200 and page.context["receive_form"] is not None
    assert f'href="{parent.get_absolute_url()}"' not in page.content.decode()
    assert client.get(parent.get_absolute_url()).status_code == 404


# ---- import: nothing beyond 交办 ---------------------------------------------------------------------------

def test_imported_tasks_start_assigned_and_the_status_is_no_column(people, tmp_path):
    from yiti.imports.columns import columns_for
    from yiti.imports.services import import_file
    from yiti.supervision.views import registry

    assert "status" not in {c.name for c in columns_for(registry, people.city_staff)}
    sheet = tmp_path / "督办事项.csv"
    sheet.write_text("名称,所在地区,交办单位,牵头单位,交办日期,截止日期\n"
                     f"落实人才公寓,榆次区,晋中市委人才办,榆次区科技局,{TODAY - DAY},{TODAY + 30 * DAY}\n"
                     f"时限有误的事项,榆次区,晋中市委人才办,榆次区科技局,{TODAY},{TODAY - 3 * DAY}\n",
                     encoding="utf-8")
    counts, plan, _table = import_file(registry, sheet, people.city_staff, {"lenient": False})
    task = Task.objects.get(title="落实人才公寓")
    assert task.status == "assigned" and task.lead_department == people.lead
    assert not Task.objects.filter(title="时限有误的事项").exists()
    errors = " ".join(reason for row in plan.rows for _column, reason in row.errors)
    assert "早于交办日期" in errors, errors
