"""Deterministic, plausible demo data for Jinzhong.

Facts: the county-level divisions and the names of universities located in Jinzhong (package
code tables), and the names of a few well-known universities elsewhere where natives work.
Everything else — enterprises, people, needs, results, platforms, agreements — is synthetic,
built from the vocabularies in `data/*.toml` (named in `vocab.py`), and the UI labels the
installation as demo data.

Rows are written with bulk_create in batches, so `--scale 100` (about 1.5 million rows) stays
within minutes and a few hundred MB.
"""

import datetime
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from yiti.activities.choices import EventStatus, EventType
from yiti.activities.fairs.choices import RegistrationStatus, Stage
from yiti.activities.fairs.models import CODE_ALPHABET, CODE_LENGTH, Intention, Position, Registration
from yiti.activities.models import Event
from yiti.agreements.choices import LADDER, AgreementKind, Step
from yiti.agreements.models import Agreement, Evidence
from yiti.core import code_data, search
from yiti.core.models import Discipline, Division, Industry, PlatformSetting
from yiti.core.validators import id_check_char, uscc_check_char
from yiti.demo import vocab
from yiti.experts.choices import RoleStatus, RoleType
from yiti.experts.models import Assignment, ExpertRole
from yiti.needs.choices import NeedStatus, NeedType
from yiti.needs.models import Need
from yiti.orgs.choices import KeyField, LadderStage, OrgType
from yiti.orgs.models import Organisation
from yiti.platforms.choices import PlatformLevel, PlatformStatus, PlatformType
from yiti.platforms.models import Platform
from yiti.results.choices import ResultStatus, ResultType, TransferMode
from yiti.results.models import Result
from yiti.supervision.choices import OPEN_STATUSES, Evaluation, Light, ReportKind, Source, TaskStatus
from yiti.supervision.models import Report, Task
from yiti.talents.choices import Category, ContactChannel, Degree, Gender, Population
from yiti.talents.models import ContactLog, Programme, Talent

BATCH = 5000
BASE_COUNTS = {
    "enterprises": 500,
    "talents": 3000,
    "needs": 800,
    "results": 2000,
    "platforms": 120,
    "agreements": 300,
    "villages": 40,
    "institutes": 6,
    "tasks": 40,
    "events": 60,
}
# Well-known universities and institutes elsewhere where natives of the region work (real names).
ELSEWHERE = [
    ("北京大学", "110108"), ("清华大学", "110108"), ("中国人民大学", "110108"), ("浙江大学", "330106"),
    ("上海交通大学", "310112"), ("复旦大学", "310110"), ("西安交通大学", "610113"), ("华中科技大学", "420111"),
    ("天津大学", "120104"), ("中国农业大学", "110108"), ("北京理工大学", "110108"), ("哈尔滨工业大学", "230103"),
    ("中国科学院山西煤炭化学研究所", "140105"), ("中国科学院过程工程研究所", "110108"),
    ("中国医学科学院北京协和医院", "110101"), ("中国农业科学院", "110108"),
]
RESULT_KIND = {"patent": ResultType.PATENT, "software": ResultType.SOFTWARE, "standard": ResultType.STANDARD,
               "variety": ResultType.PLANT_VARIETY, "technology": ResultType.TECHNOLOGY}


@dataclass
class Ctx:
    """What later stages need from earlier ones, kept as small tuples rather than model instances."""

    rng: random.Random
    today: datetime.date
    seed: int = 0  # for generators kept apart from `rng` (added fields must not shift the other values)
    counties: list[Division] = field(default_factory=list)
    city: Division = field(default_factory=Division)
    industry_ids: dict[str, int] = field(default_factory=dict)
    discipline_ids: dict[str, int] = field(default_factory=dict)
    universities: list[int] = field(default_factory=list)
    research_orgs: list[int] = field(default_factory=list)  # universities + institutes
    enterprises: list[tuple[int, int, int]] = field(default_factory=list)  # (id, topic, division id)
    villages: list[int] = field(default_factory=list)
    governments: dict[int, int] = field(default_factory=dict)  # division id -> 科技局 org id
    elsewhere: list[int] = field(default_factory=list)
    org_topic: dict[int, int] = field(default_factory=dict)
    # talents working at research organisations: (talent id, org id, topic)
    researchers: list[tuple[int, int, int]] = field(default_factory=list)
    researchers_by_org: dict[int, list[int]] = field(default_factory=dict)
    need_ids: list[tuple[int, int]] = field(default_factory=list)  # (need id, enterprise id)
    name_seen: set[str] = field(default_factory=set)
    seq: int = 0

    def date_within(self, days_back: int, days_min: int = 0) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(days_min, days_back))


def insert(model: type[Any], objects: list[Any], batch_size: int = BATCH) -> None:
    """bulk_create for registry records: their search text is filled first, as save() would."""
    search.fill(objects)
    model.objects.bulk_create(objects, batch_size=batch_size)


def batched(items: Iterator, size: int = BATCH) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def topic_values(ctx: Ctx, topic: vocab.Topic, **extra: str) -> dict[str, str]:
    kw, kw2 = ctx.rng.sample(topic["keywords"], 2)
    return vocab.topic_values(topic, kw, kw2, ctx.rng.choice(topic["objects"]),
                              metric=ctx.rng.choice(topic["metrics"]), **extra)


def person_name(rng: random.Random, gender: str) -> str:
    surname = weighted(rng, vocab.SURNAMES)
    pool = vocab.GIVEN_NAME_CHARS_MALE if gender == Gender.MALE else vocab.GIVEN_NAME_CHARS_FEMALE
    chars = pool + vocab.GIVEN_NAME_CHARS_NEUTRAL
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return f"{surname}{given}"


def credit_code(ctx: Ctx, division_code: str) -> str:
    ctx.seq += 1
    body = f"91{division_code}{'MA'}{ctx.seq:07d}"[:17]
    return body + uscc_check_char(body)


def id_number(ctx: Ctx, division_code: str, birth_year: int) -> str:
    """A synthetic number with a valid birth date and check character, unique in the dataset."""
    while True:
        birth = datetime.date(birth_year, 1, 1) + datetime.timedelta(days=ctx.rng.randint(0, 364))
        body = f"{division_code}{birth:%Y%m%d}{ctx.rng.randint(0, 999):03d}"
        if body not in ctx.name_seen:
            ctx.name_seen.add(body)
            return body + id_check_char(body)


def mobile(rng: random.Random) -> str:
    return rng.choice(["139", "138", "135", "137", "150", "152", "158", "183", "187", "199"]) + f"{rng.randint(0, 99999999):08d}"


def village_name(rng: random.Random, county: str) -> str:
    return f"{county}{rng.choice(vocab.VILLAGE_WORDS)}{rng.choice(vocab.VILLAGE_SUFFIXES)}"


NAME_TRIES = 500


def unique_name(ctx: Ctx, make: Callable[[], str]) -> str:
    """A name no other generated organisation or platform has. Names read like real ones: no
    "（2888）" counters; the vocabularies are large enough for `--scale 100`."""
    for _ in range(NAME_TRIES):
        name = make()
        if name not in ctx.name_seen:
            ctx.name_seen.add(name)
            return name
    raise RuntimeError(f"the demo vocabularies ran out of distinct names like {name!r}; use a smaller --scale")


def load_dictionaries(ctx: Ctx) -> None:
    ctx.city = Division.objects.get(code="140700")
    ctx.counties = list(Division.objects.filter(parent=ctx.city).order_by("code"))
    ctx.industry_ids = dict(Industry.objects.values_list("code", "id"))
    ctx.discipline_ids = dict(Discipline.objects.values_list("code", "id"))


