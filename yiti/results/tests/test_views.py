from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.orgs.testing import make_org
from yiti.results.testing import make_result
from yiti.talents.testing import make_talent


def result_data():
    owner = make_org(name="山西农业大学（测试）")
    leader = make_talent(name="赵谷丰", organisation=owner)
    member = make_talent(name="孙禾", organisation=owner)
    return {"title": "谷子抗旱新品种选育", "result_type": "plant_variety", "owner": owner.name,
            "leader": f"赵谷丰 #{leader.pk}", "team_members": f"赵谷丰 #{leader.pk}\n孙禾 #{member.pk}",
            "discipline": testing.discipline("0901").pk, "trl": 6, "transfer_mode": "licence", "status": "available",
            "year": 2025}


class TestResultViews(RegistryViewTests):
    app, model_name = "results", "result"
    list_queries = 9  # session, user, demo flag, filter selects, count, page ids, rows
    make = staticmethod(make_result)
    create_data = staticmethod(result_data)
    edit_changes = {"trl": 7}
    invalid_cases = [
        ({"year": 1800}, "year", "1949"),
        ({"trl": 12}, "trl", "12"),
        ({"asking_price": "-1"}, "asking_price", "0"),
        ({"team_members": "无名氏"}, "team_members", "无名氏"),
    ]
    filter_cases = [
        ("q=谷子", {"title": "谷子抗旱栽培技术"}, {"title": "铸铁热处理"}),
        ("trl_min=7", {"trl": 8}, {"trl": 4}),
        ("result_type=software", {"result_type": "software"}, {"result_type": "patent"}),
    ]


def test_team_members_are_saved(admin_client, db):
    from django.urls import reverse

    from yiti.results.models import Result

    admin_client.post(reverse("results:result_add"), result_data())
    result = Result.objects.get(title="谷子抗旱新品种选育")
    assert sorted(t.name for t in result.team_members.all()) == ["孙禾", "赵谷丰"]
