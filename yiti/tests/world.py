"""Two counties, each with an office, an enterprise and one record of every registry, and users of
every role — the world the access tests (and the leak test) run in. It uses every registry's factories,
so it sits here, above the layers, and not in yiti.accounts.testing."""

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from yiti.accounts.models import Department, Role, Scope, User
from yiti.accounts.testing import make_user
from yiti.core.models import Division
from yiti.core.registry import registries
from yiti.orgs.testing import make_enterprise, make_org

# Every record of county B carries this marker in its text, so a page that leaks one shows it.
MARKER_B = "乙县专属"
# Except the public fields of county B's records in the city-wide pool (docs/access.md) — its expert, research
# result, platform and university — which every county may read: they carry this one instead. Whatever of them
# is not public (an expert role's notes) still carries MARKER_B.
PUBLIC_B = "乙县公开"


@dataclass
class County:
    division: Division
    department: Department
    enterprise: Any
    university: Any
    marker: str
    public_marker: str = ""
    records: dict[str, Any] = field(default_factory=dict)
    # Records of registries with a city-wide pool that stay in the scope (a talent who is no expert, a 不公开
    # result, the role of an expert whose profile is 不公开), by model label; they carry `marker`.
    hidden: dict[str, list[Any]] = field(default_factory=dict)


def build_county(code: str, marker: str, public_marker: str = "") -> County:
    division = Division.objects.get(code=code)
    city = Division.objects.get(code="140700")
    city_department, _ = Department.objects.get_or_create(name="晋中市人才办", kind="city", division=city)
    department = Department.objects.create(name=f"{division.name}科技局", kind="office", parent=city_department,
                                           division=division)
    enterprise = make_enterprise(name=f"{marker}精工机械有限公司", division=division)
    public_marker = public_marker or marker
    university = make_org(name=f"{public_marker}职业技术学院", org_type="university", division=division)
    county = County(division, department, enterprise, university, marker, public_marker)
    # One record of every declared registry, each made by its own app (yiti/<app>/testing.py world_record), so
    # that a new registry joins the access and leak tests without a line here.
    for registry in registries().values():
        testing = import_module(f"{registry.model._meta.app_config.name}.testing")
        make = getattr(testing, "world_record", None)
        if make is None:
            raise AssertionError(f"{testing.__name__} has no world_record(place): the access and leak tests need one "
                                 f"record of {registry.model._meta.label} per county")
        county.records[registry.model._meta.label_lower] = make(county)
    _hidden_records(county)
    return county


def _hidden_records(county: County) -> None:
    from yiti.experts.testing import make_expert_role
    from yiti.results.testing import make_result
    from yiti.talents.testing import make_talent

    marker, division, university = county.marker, county.division, county.university
    liaison = make_talent(name=f"{marker}联络人才", division=division, organisation=university,
                          mobile=f"137{division.code[-4:]}1111", email=f"liaison{division.code}@example.com")
    private = make_talent(name=f"{marker}不公开专家", division=division, organisation=university,
                          mobile=f"137{division.code[-4:]}2222", profile_public=False)
    county.hidden = {
        "talents.talent": [liaison, private],
        "experts.expertrole": [make_expert_role(talent=private, notes=f"{marker}不公开")],
        "results.result": [make_result(owner=university, title=f"{marker}不公开成果", is_public=False)],
    }


@dataclass
class World:
    a: County
    b: County
    users: dict[str, User]


def build_world() -> World:
    a = build_county("140702", "甲县专属")
    b = build_county("140703", MARKER_B, PUBLIC_B)
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