def make_organisations(ctx: Ctx, counts: dict[str, int]) -> None:
    rng = ctx.rng
    by_code = {d.code: d for d in ctx.counties}
    orgs: list[tuple[Organisation, int | None]] = []
    for u in code_data.jinzhong_universities():
        topic = rng.randrange(len(vocab.TOPICS))
        org = Organisation(name=u.name, short_name=u.short_name, org_type=OrgType.UNIVERSITY,
                           division=by_code.get(u.division_code),
                           description="晋中市域内高校（名称为真实信息，其余数据为演示数据）。")
        orgs.append((org, topic))
    # Institutes are few in any prefecture: their number does not grow with the scale.
    for name in vocab.INSTITUTE_NAMES[: min(counts["institutes"], len(vocab.INSTITUTE_NAMES))]:
        orgs.append((Organisation(name=name, org_type=OrgType.INSTITUTE, division=rng.choice(ctx.counties)),
                     rng.randrange(len(vocab.TOPICS))))
    for name in vocab.HOSPITAL_NAMES:
        orgs.append((Organisation(name=name, org_type=OrgType.HOSPITAL, division=rng.choice(ctx.counties)), None))
    for name, _code in ELSEWHERE:
        orgs.append((Organisation(name=name, org_type=OrgType.INSTITUTE if "研究" in name or "科学院" in name
                                  else OrgType.UNIVERSITY, description="外地单位（在外人才工作单位）。"), None))
    for place in [ctx.city, *ctx.counties]:
        for template in vocab.GOVERNMENT_DEPARTMENTS:
            orgs.append((Organisation(name=vocab.fill(template, place=place.name), org_type=OrgType.GOVERNMENT,
                                      division=place), None))
    for _ in range(counts["villages"]):
        county = rng.choice(ctx.counties)
        name = unique_name(ctx, partial(village_name, rng, county.name))
        orgs.append((Organisation(name=name, org_type=OrgType.COMMUNITY, division=county), None))
    for org, _topic in orgs:
        ctx.name_seen.add(org.name)
    insert(Organisation, [o for o, _t in orgs], batch_size=BATCH)
    for org, org_topic in orgs:
        if org_topic is not None:
            ctx.org_topic[org.pk] = org_topic
        if org.org_type == OrgType.UNIVERSITY and org.division_id:
            ctx.universities.append(org.pk)
            ctx.research_orgs.append(org.pk)
        elif org.org_type == OrgType.INSTITUTE and org.division_id:
            ctx.research_orgs.append(org.pk)
        elif org.org_type == OrgType.COMMUNITY:
            ctx.villages.append(org.pk)
        elif org.org_type == OrgType.GOVERNMENT and "科学技术局" in org.name and org.division_id:
            ctx.governments[org.division_id] = org.pk
        elif org.division_id is None:
            ctx.elsewhere.append(org.pk)

    key_fields = set(KeyField.values)
    # 成立日期 by stage (years ago, low–high); a separate generator so the other values stay as they were.
    founded_years = {LadderStage.STARTUP_TEAM: (0, 2), LadderStage.STARTUP: (0, 3), LadderStage.TECH_SME: (2, 12),
                     LadderStage.HIGH_TECH: (4, 20), LadderStage.LITTLE_GIANT: (6, 25), LadderStage.LISTED: (10, 30)}
    dates = random.Random(f"founded-{ctx.seed}")
    ladder = [(LadderStage.STARTUP_TEAM, 5), (LadderStage.STARTUP, 20), (LadderStage.TECH_SME, 40),
              (LadderStage.HIGH_TECH, 25), (LadderStage.LITTLE_GIANT, 8), (LadderStage.LISTED, 2)]

    def enterprises():
        for _ in range(counts["enterprises"]):
            t = rng.randrange(len(vocab.TOPICS))
            topic = vocab.TOPICS[t]
            county = rng.choice(ctx.counties)
            place = county.name.rstrip("区县市") if len(county.name) > 2 else county.name
            name = unique_name(ctx, lambda p=place, tp=topic: f"{rng.choice([p, '晋中', '山西'])}"
                               f"{rng.choice(vocab.BRAND_WORDS)}{rng.choice(tp['enterprise_words'])}"
                               f"{rng.choice(tp['enterprise_suffixes'])}")
            stage = weighted(rng, ladder)
            leading = stage in (LadderStage.LITTLE_GIANT, LadderStage.LISTED) or rng.random() < 0.03
            org = Organisation(
                name=name, org_type=OrgType.ENTERPRISE, division=county,
                credit_code=credit_code(ctx, county.code),
                industry_id=ctx.industry_ids.get(topic["industry"]),
                ladder_stage=stage, in_reserve_pool=rng.random() < 0.15, is_leading=leading,
                key_field=topic["key_field"] if leading and topic["key_field"] in key_fields else "",
                address=f"山西省晋中市{county.name}{rng.choice(vocab.ROAD_WORDS)}{rng.randint(1, 300)}号",
                contact_name=person_name(rng, rng.choice(Gender.values)), phone=mobile(rng),
                description=f"主营{topic['field']}相关产品与服务。",
            )
            if dates.random() < 0.85:  # some enterprises' founding date is not on file
                low, high = founded_years[stage]
                org.founded_on = ctx.today - datetime.timedelta(days=dates.randint(low * 365 + 30, high * 365 + 300))
            yield org, t

    for chunk in batched(enterprises()):
        insert(Organisation, [o for o, _t in chunk])
        for org, t in chunk:
            ctx.enterprises.append((org.pk, t, org.division_id))
            ctx.org_topic[org.pk] = t


