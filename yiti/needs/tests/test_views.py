from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org


def need_data():
    enterprise = make_enterprise(name="太谷精工铸业有限公司")
    return {"enterprise": enterprise.name, "need_type": "technology", "title": "可锻铸铁件退火能耗降低",
            "description": "现有退火炉能耗高", "keywords": "退火、节能", "industry": testing.industry("33").pk,
            "published_date": "2026-03-01", "deadline": "2026-12-31", "status": "published"}


class TestNeedViews(RegistryViewTests):
    app, model_name = "needs", "need"
    list_queries = 9  # session, user, demo flag, filter selects, count, page ids, rows
    make = staticmethod(make_need)
    create_data = staticmethod(need_data)
    edit_changes = {"status": "matched"}
    invalid_cases = [
        ({"deadline": "2026-01-01"}, "deadline", "早于"),
        ({"budget": "-5"}, "budget", "0"),
        ({"title": ""}, "title", "必填"),
        ({"deadline": "2026-13-45"}, "deadline", "日期"),
    ]
    filter_cases = [
        ("q=退火", {"title": "退火工艺改进"}, {"title": "冷库保鲜"}),
        ("need_type=talent", {"need_type": "talent"}, {"need_type": "technology"}),
        ("status=in_talks", {"status": "in_talks"}, {"status": "closed"}),
        ("deadline_after=2026-06-01&deadline_before=2026-06-30", {"deadline": "2026-06-15"},
         {"deadline": "2026-09-01"}),
    ]


def test_need_of_a_non_enterprise_is_refused(admin_client, db):
    from django.urls import reverse

    university = make_org(org_type="university", name="晋中学院测试")
    data = {**need_data(), "enterprise": university.name}
    response = admin_client.post(reverse("needs:need_add"), data)
    assert response.status_code == 200
    assert "enterprise" in response.context["form"].errors
