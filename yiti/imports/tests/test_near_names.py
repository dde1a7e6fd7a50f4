"""Issue 12, items 18-19: names that nearly match an organisation are a choice, never a silent new
organisation; a preview with nothing to write says why and cannot be confirmed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yiti.core import testing
from yiti.imports import matching
from yiti.imports.models import ImportJob
from yiti.imports.tests.test_import import csv_bytes, job_of
from yiti.imports.views import UploadForm
from yiti.orgs.models import Organisation
from yiti.orgs.testing import make_enterprise
from yiti.talents.models import Talent
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db

EXISTING = "榆次协和电力科技有限公司"
TRADITIONAL = "榆次協和電力科技有限公司"


def upload(client, content: bytes, **options):
    """An upload as the form sends it: unticked boxes are absent."""
    data = {"file": SimpleUploadedFile("people.csv", content), **options}
    return job_of(client.post(reverse("talents:talent_import"), data))


def people(*orgs: str) -> bytes:
    return csv_bytes([["姓名", "人才类型", "单位"], *[[f"王{i}", "本土优秀人才", org] for i, org in enumerate(orgs)]])


def test_near_name_keys():
    assert matching.org_key(TRADITIONAL) == matching.org_key(EXISTING)
    assert matching.org_key("榆次协和电力科技有限责任公司") == matching.org_key(EXISTING)
    assert matching.org_key("榆次协和电力科技（有限公司）") == matching.org_key(EXISTING)
    assert matching.org_key("ＡＢＣ科技有限公司") == matching.org_key("abc科技有限公司")
    assert matching.name_key("李穎") == matching.name_key("李颖")
    assert matching.org_key("榆次协和电力设备有限公司") != matching.org_key(EXISTING)


def test_create_organisations_is_off_by_default(client):
    assert UploadForm().fields["create_missing"].initial is False
    form = UploadForm({}, {"file": SimpleUploadedFile("a.csv", b"a,b\n1,2\n")})
    assert form.is_valid() and form.cleaned_data["create_missing"] is False


def test_traditional_variant_is_offered_as_did_you_mean_not_created(admin_client):
    org = make_enterprise(name=EXISTING)
    job = upload(admin_client, people(TRADITIONAL, "榆次协和电力科技有限责任公司", TRADITIONAL), create_missing="on")
    assert job.status == ImportJob.Status.READY, job.message
    # Even with the box ticked, a near name is not created: its rows wait for a choice.
    assert job.report["new_organisation_count"] == 0
    assert job.counts["errors"] == 3 and job.counts["created"] == 0
    near = {n["name"]: n for n in job.report["near_organisations"]}
    assert set(near) == {TRADITIONAL, "榆次协和电力科技有限责任公司"}
    assert near[TRADITIONAL]["rows"] == 2 and near[TRADITIONAL]["choices"] == [[org.pk, EXISTING]]
    assert EXISTING in job.report["errors"][0]["errors"][0][1]
    page = admin_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "您是不是指" in page and f'value="{org.pk}"' in page
    # The user picks the existing organisation for one name and a new one for the other.
    response = admin_client.post(reverse("imports:choose_organisations", args=[job.pk]), {
        f"org-{near[TRADITIONAL]['key']}": str(org.pk),
        f"org-{near['榆次协和电力科技有限责任公司']['key']}": "new"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY and job.counts["errors"] == 0 and job.counts["created"] == 3
    assert job.report["new_organisations"] == ["榆次协和电力科技有限责任公司"]
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    assert Talent.objects.get(name="王0").organisation_id == org.pk
    assert Talent.objects.get(name="王2").organisation_id == org.pk
    assert not Organisation.objects.filter(name=TRADITIONAL).exists()
    assert Organisation.objects.filter(name="榆次协和电力科技有限责任公司").count() == 1


def test_a_forged_choice_changes_nothing(admin_client):
    make_enterprise(name=EXISTING)
    other = make_enterprise(name="别的公司")
    job = upload(admin_client, people(TRADITIONAL))
    key = job.report["near_organisations"][0]["key"]
    response = admin_client.post(reverse("imports:choose_organisations", args=[job.pk]), {f"org-{key}": str(other.pk)},
                                 follow=True)
    assert "不是" in response.content.decode()
    job.refresh_from_db()
    assert job.options.get("org_choices") in (None, {}) and job.counts["errors"] == 1


def test_unknown_organisation_with_the_box_unticked_is_a_row_error_that_says_so(admin_client):
    job = upload(admin_client, people("晋中某新公司"))
    assert job.counts["errors"] == 1 and job.report["new_organisation_count"] == 0
    reason = job.report["errors"][0]["errors"][0][1]
    assert "晋中某新公司" in reason and "自动新建单位" in reason
    assert not Organisation.objects.filter(name="晋中某新公司").exists()


def test_when_every_row_fails_the_confirm_button_is_disabled_and_says_why(admin_client):
    job = upload(admin_client, csv_bytes([["姓名", "人才类型"], ["王一", "不存在的类型"], ["王二", "也不存在"]]))
    assert job.counts["errors"] == 2
    page = admin_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "全部 2 行有错误，没有可导入的行" in page
    button = page.split('action="/imports/', 1)[1].split("</button>", 1)[0]
    assert "disabled" in button
    # Posting anyway writes nothing and leaves the job waiting.
    response = admin_client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assert "全部 2 行有错误" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.READY


def test_when_nothing_would_change_the_confirm_button_is_disabled(admin_client):
    id_number = testing.valid_id_number("19800101")
    make_talent(name="王一", population="local", id_number=id_number)
    job = upload(admin_client, csv_bytes([["姓名", "人才类型", "身份证号码"], ["王一", "本土优秀人才", id_number]]))
    assert job.counts["updated"] == 1 and job.counts["unchanged"] == 1, job.report
    page = admin_client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "没有会新增或修改记录的行" in page