def make_talents(ctx: Ctx, n: int) -> None:
    rng = ctx.rng
    this_year = ctx.today.year
    titles = [("senior", 18), ("deputy_senior", 30), ("intermediate", 35), ("assistant", 12), ("clerk", 5)]
    degrees = [(Degree.DOCTORATE, 35), (Degree.MASTER, 35), (Degree.BACHELOR, 25), (Degree.ASSOCIATE, 5)]
    enterprise_ids = [e[0] for e in ctx.enterprises]
    programme_ids = list(Programme.objects.values_list("id", flat=True))
    org_names = dict(Organisation.objects.filter(pk__in=ctx.elsewhere).values_list("id", "name"))
    dates = random.Random(f"returned-{ctx.seed}")  # 回国/返乡日期, apart from the main sequence

    def talents():
        for _ in range(n):
            gender = weighted(rng, [(Gender.MALE, 62), (Gender.FEMALE, 38)])
            native = rng.random() < 0.3
            birth_year = rng.randint(this_year - 65, this_year - 25)
            county = rng.choice(ctx.counties)
            if native:
                category = weighted(rng, [(Category.UNIVERSITY, 30), (Category.INSTITUTE, 15), (Category.ECONOMY, 20),
                                          (Category.GOVERNMENT, 12), (Category.HOSPITAL, 10),
                                          (Category.MILITARY, 3), (Category.OTHER, 10)])
                org_id = rng.choice(ctx.elsewhere) if category in (Category.UNIVERSITY, Category.INSTITUTE) else None
                position = rng.choice(vocab.POSITIONS_UNIVERSITY if org_id else vocab.POSITIONS_OTHER)
            else:
                category = ""
                if rng.random() < 0.55:
                    org_id = rng.choice(ctx.research_orgs)
                    position = rng.choice(vocab.POSITIONS_UNIVERSITY)
                else:
                    org_id = rng.choice(enterprise_ids)
                    position = rng.choice(vocab.POSITIONS_ENTERPRISE)
            t = ctx.org_topic.get(org_id, rng.randrange(len(vocab.TOPICS))) if org_id else rng.randrange(len(vocab.TOPICS))
            if rng.random() < 0.3:
                t = rng.randrange(len(vocab.TOPICS))
            topic = vocab.TOPICS[t]
            talent = Talent(
                name=person_name(rng, gender), gender=gender, birth_year=birth_year,
                id_number=id_number(ctx, county.code if not native or rng.random() < 0.9 else "140100", birth_year)
                if rng.random() < 0.7 else None,
                mobile=mobile(rng), email=f"user{ctx.seq}@example.cn" if rng.random() < 0.5 else "",
                population=Population.NATIVE_ELSEWHERE if native else Population.LOCAL, category=category,
                division=county, hometown=county if native else None,
                degree=weighted(rng, degrees), title_level=weighted(rng, titles), organisation_id=org_id,
                position=position, discipline_id=ctx.discipline_ids.get(rng.choice(topic["disciplines"])),
                industry_id=ctx.industry_ids.get(topic["industry"]),
                expertise="、".join(rng.sample(topic["keywords"], 3)),
                consent_to_recommend=rng.random() < 0.85,
            )
            if not native and dates.random() < 0.12:  # a local talent who came back from abroad or elsewhere
                earliest = max(0, this_year - birth_year - 23)  # not before they were 23
                talent.returned_on = ctx.today - datetime.timedelta(days=dates.randint(20, min(earliest, 12) * 365 + 20))
            yield talent, t, native

    memberships = []
    contacts = []
    for chunk in batched(talents()):
        insert(Talent, [t for t, _topic, _n in chunk])
        for talent, t, native in chunk:
            if talent.organisation_id in ctx.org_topic and talent.organisation_id in set(ctx.research_orgs):
                ctx.researchers.append((talent.pk, talent.organisation_id, t))
                ctx.researchers_by_org.setdefault(talent.organisation_id, []).append(talent.pk)
            if programme_ids and rng.random() < 0.08:
                memberships.append(Talent.programmes.through(talent_id=talent.pk, programme_id=rng.choice(programme_ids)))
            if native:
                org_name = org_names.get(talent.organisation_id, "外地单位")
                for _ in range(rng.randint(0, 3)):
                    contacts.append(ContactLog(
                        talent_id=talent.pk, date=ctx.date_within(700),
                        channel=weighted(rng, [(ContactChannel.PHONE, 50), (ContactChannel.WECHAT, 30),
                                               (ContactChannel.VISIT, 10), (ContactChannel.MEETING, 10)]),
                        summary=vocab.fill(rng.choice(vocab.CONTACT_SUMMARIES), name=talent.name, org=org_name,
                                           field=vocab.TOPICS[t]["field"]),
                    ))
    Talent.programmes.through.objects.bulk_create(memberships, batch_size=BATCH, ignore_conflicts=True)
    ContactLog.objects.bulk_create(contacts, batch_size=BATCH)


def make_experts(ctx: Ctx) -> None:
    rng = ctx.rng
    roles, plans = [], []
    enterprise_ids = [e[0] for e in ctx.enterprises]
    for talent_id, _org, _t in ctx.researchers:
        if rng.random() > 0.3:
            continue
        role = weighted(rng, [(RoleType.CONSULTING, 50), (RoleType.COMMISSIONER, 40), (RoleType.VICE_PRESIDENT, 10)])
        start: datetime.date = ctx.date_within(1400, 200)
        capacity = 1 if role == RoleType.VICE_PRESIDENT else rng.randint(2, 5)
        roles.append(ExpertRole(talent_id=talent_id, role=role, capacity=capacity, status=RoleStatus.ACTIVE,
                                start_date=start))
    for chunk in batched(iter(roles)):
        insert(ExpertRole, chunk)
    for r in roles:
        if r.role == RoleType.CONSULTING:
            continue
        targets = ctx.villages + enterprise_ids if r.role == RoleType.COMMISSIONER else enterprise_ids
        for org_id in rng.sample(targets, min(len(targets), rng.randint(1, r.capacity))):
            start = (r.start_date or ctx.today) + datetime.timedelta(days=rng.randint(0, 120))
            plans.append(Assignment(role_id=r.pk, organisation_id=org_id, start_date=start,
                                    end_date=start + datetime.timedelta(days=365 * rng.choice([1, 2, 3]))))
    Assignment.objects.bulk_create(plans, batch_size=BATCH)


def uncoded(i: int) -> bool:
    """One need or result in twelve (8 %) has no discipline, as in imported lists (NSSF: 4 866 of
    62 580), so that 建议代码 has something to do. By position, not by the random stream, so that
    every other value stays as it was."""
    return i % 12 == 11


def _blank_if(blank: bool, value: Any) -> Any:
    """``value`` is worked out (drawing from the random stream) either way; None if ``blank``."""
    return None if blank else value


def make_needs(ctx: Ctx, n: int) -> None:
    rng = ctx.rng
    statuses = [(NeedStatus.PUBLISHED, 40), (NeedStatus.MATCHED, 20), (NeedStatus.IN_TALKS, 15),
                (NeedStatus.SIGNED, 15), (NeedStatus.CLOSED, 10)]
    names = dict(Organisation.objects.filter(org_type=OrgType.ENTERPRISE).values_list("id", "name"))

    def needs():
        for i in range(n):
            ent_id, t, _div = rng.choice(ctx.enterprises)
            topic = vocab.TOPICS[t]
            need_type = weighted(rng, [(NeedType.TECHNOLOGY, 45), (NeedType.PROJECT, 25), (NeedType.TALENT, 15),
                                       (NeedType.PLATFORM, 15)])
            values = topic_values(ctx, topic, enterprise=names[ent_id])
            titles = {NeedType.TALENT: topic["talent_need_titles"], NeedType.PLATFORM: topic["platform_need_titles"]}
            title = vocab.fill(rng.choice(titles.get(need_type, topic["need_titles"])), **values)
            published = ctx.date_within(1000)
            yield Need(
                enterprise_id=ent_id, need_type=need_type, title=title,
                description=vocab.fill(rng.choice(topic["need_descriptions"]), **values),
                keywords="、".join(dict.fromkeys([values["keyword"], values["keyword2"], values["object"]])),
                industry_id=ctx.industry_ids.get(topic["industry"]),
                discipline_id=_blank_if(uncoded(i), ctx.discipline_ids.get(topic["disciplines"][0])),
                budget=None if need_type == NeedType.TALENT else Decimal(rng.choice([10, 20, 30, 50, 80, 100, 150, 200, 300, 500])),
                published_date=published, deadline=published + datetime.timedelta(days=rng.choice([90, 180, 365, 730])),
                status=weighted(rng, statuses), contact_name=person_name(rng, rng.choice(Gender.values)),
                phone=mobile(rng),
            )

    for chunk in batched(needs()):
        insert(Need, chunk)
        ctx.need_ids.extend((need.pk, need.enterprise_id) for need in chunk)


