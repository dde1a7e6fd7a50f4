from yiti.core import testing
from yiti.core.testing import RegistryViewTests
from yiti.talents.testing import make_talent


def talent_data():
    return {"name": "李明", "population": "local", "division": testing.county().pk, "gender": "male",
            "birth_year": 1980, "id_number": testing.valid_id_number("19800101"), "mobile": "13800138000"}


class TestTalentViews(RegistryViewTests):
    app, model_name = "talents", "talent"
    list_queries = 11  # session, user, demo flag, filter selects, count, page ids, rows
    make = staticmethod(make_talent)
    create_data = staticmethod(talent_data)
    edit_changes = {"position": "教授"}
    invalid_cases = [
        ({"id_number": "140702198001011234"}, "id_number", "校验"),
        ({"id_number": "140702198002301234"}, "id_number", "出生日期"),
        ({"mobile": "1380013800"}, "mobile", "11"),
        ({"birth_year": 1975}, "birth_year", "身份证"),
        ({"population": "native_elsewhere", "category": ""}, "category", "七类"),
        ({"organisation": "不存在的单位"}, "organisation", "不存在的单位"),
        ({"returned_on": "2999-01-01"}, "returned_on", "回国/返乡日期 2999-01-01 晚于今天"),
    ]
    filter_cases = [
        ("q=区块链", {"expertise": "区块链、供应链金融"}, {"expertise": "铸造"}),
        ("population=native_elsewhere", {"population": "native_elsewhere", "category": "university"},
         {"population": "local"}),
        ("title_level=senior", {"title_level": "senior"}, {"title_level": "intermediate"}),
    ]
