"""Demo departments and accounts: one per role and per county office, plus a university and an
enterprise contact, with random passwords written to .demo-accounts.json (git-ignored)."""

import json
import os
import secrets
from pathlib import Path
from typing import Any

from django.db import transaction

from yiti.accounts.models import Department, Role, Scope, User
from yiti.core.models import Division
from yiti.core.registry import registries
from yiti.orgs.choices import OrgType
from yiti.orgs.models import Organisation
from yiti.security.models import AccountSecurity
from yiti.supervision.models import Task


def accounts_file() -> Path:
    return Path(os.environ.get("YITI_DEMO_ACCOUNTS", ".demo-accounts.json"))


def random_password() -> str:
    # Letters, digits and symbols: passes the password rules without being guessable.
    return secrets.token_urlsafe(12) + "#7a"


# Demo people have names, as real accounts do: pages show "刘洋（晋中市委人才办）", not "city_staff".
DEMO_NAMES = {
    "sysadmin": "王建国", "secadmin": "李秀英", "auditor": "张志强", "leader": "赵立新", "city_staff": "刘洋",
    "university": "陈静", "enterprise": "周磊",
}
# The county officers, in the order of the counties' codes (榆次区, 太谷区, 榆社县 …).
COUNTY_NAMES = ["郭晓东", "孙丽娟", "马文斌", "胡海燕", "高建华", "林志远", "何雪梅", "罗明亮", "梁淑芬", "宋志刚",
                "韩晓峰", "唐建军"]


def _names(full: str) -> dict[str, Any]:
    return {"last_name": full[:1], "first_name": full[1:]}


def _account(accounts: dict[str, Any], username: str, label: str, superuser: bool = False, **fields: Any) -> User:
    if username in DEMO_NAMES:
        fields = {**_names(DEMO_NAMES[username]), **fields}
    password = random_password()
    create = User.objects.create_superuser if superuser else User.objects.create_user
    user = create(username=username, password=password, **fields)
    # Demo passwords live in a local file for trying the platform: no forced change at first login.
    # (Accounts created by the system administrator must change theirs; see docs/login-security.md.)
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": False})
    accounts[username] = {"password": password, "role": label}
    return user


def _save(accounts: dict[str, Any]) -> None:
    path = accounts_file()
    existing = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**existing, **accounts}, ensure_ascii=False, indent=2))
    path.chmod(0o600)


def load_accounts() -> dict[str, Any]:
    path = accounts_file()
    return json.loads(path.read_text()) if path.exists() else {}


@transaction.atomic
def create_demo_admin(username: str = "admin") -> dict[str, Any] | None:
    """The superuser for Django's admin; None when it exists already."""
    if User.objects.filter(username=username).exists():
        return None
    accounts: dict[str, Any] = {}
    _account(accounts, username, "超级管理员（首次登录须绑定身份验证器）", superuser=True, email="")
    _save(accounts)
    return accounts[username]


def demo_departments() -> tuple[Department, dict[int, Department]]:
    """The city office and each county's 科技局 (by the county's division id), made once: the demo's supervision
    tasks (generated before the accounts) and the county officers' accounts use the same departments."""
    city = Division.objects.get(code="140700")
    city_office, _ = Department.objects.get_or_create(name="晋中市委人才办", kind="city", division=city)
    offices = {}
    for county in Division.objects.filter(parent=city).order_by("code"):
        county_node, _ = Department.objects.get_or_create(name=county.name, kind="county", parent=city_office,
                                                          division=county)
        offices[county.pk], _ = Department.objects.get_or_create(name=f"{county.name}科技局", kind="office",
                                                                 parent=county_node, division=county)
    return city_office, offices


@transaction.atomic
def create_demo_accounts() -> dict[str, Any]:
    city = Division.objects.get(code="140700")
    city_office, offices = demo_departments()
    accounts: dict[str, Any] = {}
    _account(accounts, "sysadmin", "系统管理员", role=Role.SYSADMIN)
    _account(accounts, "secadmin", "安全管理员", role=Role.SECADMIN)
    _account(accounts, "auditor", "审计员", role=Role.AUDITOR)
    _account(accounts, "leader", "领导（只读）", role=Role.LEADER)
    city_staff = _account(accounts, "city_staff", "市人才办工作人员（全市）", role=Role.STAFF, scope=Scope.CITY,
                          department=city_office, may_reveal_personal_data=True)
    creators: dict[int, User] = {}
    for n, county in enumerate(Division.objects.filter(parent=city).order_by("code")):
        office = offices[county.pk]
        creators[county.pk] = _account(accounts, f"staff_{county.code}", f"{county.name}科技局（本县）",
                                       role=Role.STAFF, scope=Scope.COUNTY, department=office,
                                       **_names(COUNTY_NAMES[n % len(COUNTY_NAMES)]))
    university = Organisation.objects.filter(org_type=OrgType.UNIVERSITY, name="山西农业大学").first()
    enterprise = Organisation.objects.filter(org_type=OrgType.ENTERPRISE).order_by("pk").first()
    if university:
        _account(accounts, "university", f"高校联系人（{university.name}）", role=Role.ORG_CONTACT,
                 organisation=university)
    if enterprise:
        _account(accounts, "enterprise", f"企业联系人（{enterprise.name}）", role=Role.ORG_CONTACT,
                 organisation=enterprise)
    attribute_records(creators)
    make_matching_lists(creators, university, enterprise)
    # The supervision tasks the city office assigned were entered by it, not by the county that leads them.
    Task.objects.filter(assigning_department=city_office).update(created_by=city_staff)
    _save(accounts)
    return accounts