def make_results(ctx: Ctx, n: int) -> None:
    rng = ctx.rng
    members: list[Any] = []

    def results():
        for i in range(n):
            leader_id, org_id, t = rng.choice(ctx.researchers)
            topic = vocab.TOPICS[t]
            values = topic_values(ctx, topic)
            title = vocab.fill(rng.choice(topic["result_titles"]), **values)
            colleagues = ctx.researchers_by_org.get(org_id, [])
            team = {leader_id, *rng.sample(colleagues, min(len(colleagues), rng.randint(0, 3)))}
            result = Result(
                title=title, result_type=RESULT_KIND.get(vocab.result_kind(title), ResultType.TECHNOLOGY),
                owner_id=org_id, leader_id=leader_id, year=rng.randint(ctx.today.year - 8, ctx.today.year),
                discipline_id=_blank_if(uncoded(i), ctx.discipline_ids.get(rng.choice(topic["disciplines"]))),
                industry_id=ctx.industry_ids.get(topic["industry"]), trl=rng.randint(3, 8),
                transfer_mode=rng.choice(TransferMode.values),
                asking_price=None if rng.random() < 0.3 else Decimal(rng.choice([5, 10, 20, 30, 50, 80, 100, 200])),
                keywords="、".join(dict.fromkeys([values["keyword"], values["keyword2"], values["object"]])),
                description=vocab.fill(rng.choice(topic["result_descriptions"]), **values),
                status=weighted(rng, [(ResultStatus.AVAILABLE, 70), (ResultStatus.IN_TALKS, 15),
                                      (ResultStatus.TRANSFERRED, 12), (ResultStatus.WITHDRAWN, 3)]),
            )
            yield result, team

    for chunk in batched(results()):
        insert(Result, [r for r, _team in chunk])
        for result, team in chunk:
            members.extend(Result.team_members.through(result_id=result.pk, talent_id=t) for t in team)
        if len(members) > BATCH:
            Result.team_members.through.objects.bulk_create(members, batch_size=BATCH)
            members = []
    Result.team_members.through.objects.bulk_create(members, batch_size=BATCH)


def make_platforms(ctx: Ctx, n: int) -> None:
    rng = ctx.rng
    partners = []
    enterprise_ids = [e[0] for e in ctx.enterprises]
    short = dict(Organisation.objects.filter(pk__in=ctx.research_orgs).values_list("id", "short_name"))
    enterprise_names = dict(Organisation.objects.filter(pk__in=enterprise_ids).values_list("id", "name"))

    def platform_name(ptype: str, on_campus: bool) -> tuple[str, int]:
        # A university names its labs after a field, technique or product of any topic
        # ("山西农大智能温控重点实验室"); an enterprise after itself ("榆次华盛汽配工程技术研究中心").
        host_id = rng.choice(ctx.universities if on_campus else enterprise_ids)
        t = ctx.org_topic.get(host_id, 0) if not on_campus or rng.random() < 0.5 else rng.randrange(len(vocab.TOPICS))
        topic = vocab.TOPICS[t]
        label = PlatformType(ptype).label
        if on_campus:
            prefix = short.get(host_id) or rng.choice(["晋中市", "山西省"])
            word = rng.choice([topic["field"], *topic["keywords"], *topic["objects"]])
        else:
            prefix = enterprise_names[host_id]
            for suffix in sorted(topic["enterprise_suffixes"], key=len, reverse=True):
                prefix = prefix.removesuffix(suffix)
            word = rng.choice(["", topic["field"], *topic["keywords"]])
        return f"{prefix}{word}{label}", host_id

    def platforms():
        for _ in range(n):
            ptype = rng.choice(PlatformType.values)
            on_campus = ptype in (PlatformType.KEY_LAB, PlatformType.INDUSTRY_COLLEGE, PlatformType.CONSORTIUM,
                                  PlatformType.MAKER_SPACE, PlatformType.ENGINEERING_CENTRE)
            hosts: list[int] = []

            def make(p=ptype, c=on_campus, h=hosts) -> str:
                name, host = platform_name(p, c)
                h.append(host)
                return name

            name = unique_name(ctx, make)
            host_id = hosts[-1]
            topic = vocab.TOPICS[ctx.org_topic.get(host_id, 0)]
            level = weighted(rng, [(PlatformLevel.NATIONAL, 5), (PlatformLevel.PROVINCIAL, 35),
                                   (PlatformLevel.MUNICIPAL, 45), (PlatformLevel.COUNTY, 15)])
            status = weighted(rng, [(PlatformStatus.APPLYING, 10), (PlatformStatus.LISTED, 10),
                                    (PlatformStatus.ACCREDITED, 30), (PlatformStatus.OPERATING, 45),
                                    (PlatformStatus.REVOKED, 5)])
            applied = ctx.date_within(2500, 400)
            listed = applied + datetime.timedelta(days=rng.randint(30, 150)) if status != PlatformStatus.APPLYING else None
            # Accreditation records something that happened: never after today (docs/forms.md).
            accredited = min(ctx.today, listed + datetime.timedelta(days=rng.randint(60, 300))) if listed and \
                status not in (PlatformStatus.LISTED,) else None
            division = next((d for _e, _t, d in ctx.enterprises if _e == host_id), None) if not on_campus else None
            yield Platform(
                name=name, platform_type=ptype, level=level, status=status, host_id=host_id,
                division_id=division or rng.choice(ctx.counties).pk,
                industry_id=ctx.industry_ids.get(topic["industry"]), applied_date=applied, listed_date=listed,
                accredited_date=accredited,
                renewal_due=accredited + datetime.timedelta(days=365 * 3) if accredited else None,
                description=f"围绕{topic['field']}开展技术研发、成果转化与人才培养。",
            ), on_campus

    for chunk in batched(platforms()):
        insert(Platform, [p for p, _c in chunk])
        for platform, on_campus in chunk:
            pool = enterprise_ids if on_campus else ctx.universities
            for org_id in rng.sample(pool, rng.randint(0, 2)):
                partners.append(Platform.partners.through(platform_id=platform.pk, organisation_id=org_id))
    Platform.partners.through.objects.bulk_create(partners, batch_size=BATCH)


def make_agreements(ctx: Ctx, n: int) -> None:
    rng = ctx.rng
    names = dict(Organisation.objects.filter(pk__in=[*ctx.universities, *ctx.governments.values()])
                 .values_list("id", "name"))
    ent_names = {}
    parties, evidence, need_links = [], [], []
    needs_by_ent: dict[int, list[int]] = {}
    for need_id, ent_id in ctx.need_ids:
        needs_by_ent.setdefault(ent_id, []).append(need_id)

    def agreements():
        for _ in range(n):
            kind = weighted(rng, [(AgreementKind.ENTERPRISE, 60), (AgreementKind.LOCALITY, 30),
                                  (AgreementKind.PROVINCE, 10)])
            uni = rng.choice(ctx.universities)
            county = rng.choice(ctx.counties)
            if kind == AgreementKind.ENTERPRISE:
                ent_id, t, div = rng.choice(ctx.enterprises)
                other = ent_id
                if ent_id not in ent_names:
                    ent_names[ent_id] = Organisation.objects.values_list("name", flat=True).get(pk=ent_id)
                partner_name = ent_names[ent_id]
                county = next(c for c in ctx.counties if c.pk == div)
            else:
                t = ctx.org_topic.get(uni, 0)
                other = ctx.governments.get(county.pk if kind == AgreementKind.LOCALITY else ctx.city.pk)
                partner_name = names.get(other, county.name)
            topic = vocab.TOPICS[t]
            template = rng.choice(vocab.AGREEMENT_TITLES[kind])
            title = vocab.fill(template, university=names[uni], county=county.name, enterprise=partner_name,
                               field=topic["field"])
            signed = ctx.date_within(1400, 30)
            reached = weighted(rng, [(1, 30), (2, 25), (3, 20), (4, 20), (0, 5)])  # 0: terminated
            yield Agreement(
                title=title, kind=kind, division=county, signed_date=signed,
                item_count=rng.randint(1, 6), committed_funds=Decimal(rng.choice([20, 50, 100, 200, 500, 1000])),
                status=Step.TERMINATED if reached == 0 else LADDER[reached - 1],
                description=f"围绕{topic['field']}开展合作。",
            ), (uni, other), reached

    for chunk in batched(agreements()):
        insert(Agreement, [a for a, _p, _r in chunk])
        for agreement, pair, reached in chunk:
            for org_id in dict.fromkeys(p for p in pair if p):
                parties.append(Agreement.parties.through(agreement_id=agreement.pk, organisation_id=org_id))
            if agreement.kind == AgreementKind.ENTERPRISE and needs_by_ent.get(pair[1]):
                need_links.append(Agreement.needs.through(agreement_id=agreement.pk,
                                                          need_id=rng.choice(needs_by_ent[pair[1]])))
            steps = [Step.SIGNED, Step.TERMINATED] if reached == 0 else LADDER[:reached]
            day = agreement.signed_date
            for step in steps:
                if step != Step.SIGNED:
                    day = min(ctx.today, day + datetime.timedelta(days=rng.randint(15, 200)))
                # 资金到位 records the amount that arrived (yuan): part or all of the committed funds (10k yuan).
                amount = (agreement.committed_funds * 10000 * Decimal(rng.choice([3, 5, 8, 10])) / 10
                          if step == Step.FUNDS_ARRIVED else None)
                evidence.append(Evidence(agreement_id=agreement.pk, step=step, date=day, amount=amount,
                                         note=rng.choice(vocab.EVIDENCE_NOTES[step])))
    Agreement.parties.through.objects.bulk_create(parties, batch_size=BATCH)
    Agreement.needs.through.objects.bulk_create(need_links, batch_size=BATCH)
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)


