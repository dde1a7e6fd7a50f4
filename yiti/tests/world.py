"""Two counties, each with an office, an enterprise and one record of every registry, and users of
every role — the world the access tests (and the leak test) run in. It uses every registry's factories,
so it sits here, above the layers, and not in yiti.accounts.testing."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from yiti.accounts.models import Department, Role, Scope, User
from yiti.accounts.testing import make_user
from yiti.agreements.testing import make_agreement
from yiti.core.models import Division
from yiti.core.testing import valid_id_number
from yiti.experts.testing import make_expert_role
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.platforms.testing import make_platform
from yiti.results.testing import make_result
from yiti.talents.testing import make_talent

# Every record of county B carries this marker in its text, so a page that leaks one shows it.
MARKER_B = "乙县专属"


@dataclass
class County:
    division: Division
    department: Department
    enterprise: Any
    university: Any
    records: dict[str, Any] = field(default_factory=dict)


def build_county(code: str, marker: str) -> County:
    division = Division.objects.get(code=code)
    city = Division.objects.get(code="140700")
    city_department, _ = Department.objects.get_or_create(name="晋中市人才办", kind="city", division=city)
    department = Department.objects.create(name=f"{division.name}科技局", kind="office", parent=city_department,
                                           division=division)
    enterprise = make_enterprise(name=f"{marker}精工机械有限公司", division=division)
    university = make_org(name=f"{marker}职业技术学院", org_type="university", division=division)
    talent = make_talent(name=f"{marker}张工", division=division, organisation=university,
                                 mobile="13912345678", id_number=valid_id_number("19790302"))
    county = County(division, department, enterprise, university)
    county.records = {
        "orgs.organisation": enterprise,
        "talents.talent": talent,
        "experts.expertrole": make_expert_role(talent=talent, notes=f"{marker}特派员"),
        "needs.need": make_need(enterprise=enterprise, title=f"{marker}铸件检测需求"),
        "results.result": make_result(owner=university, title=f"{marker}一种热处理方法"),
        "platforms.platform": make_platform(host=university, division=division,
                                                    name=f"{marker}工程技术研究中心"),
        "agreements.agreement": make_agreement(
            parties=[university, enterprise], division=division, title=f"{marker}校企合作协议",
            signed_date=datetime.date(2025, 5, 1)),
    }
    return county


@dataclass
class World:
    a: County
    b: County
    users: dict[str, User]


def build_world() -> World:
    a = build_county("140702", "甲县专属")
    b = build_county("140703", MARKER_B)
    users = {
        "county_staff_a": make_user("staff_a", Role.STAFF, scope=Scope.COUNTY, department=a.department),
        "department_staff_a": make_user("dept_a", Role.STAFF, scope=Scope.DEPARTMENT, department=a.department),
        "enterprise_contact_a": make_user("ent_a", Role.ORG_CONTACT, organisation=a.enterprise),
        "university_contact_a": make_user("uni_a", Role.ORG_CONTACT, organisation=a.university),
        "leader": make_user("leader", Role.LEADER),
        "sysadmin": make_user("sysadmin", Role.SYSADMIN),
        "secadmin": make_user("secadmin", Role.SECADMIN),
        "auditor": make_user("auditor", Role.AUDITOR),
        "city_staff": make_user("city_staff", Role.STAFF, scope=Scope.CITY),
    }
    return World(a, b, users)
