from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.orgs.testing import make_org
from yiti.platforms.testing import make_platform


def platform_data():
    host = make_org(name="晋中学院（测试）")
    partner = make_org(name="山西能源学院（测试）")
    return {"name": "晋中市新能源汽车零部件工程技术研究中心", "platform_type": "engineering_centre",
            "level": "municipal", "status": "accredited", "host": host.name, "partners": partner.name,
            "division": testing.county().pk, "applied_date": "2024-01-10", "accredited_date": "2024-06-01",
            "renewal_due": "2027-06-01"}


class TestPlatformViews(RegistryViewTests):
    app, model_name = "platforms", "platform"
    list_queries = 8  # session, user, demo flag, filter selects, count, page ids, rows
    make = staticmethod(make_platform)
    create_data = staticmethod(platform_data)
    edit_changes = {"level": "provincial"}
    invalid_cases = [
        ({"accredited_date": ""}, "accredited_date", "认定"),
        ({"renewal_due": "2023-01-01"}, "renewal_due", "早于"),
        ({"listed_date": "2023-01-01"}, "listed_date", "早于"),
    ]
    filter_cases = [
        ("level=national", {"level": "national"}, {"level": "county"}),
        ("renewal_due_after=2027-01-01&renewal_due_before=2027-12-31", {"renewal_due": "2027-05-01"},
         {"renewal_due": "2029-05-01"}),
    ]
