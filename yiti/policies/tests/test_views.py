from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.policies.testing import granting_office, make_policy


def policy_data():
    return {"title": "晋中市高校毕业生一次性创业补贴", "doc_number": "市人社发〔2025〕12号",
            "issuing_department": "晋中市人力资源和社会保障局", "division": testing.county().pk,
            "granting_department": granting_office().pk, "kind": "automatic", "subject": "organisation",
            "effective_from": "2025-01-01", "effective_to": "2027-12-31", "target_group": "高校毕业生创办的企业",
            "rules": "单位类型 = 企业\n培育阶段 属于 初创企业、科技型中小企业"}


class TestPolicyViews(RegistryViewTests):
    app, model_name = "policies", "policy"
    list_queries = 7  # session, user, demo flag, division select, count, page ids, rows …
    make = staticmethod(make_policy)
    create_data = staticmethod(policy_data)
    edit_changes = {"kind": "quick"}
    invalid_cases = [
        ({"effective_to": "2024-01-01"}, "effective_to", "早于"),
        ({"rules": "注册资本 ≥ 100"}, "rules", "注册资本"),
        ({"rules": "单位类型 ≥ 企业"}, "rules", "单位类型"),
        ({"rules": "培育阶段 属于 独角兽"}, "rules", "独角兽"),
    ]
    filter_cases = [
        ("kind=quick", {"kind": "quick"}, {"kind": "automatic"}),
        ("subject=talent", {"subject": "talent"}, {"subject": "organisation"}),
    ]