def attribute_records(creators: dict[int, User]) -> None:
    """Demo records count as entered by their county's office, so "own department" scope shows them."""
    for registry in registries().values():
        model = registry.model
        for division_id, user in creators.items():
            ids = model._default_manager.filter(**{registry.division_path: division_id}).values("pk")
            model._default_manager.filter(pk__in=ids).update(created_by=user)


def make_matching_lists(creators: dict[int, User], university: Organisation | None,
                        enterprise: Organisation | None) -> None:
    """Each county office's matching lists (needs → university experts): one published a month ago and followed
    up (some contacted, in talks or signed; a few past their contact deadline, for 督办 to raise), one under
    review. Items are the county's enterprises' needs paired with consenting university researchers; the demo
    university and enterprise contacts have items addressed to them. Through the matching service's publish()."""
    import datetime
    import random

    from django.utils import timezone

    from yiti.matching import lists
    from yiti.matching.choices import ItemState, ListKind, ListStatus, Stage
    from yiti.matching.documents import key
    from yiti.matching.models import MatchingItem, MatchingList
    from yiti.needs.models import Need
    from yiti.talents.models import Talent

    rng = random.Random(20261205)
    today = timezone.localdate()
    experts = list(Talent.objects.filter(consent_to_recommend=True, organisation__org_type=OrgType.UNIVERSITY)
                   .select_related("organisation").order_by("pk")[:400])
    if not experts:
        return
    own = [t for t in experts if university is not None and t.organisation_id == university.pk]
    reasons = ["共同关键词与需求描述相符", "专家研究方向覆盖需求领域", "同市高校，便于上门对接"]
    for division_id, officer in creators.items():
        needs = list(Need.objects.filter(enterprise__division_id=division_id).select_related("enterprise")
                     .order_by("pk")[:10])
        if enterprise is not None and enterprise.division_id == division_id:
            needs = list(Need.objects.filter(enterprise=enterprise).select_related("enterprise")[:2]) + needs
        if len(needs) < 2:
            continue
        name = officer.department.division.name if officer.department and officer.department.division else ""
        for status in (ListStatus.PUBLISHED, ListStatus.REVIEW):
            chosen, needs = (needs[:6], needs[6:]) if status == ListStatus.PUBLISHED else (needs, [])
            if not chosen:
                continue
            mlist = MatchingList.objects.create(
                title=f"{name}企业需求与高校专家对接清单（{'第一批' if status == ListStatus.PUBLISHED else '第二批'}）",
                kind=ListKind.NEEDS, division_id=division_id, status=ListStatus.REVIEW, created_by=officer,
                criteria={"by_hand": True})
            items = []
            for n, need in enumerate(chosen):
                expert = own[n % len(own)] if own and n == 0 else rng.choice(experts)
                published = status == ListStatus.PUBLISHED
                items.append(MatchingItem(
                    matching_list=mlist, position=n, source=key(need), candidate=key(expert), need=need,
                    enterprise=need.enterprise, addressee=expert.organisation, division_id=need.enterprise.division_id,
                    score=round(rng.uniform(0.55, 0.92), 4), reasons=rng.sample(reasons, 2),
                    state=(ItemState.ACCEPTED if published and n < 5 else ItemState.REJECTED if published
                           else ItemState.PROPOSED)))
            MatchingItem.objects.bulk_create(items)
            if status != ListStatus.PUBLISHED:
                continue
            lists.publish(mlist, officer, today=today - datetime.timedelta(days=30))
            published_at = timezone.now() - datetime.timedelta(days=30)
            MatchingList.objects.filter(pk=mlist.pk).update(published_at=published_at)
            followed = list(mlist.items.filter(published_at__isnull=False).order_by("position"))
            for item, stage in zip(followed, [Stage.TALKING, Stage.CONTACTED, Stage.CONTACTED, Stage.PUSHED,
                                              Stage.PUSHED], strict=False):
                item.stage, item.published_at = stage, published_at
            MatchingItem.objects.bulk_update(followed, ["stage", "published_at"])
