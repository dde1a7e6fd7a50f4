"""A small city for the recommendation tests: a need of an enterprise in county A (榆次区), experts, results,
universities and a platform in counties A and B (太谷区), staff of each scope. The index is built at the end."""

import datetime

import pytest

from yiti.accounts.models import Department, Role, Scope
from yiti.accounts.testing import make_user
from yiti.core.models import Division
from yiti.core.testing import discipline, industry
from yiti.experts.models import Assignment
from yiti.experts.testing import make_expert_role
from yiti.matching import store
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.platforms.testing import make_platform
from yiti.results.testing import make_result
from yiti.talents.testing import make_talent


@pytest.fixture(name="city")
def city_fixture(db):
    a = Division.objects.get(code="140702")
    b = Division.objects.get(code="140703")
    enterprise = make_enterprise(name="晋中精工铸造有限公司", division=a, description="球墨铸铁铸件生产")
    need = make_need(enterprise=enterprise, title="球墨铸铁件热处理工艺优化", description="降低铸件气孔缺陷，提高强度",
                     keywords="球墨铸铁;热处理;气孔", discipline=discipline("0802"), industry=industry("36"))
    enterprise_b = make_enterprise(name="太谷球墨铸铁制品厂", division=b, description="球墨铸铁管件生产，需要热处理技术")
    need_b = make_need(enterprise=enterprise_b, title="球墨铸铁管件热处理技术需求", description="退火工艺改进",
                       keywords="球墨铸铁;热处理")
    uni_a = make_org(name="晋中学院", org_type="university", division=a, description="材料科学与铸造工艺研究")
    uni_b = make_org(name="太原理工大学晋中分院", org_type="university", division=b, description="铸造与热处理研究")
    expert = make_talent(name="王铸", division=a, organisation=uni_a, expertise="球墨铸铁;热处理;铸造工艺",
                         position="教授", discipline=discipline("0802"), title_level="senior", consent_to_recommend=True,
                         mobile="13912345678")
    other = make_talent(name="李冶", division=b, organisation=uni_b, expertise="铸件气孔;熔炼;球墨铸铁",
                        position="研究员", title_level="deputy_senior", consent_to_recommend=True)
    refusing = make_talent(name="赵拒", division=a, organisation=uni_a, expertise="球墨铸铁;热处理;铸件气孔",
                           consent_to_recommend=False)
    role = make_expert_role(talent=expert, capacity=3)
    Assignment.objects.create(role=role, organisation=make_enterprise(division=a),
                              start_date=datetime.date(2025, 1, 1))
    full_role = make_expert_role(talent=other, capacity=1)
    Assignment.objects.create(role=full_role, organisation=make_enterprise(division=b),
                              start_date=datetime.date(2025, 1, 1))
    result = make_result(owner=uni_a, leader=expert, title="一种球墨铸铁件的热处理方法", keywords="球墨铸铁;热处理",
                         description="降低气孔缺陷", trl=7, discipline=discipline("0802"), industry=industry("36"))
    result_b = make_result(owner=uni_b, leader=other, title="铸件气孔缺陷检测装置", keywords="气孔;检测", trl=3)
    platform = make_platform(name="铸造工艺重点实验室", host=uni_b, description="球墨铸铁热处理中试", division=b)
    store.build()
    office_a = Department.objects.create(name="榆次区科技局", kind="office", division=a)
    office_b = Department.objects.create(name="太谷区科技局", kind="office", division=b)
    staff_a = make_user("staff_a", Role.STAFF, scope=Scope.COUNTY, department=office_a)
    staff_b = make_user("staff_b", Role.STAFF, scope=Scope.COUNTY, department=office_b)
    city_staff = make_user("city", Role.STAFF, scope=Scope.CITY)
    leader = make_user("leader", Role.LEADER)
    enterprise_contact = make_user("ent", Role.ORG_CONTACT, organisation=enterprise)
    university_contact = make_user("uni", Role.ORG_CONTACT, organisation=uni_a)
    return locals()
