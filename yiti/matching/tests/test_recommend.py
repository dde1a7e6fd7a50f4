"""The recommendation service (yiti.matching.recommend): kinds, reasons, scope and consent, feedback, bad input."""

import datetime

import pytest

from yiti.accounts.models import Department, Role, Scope
from yiti.accounts.testing import make_user
from yiti.core.models import Division
from yiti.core.testing import discipline, industry
from yiti.experts.models import Assignment
from yiti.experts.testing import make_expert_role
from yiti.matching import recommend as rec
from yiti.matching import store
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.platforms.testing import make_platform
from yiti.results.testing import make_result
from yiti.talents.testing import make_talent

pytestmark = pytest.mark.django_db

NEED_TEXT = "球墨铸铁件热处理工艺优化，降低铸件气孔缺陷"


@pytest.fixture
def city():
    """A small city: a need of an enterprise in county A; experts, results, universities in A and B."""
    a = Division.objects.get(code="140702")
    b = Division.objects.get(code="140703")
    enterprise = make_enterprise(name="晋中精工铸造有限公司", division=a, description="球墨铸铁铸件生产")
    need = make_need(enterprise=enterprise, title="球墨铸铁件热处理工艺优化", description="降低铸件气孔缺陷，提高强度",
                     keywords="球墨铸铁;热处理;气孔", discipline=discipline("0802"), industry=industry("36"))
    uni_a = make_org(name="晋中学院", org_type="university", division=a, description="材料科学与铸造工艺研究")
    uni_b = make_org(name="太原理工大学晋中分院", org_type="university", division=b, description="铸造与热处理研究")
    expert = make_talent(name="王铸", division=a, organisation=uni_a, expertise="球墨铸铁;热处理;铸造工艺",
                         position="教授", discipline=discipline("0802"), title_level="senior", consent_to_recommend=True)
    other = make_talent(name="李冶", division=b, organisation=uni_b, expertise="铸件气孔;熔炼",
                        position="研究员", title_level="deputy_senior", consent_to_recommend=True)
    refusing = make_talent(name="赵拒", division=a, organisation=uni_a, expertise="球墨铸铁;热处理",
                           consent_to_recommend=False)
    role = make_expert_role(talent=expert, capacity=3)
    Assignment.objects.create(role=role, organisation=make_enterprise(division=a),
                              start_date=datetime.date(2025, 1, 1))
    result = make_result(owner=uni_a, leader=expert, title="一种球墨铸铁件的热处理方法", keywords="球墨铸铁;热处理",
                         description="降低气孔缺陷", trl=7, discipline=discipline("0802"))
    result_b = make_result(owner=uni_b, leader=other, title="铸件气孔缺陷检测装置", keywords="气孔;检测", trl=3)
    platform = make_platform(name="铸造工艺重点实验室", host=uni_b, description="球墨铸铁热处理中试", division=b)
    store.build()
    staff_a = make_user("staff_a", Role.STAFF, scope=Scope.COUNTY,
                        department=Department.objects.create(name="榆次区科技局", kind="office", division=a))
    city_staff = make_user("city", Role.STAFF, scope=Scope.CITY)
    return locals()


def test_experts_for_a_need_come_with_reasons(city):
    found = rec.recommend(city["city_staff"], city["need"], "experts")
    keys = [r.key for r in found]
    assert keys[0] == f"talent:{city['expert'].pk}"
    first = found[0]
    assert 0 < first.score <= 1 and all(0 < r.score <= 1 for r in found)
    assert 1 <= len(first.reasons) <= 3
    assert any("共同关键词" in r and "球墨铸铁" in r for r in first.reasons), first.reasons
    assert f"talent:{city['refusing'].pk}" not in keys  # no consent, never offered


def test_results_and_orgs_for_a_need(city):
    results = rec.recommend(city["city_staff"], city["need"], "results")
    assert results[0].key == f"result:{city['result'].pk}"
    orgs = rec.recommend(city["city_staff"], city["need"], "orgs")
    keys = {r.key for r in orgs}
    assert f"org:{city['uni_a'].pk}" in keys and f"org:{city['uni_b'].pk}" in keys
    assert f"org:{city['enterprise'].pk}" not in keys  # enterprises are not research organisations
