"""An enterprise's Excel of positions for a fair, imported: rows written on confirm, bad rows named with the reason."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from yiti.activities.fairs.models import Position
from yiti.activities.fairs.testing import make_fair
from yiti.activities.testing import make_event
from yiti.imports.models import ImportJob
from yiti.orgs.testing import make_enterprise

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_enterprises_positions_sheet_is_imported_with_row_errors(admin_client):
    fair = make_fair(title="2025年晋中市春季招聘会", start_date=datetime.date(2025, 3, 15))
    make_event(title="博士大讲堂第3期", event_type="doctoral_lecture")
    make_enterprise(name="山西精工铸造有限公司")
    content = xlsx([
        ["招聘会", "企业", "岗位名称", "招聘人数", "岗位要求", "月薪下限（元）", "月薪上限（元）"],
        ["2025年晋中市春季招聘会", "山西精工铸造有限公司", "铸造工艺工程师", 3, "材料成型专业", 6000, 9000],
        ["2025年晋中市春季招聘会", "山西精工铸造有限公司", "质检员", 2, "", 4000, 5000],
        ["2025年晋中市春季招聘会", "山西精工铸造有限公司", "销售代表", 1, "", 8000, 5000],  # range upside down
        ["博士大讲堂第3期", "山西精工铸造有限公司", "研发工程师", 1, "", None, None],  # not a job fair
    ])
    response = admin_client.post(reverse("fairs:position_import"),
                                 {"file": SimpleUploadedFile("positions.xlsx", content), "create_missing": "on"})
    assert response.status_code == 302, response.content.decode()[:500]
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == ImportJob.Status.READY, job.message
    assert job.counts["created"] == 2 and job.counts["errors"] == 2
    errors = {e["row"]: e["errors"] for e in job.report["errors"]}
    assert errors[4][0][0] == "月薪上限（元）" and "低于" in errors[4][0][1]
    assert errors[5][0][0] == "招聘会"
    admin_client.post(reverse("imports:confirm", args=[job.pk]))
    assert sorted(Position.objects.filter(fair=fair).values_list("title", flat=True)) == ["质检员", "铸造工艺工程师"]