# Activities (yiti/activities): what each type is called, and a job fair's positions.
EVENT_TITLES: dict[str, list[str]] = {
    EventType.RECRUITMENT_DRIVE: ["{county}“双招双引”{field}产业专场推介会", "{county}赴京津招才引智活动"],
    EventType.JOB_FAIR: ["{year}年{county}高校毕业生{season}季招聘会"],
    EventType.DOCTORAL_LECTURE: ["博士大讲堂：{field}前沿与应用"],
    EventType.TRAINING: ["{field}专业技术人员继续教育培训班", "{county}企业科技特派员业务培训"],
    EventType.COMMISSIONER_DAY: ["{county}科技特派员{field}服务日"],
}
FAIR_POSITIONS = [("机械设计工程师", 6000, 9000), ("铸造工艺工程师", 6500, 10000), ("质量检验员", 4000, 5500),
                  ("电气自动化工程师", 6000, 9500), ("食品研发专员", 5000, 7500), ("数据分析师", 6000, 10000),
                  ("销售代表", 4000, 8000), ("财务会计", 4500, 6500), ("化工工艺员", 5000, 7000),
                  ("新能源汽车电池工程师", 7000, 12000)]


def make_activities(ctx: Ctx, n: int) -> None:
    """Events of every type over the last three years (a few planned ahead, one in twenty cancelled), and one job fair
    a year in each of the last two years with positions, registrations (most checked in), intentions and hires."""
    rng = ctx.rng
    participants = []

    def one_event(kind: str, start: datetime.date, county: Division) -> Event:
        topic = vocab.TOPICS[rng.randrange(len(vocab.TOPICS))]
        season = "春" if start.month <= 6 else "秋"
        title = vocab.fill(rng.choice(EVENT_TITLES[kind]), county=county.name, field=topic["field"],
                           year=str(start.year), season=season)
        held = start <= ctx.today
        status = EventStatus.HELD if held else EventStatus.PLANNED
        if held and rng.random() < 0.05:
            status = EventStatus.CANCELLED
        done = status == EventStatus.HELD
        return Event(
            event_type=kind, title=title, status=status, start_date=start,
            end_date=start + datetime.timedelta(days=rng.choice([0, 0, 1, 2])), division=county,
            place=f"{county.name}{rng.choice(['会展中心', '人才市场', '科创中心报告厅', '职业技术学院'])}",
            attendance=rng.randint(40, 800) if done else 0,
            intentions_signed=rng.randint(0, 30) if done and kind == EventType.RECRUITMENT_DRIVE else 0,
            projects_introduced=rng.randint(0, 8) if done and kind == EventType.RECRUITMENT_DRIVE else 0,
            talents_introduced=rng.randint(0, 25) if done and kind in (EventType.RECRUITMENT_DRIVE,
                                                                      EventType.JOB_FAIR) else 0,
            description=f"围绕{topic['field']}开展。",
        )

    kinds = [k for k in EVENT_TITLES if k != EventType.JOB_FAIR]
    events = [one_event(rng.choice(kinds), ctx.today - datetime.timedelta(days=rng.randint(-60, 1000)),
                        rng.choice(ctx.counties)) for _ in range(n)]
    fairs = [one_event(EventType.JOB_FAIR, datetime.date(year, rng.choice([4, 5, 10]), rng.randint(8, 26)),
                       rng.choice(ctx.counties)) for year in (ctx.today.year - 1, ctx.today.year)]
    for fair in fairs:  # held (the generator's `today` is in the year's second half), or planned ahead
        fair.status = EventStatus.HELD if fair.start_date <= ctx.today else EventStatus.PLANNED
        if fair.status == EventStatus.PLANNED:
            fair.attendance = fair.talents_introduced = 0
    insert(Event, events + fairs)
    for event in events + fairs:
        for ent_id, _t, _div in rng.sample(ctx.enterprises, min(3, len(ctx.enterprises))):
            participants.append(Event.participants.through(event_id=event.pk, organisation_id=ent_id))
    Event.participants.through.objects.bulk_create(participants, batch_size=BATCH, ignore_conflicts=True)

    local = list(Talent.objects.filter(population=Population.LOCAL).order_by("pk").values_list("pk", flat=True))
    codes: set[str] = set()
    for fair in fairs:
        enterprises = rng.sample(ctx.enterprises, min(5, len(ctx.enterprises)))
        positions = []
        for ent_id, t, _div in enterprises:
            for title, low, high in rng.sample(FAIR_POSITIONS, 2):
                topic = vocab.TOPICS[t]
                positions.append(Position(
                    fair=fair, enterprise_id=ent_id, title=title, headcount=rng.randint(1, 5),
                    requirements=f"{rng.choice(topic['keywords'])}相关专业，{rng.choice(['本科', '硕士', '大专'])}及以上",
                    discipline_id=ctx.discipline_ids.get(rng.choice(topic["disciplines"])),
                    salary_min=low, salary_max=high))
        insert(Position, positions)
        people = rng.sample(local, min(30, len(local)))
        held = fair.status == EventStatus.HELD
        registrations = []
        for pk in people:
            code = ""
            while not code or code in codes:
                code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            codes.add(code)
            status = weighted(rng, [(RegistrationStatus.CHECKED_IN, 75), (RegistrationStatus.REGISTERED, 15),
                                    (RegistrationStatus.CANCELLED, 10)]) if held else RegistrationStatus.REGISTERED
            checked = (timezone.make_aware(datetime.datetime.combine(fair.start_date, datetime.time(9)))
                       + datetime.timedelta(minutes=rng.randint(0, 180))) if status == RegistrationStatus.CHECKED_IN else None
            registrations.append(Registration(fair=fair, talent_id=pk, code=code, status=status, checked_in_at=checked))
        Registration.objects.bulk_create(registrations, batch_size=BATCH)
        if not held:
            continue
        intentions = []
        for reg in registrations:
            if reg.status != RegistrationStatus.CHECKED_IN or rng.random() < 0.4:
                continue
            position = rng.choice(positions)
            day = fair.start_date
            stage = weighted(rng, [(Stage.INTENT, 35), (Stage.INTERVIEW, 25), (Stage.HIRED, 25), (Stage.NOT_HIRED, 15)])
            interview = min(ctx.today, day + datetime.timedelta(days=rng.randint(3, 15))) if stage != Stage.INTENT else None
            decided = (min(ctx.today, (interview or day) + datetime.timedelta(days=rng.randint(3, 20)))
                       if stage in (Stage.HIRED, Stage.NOT_HIRED) else None)
            intentions.append(Intention(position=position, talent_id=reg.talent_id, stage=stage, intent_date=day,
                                        interview_date=interview, decided_date=decided))
        Intention.objects.bulk_create(intentions, batch_size=BATCH)


