"""Engine documents from records: what the matching index knows of each need, result, expert, organisation and
platform.

Every record is named by a key, "<kind>:<pk>" (`key`, `parse_key`): the engine's document id, and what
feedback, matching items and the index's pending changes point at. The documents carry text (title, body,
keywords) and the facts the engine filters on (discipline and industry codes, the county, the organisation,
the owner — the expert a result belongs to — and the year). Nothing personal goes into a document: no phone,
ID number, e-mail or address.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models

from yiti.engine import Document
from yiti.needs.models import Need
from yiti.orgs.models import Organisation
from yiti.platforms.models import Platform
from yiti.results.models import Result
from yiti.talents.models import Talent

# kind → model; the order is the order of a full build.
KINDS: dict[str, type[models.Model]] = {
    "need": Need,
    "result": Result,
    "talent": Talent,
    "org": Organisation,
    "platform": Platform,
}
KIND_OF_MODEL = {model: kind for kind, model in KINDS.items()}


def key(record: models.Model) -> str:
    return f"{KIND_OF_MODEL[type(record)]}:{record.pk}"


def parse_key(value: str) -> tuple[str, int]:
    """("need", 12) from "need:12"; ValueError for anything else."""
    kind, _, pk = value.partition(":")
    if kind not in KINDS or not pk.isdigit():
        raise ValueError(f"not a record key: {value!r}")
    return kind, int(pk)


def resolve(keys: Iterable[str]) -> dict[str, models.Model]:
    """The records behind keys, one query per kind; keys whose record is gone are left out."""
    wanted: dict[str, list[int]] = {}
    for k in keys:
        kind, pk = parse_key(k)
        wanted.setdefault(kind, []).append(pk)
    found: dict[str, models.Model] = {}
    for kind, pks in wanted.items():
        for record in KINDS[kind]._default_manager.filter(pk__in=pks):
            found[f"{kind}:{record.pk}"] = record
    return found


def _code(obj: Any) -> str | None:
    return obj.code if obj is not None else None


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in text.replace("；", ";").replace("，", ";").replace(",", ";").replace("、", ";")
                 .split(";") if w.strip())


def need_document(need: Need) -> Document:
    enterprise = need.enterprise
    return Document(
        id=key(need), title=need.title, text=need.description, keywords=_words(need.keywords),
        discipline=_code(need.discipline), industry=_code(need.industry) or _code(enterprise.industry),
        division=str(enterprise.division_id) if enterprise.division_id else None,
        organisation=f"org:{need.enterprise_id}", type="need", year=need.published_date.year,
    )


def result_document(result: Result) -> Document:
    return Document(
        id=key(result), title=result.title, text=result.description, keywords=_words(result.keywords),
        discipline=_code(result.discipline), industry=_code(result.industry),
        division=str(result.owner.division_id) if result.owner_id and result.owner.division_id else None,
        organisation=f"org:{result.owner_id}" if result.owner_id else None,
        owner=f"talent:{result.leader_id}" if result.leader_id else None, type="result", year=result.year,
    )


def talent_document(talent: Talent) -> Document:
    # The expert's own profile; their results join them through `owner`.
    return Document(
        id=key(talent), title=talent.position, text="", keywords=_words(talent.expertise),
        discipline=_code(talent.discipline), industry=_code(talent.industry),
        division=str(talent.division_id) if talent.division_id else None,
        organisation=f"org:{talent.organisation_id}" if talent.organisation_id else None,
        owner=key(talent), type="talent",
    )


def org_document(org: Organisation) -> Document:
    return Document(
        id=key(org), title=org.name, text=org.description, industry=_code(org.industry),
        division=str(org.division_id) if org.division_id else None, organisation=key(org), type="org",
    )


def platform_document(platform: Platform) -> Document:
    return Document(
        id=key(platform), title=platform.name, text=platform.description, industry=_code(platform.industry),
        division=str(platform.division_id) if platform.division_id else None,
        organisation=f"org:{platform.host_id}", type="platform",
    )


BUILDERS = {"need": need_document, "result": result_document, "talent": talent_document,
            "org": org_document, "platform": platform_document}
JOINS = {"need": ("enterprise", "industry", "discipline", "enterprise__industry"),
         "result": ("owner", "industry", "discipline"),
         "talent": ("industry", "discipline"),
         "org": ("industry",),
         "platform": ("industry",)}


# The columns the builders read (with JOINS): nothing else is loaded — a talent's encrypted ID number and phone are
# neither needed nor decrypted (300,000 talents at scale 100).
ONLY = {"need": ("title", "description", "keywords", "published_date", "enterprise_id", "discipline__code",
                 "industry__code", "enterprise__industry__code", "enterprise__division_id"),
        "result": ("title", "description", "keywords", "year", "leader_id", "owner_id", "owner__division_id",
                   "discipline__code", "industry__code"),
        "talent": ("position", "expertise", "division_id", "organisation_id", "discipline__code", "industry__code"),
        "org": ("name", "description", "division_id", "industry__code"),
        "platform": ("name", "description", "division_id", "host_id", "industry__code")}


def _records(kind: str) -> models.QuerySet[Any]:
    return KINDS[kind]._default_manager.select_related(*JOINS[kind]).only(*ONLY[kind])


def document(record: models.Model) -> Document:
    return BUILDERS[KIND_OF_MODEL[type(record)]](record)  # type: ignore[arg-type,operator]


def documents_for(keys: Iterable[str]) -> dict[str, Document]:
    """The current documents of records named by key, one query per kind (with the joins a document
    reads); keys whose record is gone are left out."""
    wanted: dict[str, list[int]] = {}
    for k in keys:
        kind, pk = parse_key(k)
        wanted.setdefault(kind, []).append(pk)
    found: dict[str, Document] = {}
    for kind, pks in wanted.items():
        for start in range(0, len(pks), 500):
            records = _records(kind).filter(pk__in=pks[start:start + 500])
            for record in records:
                doc = BUILDERS[kind](record)  # type: ignore[operator]
                found[doc.id] = doc
    return found


def is_expert_document(doc: Document) -> bool:
    """Does this document describe an expert for the expert finder? A result led by a talent (owner = the
    leader) or a talent's own profile, with some text. These are the documents `python -m yiti.engine
    rank-experts` indexes for a candidate (one per past project: title, year, discipline, organisation,
    owner), so the platform's finder learns and ranks on the same material as the engine's command."""
    return bool(doc.owner) and doc.type in ("result", "talent") and bool(doc.title or doc.text or doc.keywords)


def _str(value: object) -> str | None:
    return str(value) if value else None


# A full build reads every record: the same documents as BUILDERS make, from the columns' values (no model
# instance per record — half of the reading time at scale 100). The columns in order, then the document.
COLUMNS: dict[str, tuple[tuple[str, ...], Any]] = {
    "need": (("pk", "title", "description", "keywords", "discipline__code", "industry__code",
              "enterprise__industry__code", "enterprise__division_id", "enterprise_id", "published_date"),
             lambda pk, title, text, kw, disc, ind, ent_ind, div, ent, published: Document(
                 id=f"need:{pk}", title=title, text=text, keywords=_words(kw), discipline=disc, industry=ind or ent_ind,
                 division=_str(div), organisation=f"org:{ent}", type="need", year=published.year)),
    "result": (("pk", "title", "description", "keywords", "discipline__code", "industry__code", "owner_id",
                "owner__division_id", "leader_id", "year"),
               lambda pk, title, text, kw, disc, ind, org, div, leader, year: Document(
                   id=f"result:{pk}", title=title, text=text, keywords=_words(kw), discipline=disc, industry=ind,
                   division=_str(div) if org else None, organisation=f"org:{org}" if org else None,
                   owner=f"talent:{leader}" if leader else None, type="result", year=year)),
    "talent": (("pk", "position", "expertise", "discipline__code", "industry__code", "division_id", "organisation_id"),
               lambda pk, position, kw, disc, ind, div, org: Document(
                   id=f"talent:{pk}", title=position, text="", keywords=_words(kw), discipline=disc, industry=ind,
                   division=_str(div), organisation=f"org:{org}" if org else None, owner=f"talent:{pk}",
                   type="talent")),
    "org": (("pk", "name", "description", "industry__code", "division_id"),
            lambda pk, name, text, ind, div: Document(
                id=f"org:{pk}", title=name, text=text, industry=ind, division=_str(div), organisation=f"org:{pk}",
                type="org")),
    "platform": (("pk", "name", "description", "industry__code", "division_id", "host_id"),
                 lambda pk, name, text, ind, div, host: Document(
                     id=f"platform:{pk}", title=name, text=text, industry=ind, division=_str(div),
                     organisation=f"org:{host}", type="platform")),
}


def all_documents(kinds: Iterable[str] = KINDS, chunk: int = 2000) -> Iterator[Document]:
    """Every record's document, streamed (a scale-100 city has hundreds of thousands); the same as
    `document(record)` for each record (tested)."""
    for kind in kinds:
        columns, make = COLUMNS[kind]
        rows = KINDS[kind]._default_manager.order_by("pk").values_list(*columns)
        for row in rows.iterator(chunk_size=chunk):
            yield make(*row)
