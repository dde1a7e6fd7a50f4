from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.orgs.testing import make_org


def org_data():
    return {"name": "晋中市新材料研究院", "org_type": "institute", "division": testing.county().pk,
            "description": "新材料研发"}


class TestOrganisationViews(RegistryViewTests):
    app, model_name = "orgs", "organisation"
    list_queries = 8  # session, user, demo flag, filter selects, count, page ids, rows
    make = staticmethod(make_org)
    create_data = staticmethod(org_data)
    edit_changes = {"short_name": "新材院"}
    invalid_cases = [
        ({"credit_code": "91140700MA0GRXXXX1"}, "credit_code", "校验"),
        ({"org_type": "institute", "ladder_stage": "tech_sme"}, "ladder_stage", "只有企业"),
        ({"phone": "12345"}, "phone", "手机"),
        ({"name": ""}, "name", "必填"),
        ({"founded_on": "2999-01-01"}, "founded_on", "成立日期 2999-01-01 晚于今天"),
    ]
    filter_cases = [
        ("q=铸造", {"name": "太谷铸造有限公司"}, {"name": "平遥牛肉食品有限公司"}),
        ("org_type=hospital", {"org_type": "hospital"}, {"org_type": "university"}),
        ("ladder_stage=high_tech", {"org_type": "enterprise", "ladder_stage": "high_tech"},
         {"org_type": "enterprise", "ladder_stage": "startup"}),
    ]