@dataclass
class TaskPlan:
    """One demo task before it is written: the task, how far up the ladder it went, and whether it was returned."""

    task: Task
    reached: str
    returned: bool = False
    co: list[int] = field(default_factory=list)


def _light(task: Task, today: datetime.date) -> None:
    """The light as `yiti supervise` would set it (yellow within 3 days of the deadline, red past it, escalated
    after 7 red days); the daily job recomputes it anyway."""
    if task.status not in OPEN_STATUSES:
        return
    if task.deadline < today:
        task.light, task.red_since = Light.RED, task.deadline + datetime.timedelta(days=1)
        task.escalated = (today - task.red_since).days >= 7
    elif (task.deadline - today).days <= 3:
        task.light = Light.YELLOW


def _walk(plan: TaskPlan, rng: random.Random, today: datetime.date) -> None:
    """Dates of the rungs `plan.reached`, each on or after the previous one and never after today."""
    task = plan.task
    if plan.reached == TaskStatus.ASSIGNED:
        return
    task.received_on = min(today, task.assigned_on + datetime.timedelta(days=rng.randint(0, 4)))
    if plan.reached in (TaskStatus.DONE, TaskStatus.CLOSED):
        # most are done by the deadline, some late
        target: datetime.date = task.deadline + datetime.timedelta(days=rng.choice([-20, -10, -5, -2, 0, 3, 12]))
        earliest: datetime.date = task.received_on + datetime.timedelta(days=3)
        done = earliest if earliest > target else target
        task.done_on = done if done < today else today
    if plan.reached == TaskStatus.CLOSED:
        assert task.done_on is not None
        closed: datetime.date = task.done_on + datetime.timedelta(days=rng.randint(1, 10))
        task.closed_on = closed if closed < today else today
        task.evaluation = weighted(rng, [(Evaluation.GOOD, 40), (Evaluation.FAIRLY_GOOD, 35), (Evaluation.FAIR, 20),
                                         (Evaluation.POOR, 5)])
    task.status = plan.reached


