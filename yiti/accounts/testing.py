"""Two counties, each with an office, an enterprise and one record of every registry, and users of
every role — the world the access tests (and the leak test) run in."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from yiti.accounts.models import Department, Role, Scope, User
from yiti.core import testing
from yiti.core.models import Division

PASSWORD = "Zs-2026-access!"
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
    enterprise = testing.make_enterprise(name=f"{marker}精工机械有限公司", division=division)
    university = testing.make_org(name=f"{marker}职业技术学院", org_type="university", division=division)
    talent = testing.make_talent(name=f"{marker}张工", division=division, organisation=university,
                                 mobile="13912345678", id_number=testing.valid_id_number("19790302"))
    county = County(division, department, enterprise, university)
    county.records = {
        "orgs.organisation": enterprise,
        "talents.talent": talent,
        "experts.expertrole": testing.make_expert_role(talent=talent, notes=f"{marker}特派员"),
        "needs.need": testing.make_need(enterprise=enterprise, title=f"{marker}铸件检测需求"),
        "results.result": testing.make_result(owner=university, title=f"{marker}一种热处理方法"),
        "platforms.platform": testing.make_platform(host=university, division=division,
                                                    name=f"{marker}工程技术研究中心"),
        "agreements.agreement": testing.make_agreement(
            parties=[university, enterprise], division=division, title=f"{marker}校企合作协议",
            signed_date=datetime.date(2025, 5, 1)),
    }
    return county


def make_user(username: str, role: str, **kw: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, **kw)
    if apps.is_installed("yiti.security"):
        # These users chose their own password: no forced change stands between them and the pages.
        from yiti.security.models import AccountSecurity

        AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": False})
    return user


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
