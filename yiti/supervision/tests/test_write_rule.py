"""A task is edited and deleted by its assigning office only (the registry's write rule in restrict()): the
edit and delete pages, the list's 编辑/删除 links and restrict() agree."""

import pytest

from yiti.supervision.models import Task
from yiti.supervision.testing import make_task, world

pytestmark = pytest.mark.django_db


def test_only_the_assigning_office_edits_or_deletes_a_task(client):
    w = world()
    city_task = make_task(w, title="市里交办榆次区的事项")  # assigned by the city office, in 榆次区
    own_task = make_task(w, title="榆次区科技局自己交办的事项", assigning_department=w.yuci_office,
                         lead_department=w.yuci_office)

    assert set(Task.objects.restrict(w.yuci_staff, "view")) >= {city_task, own_task}
    assert list(Task.objects.restrict(w.yuci_staff, "change")) == [own_task]
    assert list(Task.objects.restrict(w.yuci_staff, "delete")) == [own_task]
    # the city-wide office coordinates every task: not narrowed
    assert set(Task.objects.restrict(w.city_staff, "delete")) == {city_task, own_task}

    client.force_login(w.yuci_staff)
    for url in (f"/supervision/{city_task.pk}/edit/", f"/supervision/{city_task.pk}/delete/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/supervision/{city_task.pk}/delete/").status_code == 404
    assert Task.objects.filter(pk=city_task.pk).exists()
    assert client.get(f"/supervision/{own_task.pk}/edit/").status_code == 200
    page = client.get("/supervision/").content.decode()
    assert f"/supervision/{own_task.pk}/edit/" in page and f"/supervision/{city_task.pk}/edit/" not in page
    assert f"/supervision/{city_task.pk}/delete/" not in page

    client.force_login(w.city_staff)
    assert client.get(f"/supervision/{city_task.pk}/delete/").status_code == 200


def test_one_visibility_rule_and_one_attachment_shape():
    """Folded duplicates: the Task has one visibility rule (visible_to, of which addressed_to is the to-do part),
    and both attachment models are the core's abstract one, with no migration pending (the tables are kept)."""
    from io import StringIO

    from django.core.management import call_command

    from yiti.agreements.models import Attachment as EvidenceAttachment
    from yiti.core import extensions
    from yiti.core.attachments import Attachment
    from yiti.supervision import visibility
    from yiti.supervision.models import Attachment as ReportAttachment

    assert extensions.visibility_rules("supervision.task") == [visibility.visible_to]
    assert issubclass(EvidenceAttachment, Attachment) and issubclass(ReportAttachment, Attachment)
    assert EvidenceAttachment._meta.db_table == "agreements_attachment"
    assert ReportAttachment._meta.db_table == "supervision_attachment"
    call_command("makemigrations", "agreements", "supervision", "--check", "--dry-run", stdout=StringIO())


def test_a_county_office_sees_the_task_it_assigned_to_another_county_and_its_to_do_does_not_list_it():
    w = world()
    task = make_task(w, title="榆次区科技局交办太谷区的事项", assigning_department=w.yuci_office,
                     lead_department=w.taigu_dept, division=w.taigu)
    assert Task.objects.restrict(w.yuci_staff, "view").filter(pk=task.pk).exists()
    assert Task.objects.restrict(w.taigu_staff, "view").filter(pk=task.pk).exists()  # it leads it
    from yiti.supervision import visibility

    assert not Task.objects.filter(visibility.addressed_to(w.yuci_staff)).filter(pk=task.pk).exists()