def _reports(plan: TaskPlan, rng: random.Random, today: datetime.date) -> list[Report]:
    """The task's log: progress reports after it was received, a return, the completion report, the closing."""
    task, texts = plan.task, vocab.TASK_REPORTS
    if plan.reached in (TaskStatus.ASSIGNED, TaskStatus.RECEIVED):
        return []
    end = task.done_on or today
    start = task.received_on or task.assigned_on
    span = max(0, (end - start).days)
    reports = [Report(task=task, kind=ReportKind.PROGRESS, text=rng.choice(texts["progress"]),
                      date=start + datetime.timedelta(days=rng.randint(0, span)))
               for _ in range(rng.randint(1, 3))]
    if plan.reached in (TaskStatus.DONE, TaskStatus.CLOSED):
        assert task.done_on is not None
        if plan.returned:  # completed once, returned, completed again on done_on
            first = start + datetime.timedelta(days=span // 2)
            reports += [Report(task=task, kind=ReportKind.COMPLETION, date=first, text=rng.choice(texts["completion"])),
                        Report(task=task, kind=ReportKind.RETURN, date=first, text=rng.choice(texts["return"]))]
        reports.append(Report(task=task, kind=ReportKind.COMPLETION, date=task.done_on,
                              text=rng.choice(texts["completion"])))
    if plan.reached == TaskStatus.CLOSED:
        assert task.closed_on is not None
        reports.append(Report(task=task, kind=ReportKind.CLOSING, date=task.closed_on,
                              text=f"已销号，评价为“{Evaluation(task.evaluation).label}”。"))
    return sorted(reports, key=lambda r: r.date)


def make_tasks(ctx: Ctx, n: int) -> None:
    """Supervision tasks across the counties in every state of the ladder, some from agreements, needs and
    platforms; and a few city-wide tasks split by county (分解) with their sub-tasks part done."""
    from yiti.demo.accounts import demo_departments

    rng, today = ctx.rng, ctx.today
    city_office, offices = demo_departments()
    titles = vocab.TASK_TITLES
    # the records tasks come from, by county: (source key, the name a title quotes)
    by_county: dict[str, dict[int, list[tuple[str, str]]]] = {"agreement": {}, "need": {}, "platform": {}}
    for pk, title, division in Agreement.objects.values_list("pk", "title", "division_id").order_by("pk"):
        by_county["agreement"].setdefault(division, []).append((f"agreement:{pk}", title))
    for pk, name, division in Need.objects.values_list("pk", "enterprise__name", "enterprise__division_id")[:5000]:
        by_county["need"].setdefault(division, []).append((f"need:{pk}", name))
    for pk, name, division in Platform.objects.values_list("pk", "name", "division_id").order_by("pk"):
        by_county["platform"].setdefault(division, []).append((f"platform:{pk}", name))
    statuses = [(TaskStatus.ASSIGNED, 15), (TaskStatus.RECEIVED, 10), (TaskStatus.IN_PROGRESS, 30),
                (TaskStatus.DONE, 15), (TaskStatus.CLOSED, 30)]
    plans: list[TaskPlan] = []

    def plan_task(county: Division, parent: Task | None = None, assigning: Any = city_office,
                  assigned_on: datetime.date | None = None, deadline: datetime.date | None = None,
                  title: str = "", source: str = "") -> TaskPlan:
        source = source or weighted(rng, [(Source.MEETING, 30), (Source.INSTRUCTION, 20), (Source.AGREEMENT, 20),
                                          (Source.NEED, 15), (Source.PLATFORM, 10), (Source.OTHER, 5)])
        key, record = "", ""
        if source in by_county:
            candidates = by_county[source].get(county.pk)
            if candidates:
                key, record = rng.choice(candidates)
            else:
                source = Source.MEETING
        topic = vocab.TOPICS[rng.randrange(len(vocab.TOPICS))]
        title = title or vocab.fill(rng.choice(titles[source]), county=county.name, field=topic["field"],
                                    record=record)
        assigned_on = assigned_on or ctx.date_within(240, 5)
        if deadline is None:
            # a few fall due in the next days (yellow), others later or in the past
            deadline = (today + datetime.timedelta(days=rng.randint(0, 3)) if rng.random() < 0.12
                        else assigned_on + datetime.timedelta(days=rng.choice([15, 30, 45, 60, 90])))
        task = Task(title=title[:200], source=source, source_key=key, division=county, parent=parent,
                    description=f"请{offices[county.pk]}牵头，按时限办结并报送佐证材料。", assigning_department=assigning,
                    lead_department=offices[county.pk], assigned_on=assigned_on, deadline=max(deadline, assigned_on))
        reached = weighted(rng, statuses)
        plan = TaskPlan(task, reached, returned=reached in (TaskStatus.DONE, TaskStatus.CLOSED) and rng.random() < 0.15)
        others = [o.pk for c, o in offices.items() if c != county.pk]
        plan.co = rng.sample(others, rng.choice([0, 0, 1, 2])) if others else []
        _walk(plan, rng, today)
        _light(task, today)
        return plan

    singles = max(1, n - max(1, n // 12))
    for _ in range(singles):
        plans.append(plan_task(rng.choice(ctx.counties)))
    parents = []
    for _ in range(max(1, n // 12)):
        assigned_on = ctx.date_within(120, 20)
        parent = Task(title=rng.choice(titles["city"]), source=Source.MEETING, division=ctx.city,
                      description="请各县（市、区）按要求推进，按时报送进展和办结材料。",
                      assigning_department=city_office, lead_department=city_office, assigned_on=assigned_on,
                      deadline=assigned_on + datetime.timedelta(days=rng.choice([60, 90, 120])),
                      status=TaskStatus.IN_PROGRESS, received_on=assigned_on)
        _light(parent, today)
        parents.append(parent)
    insert(Task, parents)
    for parent in parents:
        for county in rng.sample(ctx.counties, min(len(ctx.counties), rng.randint(4, 8))):
            plans.append(plan_task(county, parent=parent, assigning=city_office, assigned_on=parent.assigned_on,
                                   deadline=parent.deadline, source=Source.MEETING,
                                   title=f"{parent.title}（{county.name}）"))
    insert(Task, [p.task for p in plans])
    Task.co_departments.through.objects.bulk_create(
        [Task.co_departments.through(task_id=p.task.pk, department_id=d) for p in plans for d in p.co],
        batch_size=BATCH)
    Report.objects.bulk_create([r for p in plans for r in _reports(p, rng, today)], batch_size=BATCH)


def _round_up(value: Decimal) -> Decimal:
    """A target as an office writes it: whole numbers, rounded up to 5 from 10 and to 10 from 100."""
    step = 10 if value >= 100 else 5 if value >= 10 else 1
    return Decimal(math.ceil(value / step) * step)


def make_targets(ctx: Ctx) -> None:
    """Annual targets (年度目标) per county for this year and last, for every indicator with figures: last year's
    about what was reached (some met, some not); this year's the year-to-date pace over the whole year plus
    growth, so the leaders' page shows progress against target. The city's target is its counties' sum; a
    rate's is a little above today's. Indicators with no records (nothing to aim at) get none."""
    from yiti.dashboard import indicators as ledger
    from yiti.dashboard.models import Target

    rng = ctx.rng
    within = ledger.county_map(ctx.counties)
    elapsed = max(Decimal("0.25"), Decimal(ctx.today.timetuple().tm_yday) / 365)
    rows: list[Target] = []
    for year in (ctx.today.year - 1, ctx.today.year):
        pace = elapsed if year == ctx.today.year else Decimal(1)
        for ind in ledger.INDICATORS.values():
            if ind.code == "enterprises_total":  # the base of the coverage rate, not an aim
                continue
            if ind.is_ratio:
                figure = ledger.value(ind, None, year)
                if figure:
                    goal = min(Decimal(100), (figure * Decimal(rng.uniform(1.0, 1.2))).quantize(Decimal("0.1")))
                    rows.append(Target(indicator=ind.code, year=year, division=ctx.city, value=goal))
                continue
            total, per_county = ledger.city_and_counties(ind, None, year if ind.has_year else None, within)
            if not total:
                continue
            low, high = (0.85, 1.2) if year < ctx.today.year else (1.0, 1.35)
            goals = {}
            for county in ctx.counties:
                figure = per_county.get(county.pk, Decimal(0))
                annual = figure / pace if ind.has_year else figure
                if not figure:  # a county with nothing yet: half the average county's
                    annual = (total / pace if ind.has_year else total) / len(ctx.counties) / 2
                goals[county.pk] = _round_up(annual * Decimal(rng.uniform(low, high)))
                rows.append(Target(indicator=ind.code, year=year, division=county, value=goals[county.pk]))
            rows.append(Target(indicator=ind.code, year=year, division=ctx.city, value=sum(goals.values())))
    Target.objects.bulk_create(rows, batch_size=BATCH)


COMMUNITY_NEEDS = ["养老服务", "儿童课后托管", "电商直播带货", "农产品品牌设计", "垃圾分类宣传", "心理健康咨询",
                   "法律援助", "智慧社区平台", "老旧小区改造规划", "青少年科普", "就业技能培训", "中医义诊"]
PARTNER_SERVICES = ["护理专业学生志愿服务", "电商直播培训", "品牌与包装设计", "科普讲座进社区", "心理咨询师驻点",
                    "法学院法律诊所", "信息化平台建设", "城乡规划专业团队", "职业技能培训", "中医药专家义诊",
                    "养老服务培训", "农业技术指导"]
SERVICE_TITLES = ["进社区健康讲座", "科普开放日", "电商直播实训", "法律咨询日", "志愿服务日", "技能培训班"]


def make_pairings(ctx: Ctx) -> None:
    """校地融合: about a quarter of the streets and communities paired with a university, institute or the county's
    科技局, most in force, with the services they delivered."""
    from yiti.pairing.models import Pairing, ServiceLog

    rng = ctx.rng
    communities = list(Organisation.objects.filter(pk__in=ctx.villages).values_list("pk", "division_id"))
    partners = list(Organisation.objects.filter(pk__in=ctx.research_orgs, division__in=ctx.counties)
                    .values_list("pk", flat=True)) or ctx.research_orgs
    if not communities or not partners:
        return
    chosen = rng.sample(communities, k=min(len(communities), 2000, max(3, len(communities) // 4)))
    pairings = []
    for community_id, division_id in chosen:
        use_department = rng.random() < 0.3 and division_id in ctx.governments
        partner = ctx.governments[division_id] if use_department else rng.choice(partners)
        start = ctx.date_within(3 * 365, 30)
        status = "ended" if start < ctx.today - datetime.timedelta(days=2 * 365) and rng.random() < 0.5 else "active"
        pairings.append(Pairing(
            community_id=community_id, partner_id=partner, division_id=division_id, status=status, term_start=start,
            term_end=start.replace(year=start.year + 3) if start.month != 2 or start.day != 29 else
            start.replace(year=start.year + 3, day=28),
            community_needs="\n".join(rng.sample(COMMUNITY_NEEDS, 3)),
            partner_services="\n".join(rng.sample(PARTNER_SERVICES, 3))))
    insert(Pairing, pairings)
    logs = []
    for pairing in Pairing.objects.filter(community_id__in=[c for c, _d in chosen]):
        for _ in range(rng.randint(0, 4)):
            day = pairing.term_start + datetime.timedelta(days=rng.randint(0, max(0, (ctx.today - pairing.term_start).days)))
            logs.append(ServiceLog(pairing=pairing, date=min(day, ctx.today), content=rng.choice(SERVICE_TITLES),
                                   people_served=rng.randint(10, 120)))
    ServiceLog.objects.bulk_create(logs, batch_size=BATCH)


def generate(scale: float = 1.0, seed: int = 20261122, today: datetime.date | None = None,
             progress: Callable[[str], None] = lambda message: None) -> dict[str, int]:
    """Write the demo dataset; returns the number of rows per registry."""
    counts = {k: max(1, round(v * scale)) for k, v in BASE_COUNTS.items()}
    ctx = Ctx(rng=random.Random(seed), today=today or timezone.localdate(), seed=seed)
    with transaction.atomic():
        load_dictionaries(ctx)
        steps = [
            ("organisations", lambda: make_organisations(ctx, counts)),
            ("talents", lambda: make_talents(ctx, counts["talents"])),
            ("experts", lambda: make_experts(ctx)),
            ("needs", lambda: make_needs(ctx, counts["needs"])),
            ("results", lambda: make_results(ctx, counts["results"])),
            ("platforms", lambda: make_platforms(ctx, counts["platforms"])),
            ("agreements", lambda: make_agreements(ctx, counts["agreements"])),
            ("supervision tasks", lambda: make_tasks(ctx, counts["tasks"])),
            ("university–community pairs", lambda: make_pairings(ctx)),
            ("activities", lambda: make_activities(ctx, counts["events"])),
            ("annual targets", lambda: make_targets(ctx)),
            ("policies", lambda: make_policies(ctx)),  # issue 16 (r16/policies)
        ]
        for name, step in steps:
            progress(name)
            step()
        PlatformSetting.objects.update_or_create(key=PlatformSetting.DEMO_DATA, defaults={"value": "1"})
    return {
        "organisations": Organisation.objects.count(), "talents": Talent.objects.count(),
        "expert roles": ExpertRole.objects.count(), "needs": Need.objects.count(),
        "results": Result.objects.count(), "platforms": Platform.objects.count(),
        "agreements": Agreement.objects.count(), "supervision tasks": Task.objects.count(),
        "policies": _policy_count(),  # issue 16 (r16/policies)
        "activities": Event.objects.count(),
    }


# ---- issue 16 (r16/policies): a few realistic policies (政策兑现) ------------------------------------------------

DEMO_POLICIES: list[dict[str, Any]] = [
    {"title": "晋中市高校毕业生一次性创业补贴", "doc_number": "市人社发〔2025〕18号", "issuing_department": "晋中市人力资源和社会保障局",
     "kind": "automatic", "subject": "organisation", "target_group": "毕业5年内高校毕业生在本市首次创办的小微企业",
     "conditions_text": "在本市登记注册并正常经营1年以上；吸纳就业；依法缴纳社会保险", "standard": "按带动就业人数给予1000–5000元一次性补贴",
     "handling_office": "晋中市就业服务中心", "office_phone": "0354-3030000", "time_limit": "60个工作日",
     "rules": [{"field": "org_type", "op": "eq", "value": "enterprise"},
               {"field": "ladder_stage", "op": "in", "value": ["startup_team", "startup"]}],
     "items": [("一次性创业补贴", 1000, 5000, "", None)]},
    {"title": "晋中市创业担保贷款贴息", "doc_number": "市人社发〔2025〕21号", "issuing_department": "晋中市人力资源和社会保障局",
     "kind": "quick", "subject": "organisation", "target_group": "符合条件的小微企业",
     "conditions_text": "当年新招用符合条件人员达到规定比例；无拖欠工资、社会保险费", "standard": "贷款额度最高300万元，按规定给予贴息",
     "handling_office": "晋中市就业服务中心", "office_phone": "0354-3030001", "time_limit": "60个工作日",
     "rules": [{"field": "org_type", "op": "eq", "value": "enterprise"},
               {"field": "ladder_stage", "op": "in", "value": ["startup", "tech_sme", "high_tech"]}],
     "items": [("创业担保贷款贴息", None, 3000000, "", None)]},
    {"title": "晋中市高层次人才住房公积金贷款贴息", "doc_number": "市人才办发〔2025〕5号", "issuing_department": "中共晋中市委人才工作领导小组办公室",
     "kind": "automatic", "subject": "talent", "target_group": "在本市全职工作的高层次人才",
     "conditions_text": "具有博士学位或副高级以上职称，年龄不超过45周岁", "standard": "可贷额度最高30万元，给予50%贴息",
     "handling_office": "晋中市住房公积金管理中心", "office_phone": "0354-3030002", "time_limit": "60个工作日",
     "rules": [{"field": "degree", "op": "in", "value": ["doctorate"]},
               {"field": "age", "op": "lte", "value": 45}],
     "items": [("住房公积金贷款", None, 300000, "", 50)]},
]


def make_policies(ctx: Ctx) -> None:
    from yiti.demo.accounts import demo_departments
    from yiti.policies.models import BenefitItem, Policy

    city_office, _offices = demo_departments()
    for spec in DEMO_POLICIES:
        values = {k: v for k, v in spec.items() if k != "items"}
        policy = Policy(division=ctx.city, granting_department=city_office, effective_from=datetime.date(2025, 1, 1),
                        effective_to=datetime.date(2027, 12, 31), **values)
        policy.full_clean()  # the rules pass the one gate (yiti.policies.rules.check_conditions)
        policy.save()
        for name, low, high, unit, share in spec["items"]:
            BenefitItem.objects.create(policy=policy, name=name, amount_min=low, amount_max=high, unit=unit,
                                       interest_share=share)
        make_benefits(ctx, policy)


def make_benefits(ctx: Ctx, policy: Any) -> None:
    """The ledger of a demo policy: about a third of the records its rules find eligible, found by screening
    (免申即享) or applied for (快申快享) over the last two years, most paid, some open or not granted."""
    from yiti.policies import rules, services
    from yiti.policies.choices import BenefitStatus, Channel, PolicyKind, Subject
    from yiti.policies.models import Benefit

    rng = random.Random(f"benefits-{ctx.seed}-{policy.title}")  # apart from the main sequence
    model = Organisation if policy.subject == Subject.ORGANISATION else Talent
    columns = services.load_columns(policy.subject, model.objects.filter(division__isnull=False), ctx.today,
                                    history=False)
    eligible = rules.screen(policy.rules, columns).eligible
    chosen = sorted(rng.sample(eligible, min(len(eligible), max(3, len(eligible) // 3), 400)))
    prepared = rules.prepare(policy.rules, columns)
    item = policy.items.order_by("pk").first()
    divisions = dict(model.objects.filter(pk__in=[columns.ids[row] for row in chosen]).values_list("pk", "division_id"))
    channel = Channel.SCREENING if policy.kind == PolicyKind.AUTOMATIC else Channel.APPLICATION
    lines = []
    for row in chosen:
        pk = columns.ids[row]
        applied = ctx.today - datetime.timedelta(days=rng.randint(5, 700))
        line = Benefit(policy=policy, item=item, division_id=divisions.get(pk), channel=channel, applied_on=applied,
                       due_on=services.add_working_days(applied, services.payment_working_days()),
                       explanation=rules.explain(prepared, columns, row),
                       **{"organisation_id" if model is Organisation else "talent_id": pk})
        low = int(item.amount_min or 0) if item else 0
        high = min(int(item.amount_max or 0) if item else 0, 60000)  # a loan's ceiling is not its interest subsidy
        if channel == Channel.APPLICATION and high:
            line.requested_amount = Decimal(rng.randint(max(low, high // 20), high) // 100 * 100)
        roll = rng.random()
        if roll < 0.08:
            line.status, line.reason = BenefitStatus.REJECTED, "经核实，不符合申报条件。"
        elif roll < 0.85 or (ctx.today - applied).days > 120:
            line.status = BenefitStatus.APPROVED
            line.approved_on = min(ctx.today, applied + datetime.timedelta(days=rng.randint(3, 30)))
            line.amount = line.requested_amount or Decimal(rng.randint(max(low, 1000), max(high, 1000)) // 100 * 100)
            paid = line.approved_on + datetime.timedelta(days=rng.randint(5, 70))
            if paid <= ctx.today and rng.random() < 0.95:
                line.status, line.paid_on = BenefitStatus.PAID, paid
        lines.append(line)
    Benefit.objects.bulk_create(lines, batch_size=BATCH)


def _policy_count() -> int:
    from yiti.policies.models import Policy

    return Policy.objects.count()
