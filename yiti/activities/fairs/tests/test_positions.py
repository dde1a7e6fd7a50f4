"""The job fair positions registry: the generic registry tests, its own rules, and its import."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from yiti.activities.fairs.models import Position
from yiti.activities.fairs.testing import make_fair, make_position
from yiti.activities.testing import make_event
from yiti.core.testing import RegistryViewTests, discipline
from yiti.orgs.testing import make_enterprise


def position_data():
    fair = make_fair(title="2025年晋中市春季招聘会（岗位测试）", start_date=datetime.date(2025, 3, 15))
    enterprise = make_enterprise(name="晋中精密铸造有限公司（岗位测试）")
    return {"fair": fair.title, "enterprise": enterprise.name, "title": "铸造工艺工程师", "headcount": "3",
            "requirements": "材料成型及控制工程专业，本科及以上", "discipline": discipline().pk,
            "salary_min": "6000", "salary_max": "9000"}


class TestPositionViews(RegistryViewTests):
    app, model_name = "fairs", "position"
    list_queries = 7
    make = staticmethod(make_position)
    create_data = staticmethod(position_data)
    edit_changes = {"headcount": "5"}
    invalid_cases = [
        ({"salary_max": "3000"}, "salary_max", "低于"),
        ({"headcount": "0"}, "headcount", "至少"),
        ({"fair": "没有这场招聘会"}, "fair", "未找到"),
    ]
    filter_cases = [
        ("salary_min=8000", {"salary_max": 10000}, {"salary_max": 6000}),
    ]


@pytest.mark.django_db
def test_a_position_only_at_a_job_fair():
    lecture = make_event(event_type="doctoral_lecture")
    with pytest.raises(ValidationError) as caught:
        Position(fair=lecture, title="工程师", headcount=1).clean()
    assert [e.code for e in caught.value.error_dict["fair"]] == ["not_a_fair"]


@pytest.mark.django_db
def test_the_list_filters_by_the_fair_typed_by_title_or_id(admin_client):
    from django.urls import reverse

    fair = make_fair(title="2025年晋中市秋季招聘会（筛选）")
    mine, other = make_position(fair=fair), make_position()
    url = reverse("fairs:position_list")
    for value in (fair.title, f"#{fair.pk}"):
        body = admin_client.get(url, {"fair": value}).content.decode()
        assert mine.title in body and other.title not in body
    assert admin_client.get(url, {"fair": "0"}).status_code == 200  # junk: the form's error, never a 500
