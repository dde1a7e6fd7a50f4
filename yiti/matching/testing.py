"""Test helpers of matching lists: a small two-county place with an officer, contacts and records, and a
stand-in for the recommendation service (`lists.candidates`) so that the workflow's tests do not depend on
the index."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from yiti.accounts.models import Department, Role, Scope
from yiti.accounts.testing import make_user
from yiti.core.models import Division
from yiti.matching import lists
from yiti.matching.choices import ItemState, ListKind, ListStatus
from yiti.matching.documents import key
from yiti.matching.models import MatchingItem, MatchingList
from yiti.needs.models import Need
from yiti.needs.testing import make_need
from yiti.orgs.testing import make_enterprise, make_org
from yiti.talents.testing import make_talent


@dataclass
class Place:
    division: Division
    department: Department
    enterprise: Any
    university: Any
    expert: Any
    need: Any
    officer: Any
    university_contact: Any
    enterprise_contact: Any
    extra: dict[str, Any] = field(default_factory=dict)


def make_place(code: str, marker: str, city_department: Department) -> Place:
    division = Division.objects.get(code=code)
    department = Department.objects.create(name=f"{division.name}科技局", kind="office", parent=city_department,
                                           division=division)
    enterprise = make_enterprise(name=f"{marker}精工机械有限公司", division=division)
    university = make_org(name=f"{marker}理工学院", org_type="university", division=division)
    expert = make_talent(name=f"{marker}王教授", organisation=university, division=division, consent_to_recommend=True)
    need = make_need(enterprise=enterprise, title=f"{marker}可锻铸铁退火能耗降低",
                     description="现有退火炉单位能耗偏高，希望引入蓄热式燃烧与智能温控。")
    return Place(division, department, enterprise, university, expert, need,
                 make_user(f"officer_{code}", Role.STAFF, scope=Scope.COUNTY, department=department, last_name=marker,
                           first_name="专员"),
                 make_user(f"uni_{code}", Role.ORG_CONTACT, organisation=university),
                 make_user(f"ent_{code}", Role.ORG_CONTACT, organisation=enterprise))


@dataclass
class Places:
    a: Place
    b: Place
    city_staff: Any
    leader: Any


def make_places() -> Places:
    city = Division.objects.get(code="140700")
    city_department, _created = Department.objects.get_or_create(name="晋中市人才办", kind="city", division=city)
    return Places(make_place("140702", "甲县", city_department), make_place("140703", "乙县", city_department),
                  make_user("city_staff_m", Role.STAFF, scope=Scope.CITY), make_user("leader_m", Role.LEADER))


def fake_candidates(user: Any, record: Any, kind: str, top: int) -> list[lists.Candidate]:
    """What the recommendation service would give, from the record's own county: its expert and university
    for a need, its enterprise for a result."""
    if isinstance(record, Need):
        division = record.enterprise.division
        if len(record.title) < 4:
            raise ValidationError("too short", code="too_short")
        if kind == "experts":
            from yiti.talents.models import Talent

            found = Talent.objects.filter(division=division, consent_to_recommend=True)
            return [lists.Candidate(key(t), t, 0.8, ["共同关键词：退火、蓄热式燃烧", "同县专家"]) for t in found[:top]]
        if kind == "orgs":
            from yiti.orgs.models import Organisation

            found_orgs = Organisation.objects.filter(division=division, org_type="university")
            return [lists.Candidate(key(o), o, 0.6, ["学科与需求行业相符"]) for o in found_orgs[:top]]
        return []
    from yiti.orgs.models import Organisation

    enterprises = Organisation.objects.filter(division_id=record.owner.division_id, org_type="enterprise")
    return [lists.Candidate(key(o), o, 0.7, ["企业所属行业与成果相符"]) for o in enterprises[:top]]


def make_matching_list(place: Place, published: bool = True) -> MatchingItem:
    """A list of `place`'s county with one item (its need → its expert), published unless said otherwise."""
    mlist = MatchingList.objects.create(title=f"{place.division.name}对接清单", kind=ListKind.NEEDS,
                                        division=place.division, status=ListStatus.REVIEW, created_by=place.officer)
    item = MatchingItem.objects.create(
        matching_list=mlist, position=1, source=key(place.need), candidate=key(place.expert), need=place.need,
        enterprise=place.enterprise, addressee=place.university, division=place.division, score=0.8,
        reasons=["共同关键词：退火"], state=ItemState.ACCEPTED)
    if published:
        lists.publish(mlist, place.officer, today=timezone.localdate())
        item.refresh_from_db()
    return item


def leak_targets(world: Any) -> dict[str, Any]:
    """County B's matching run, list and published item in the leak test's world (yiti/tests/world.py): what
    the /matching/… URLs with an id are aimed at. {"run": run, "list": list, "item": item}."""
    from yiti.matching.models import MatchingRun

    b = world.b
    staff_b = make_user("staff_b_matching", Role.STAFF, scope=Scope.COUNTY, department=b.department)
    need = b.records["needs.need"]
    talent = b.records["talents.talent"]
    mlist = MatchingList.objects.create(title=f"{b.marker}对接清单", kind=ListKind.NEEDS, division=b.division,
                                        status=ListStatus.REVIEW, created_by=staff_b)
    item = MatchingItem.objects.create(
        matching_list=mlist, position=1, source=key(need), candidate=key(talent), need=need, enterprise=b.enterprise,
        addressee=b.university, division=b.division, score=0.5, reasons=[f"{b.marker}推荐理由"],
        state=ItemState.ACCEPTED)
    lists.publish(mlist, staff_b)
    item.refresh_from_db()
    run = MatchingRun.objects.create(registry="matching", user=staff_b, matching_list=mlist,
                                     status=MatchingRun.Status.DONE, message=f"{b.marker}清单已生成")
    return {"run": run, "list": mlist, "item": item}
