"""疑似重复: pairs of records that are probably one record entered twice, for a person to confirm and merge.

Pairs are found with the keys the import matches on (`matching.name_key` / `org_key`: traditional and
simplified characters, width, punctuation, 有限责任公司 = 有限公司) used as blocking keys: the records the user
may change and delete are loaded once (a few columns), grouped by key, and only the records of one group are
compared, so a city's 60,000 talents take about a second instead of 1.8 billion comparisons.

The rules per registry (the reasons shown on the page) follow the hand-labelled NSSF pairs
(tests/data/README.md): the same name at the same organisation, or at one spelled differently, is almost
always one person; the same name at another organisation is one person about half the time when the
discipline agrees and practically never when it differs; one title under two different leaders is two
projects (the same guide topic funded twice), and so is one title and leader under two grant numbers or years
more than one apart (后期资助, 成果文库, a later round).
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from yiti.core.access import user_may
from yiti.core.views import denied
from yiti.imports import matching
from yiti.imports.matching import norm, without_brackets

# A key shared by more records than this (a very common name in a whole city) is not paired on its own:
# its pairs would fill the page and most are two people. Stronger keys (name + organisation) still pair them.
MAX_GROUP = 60

Values = dict[str, Any]


@dataclass(frozen=True)
class Block:
    """Records with the same non-empty `key` are candidates, if `accept` agrees; `reason` says why."""

    reason: Any
    strength: int
    key: Callable[[Values], str]
    accept: Callable[[Values, Values], bool] = lambda a, b: True


@dataclass(frozen=True)
class Rule:
    fields: tuple[str, ...]          # what is loaded per record (values_list), besides pk
    blocks: tuple[Block, ...]
    describe: Callable[[Values], str] = lambda v: ""  # context shown under each record's name


@dataclass
class Pair:
    a: int                           # the older record: it survives the merge
    b: int
    reason: Any
    strength: int
    values: tuple[Values, Values] = field(default=({}, {}), compare=False)


# Names repeat (an organisation thousands of times, a person in several blocks): each is keyed once.
name_key = lru_cache(maxsize=1 << 17)(matching.name_key)
org_key = lru_cache(maxsize=1 << 17)(matching.org_key)


@lru_cache(maxsize=1 << 17)
def title_key(text: str) -> str:
    """A title's key without its bracketed remarks: "…研究（英文）" and "…研究" are near-identical."""
    return name_key(without_brackets(text or "")) or name_key(text or "")


def _join(*parts: str) -> str:
    return "|".join(parts) if all(parts) else ""


def _either_blank_or_equal(name: str) -> Callable[[Values, Values], bool]:
    return lambda a, b: a[name] is None or b[name] is None or a[name] == b[name]


_PLACEHOLDER = re.compile(r"^(.)\1*$")  # 111111, 000: a number typed to fill the cell


def _one_project(a: Values, b: Values) -> bool:
    """One title, one leader: the same project entered twice only if the numbers do not differ (one blank or a
    placeholder) and the years are at most one apart; otherwise a new grant (后期资助, 成果文库, another round)."""
    numbers = [norm(v["identifier"] or "") for v in (a, b)]
    if all(n and not _PLACEHOLDER.match(n) for n in numbers) and numbers[0] != numbers[1]:
        return False
    return a["year"] is None or b["year"] is None or abs(a["year"] - b["year"]) <= 1


def _leaders_agree(a: Values, b: Values) -> bool:
    same = not a["leader__name"] or not b["leader__name"] or name_key(a["leader__name"]) == name_key(b["leader__name"])
    return same and _one_project(a, b)


def _named(*names: str) -> Callable[[Values], str]:
    return lambda v: " · ".join(str(v[n]) for n in names if v.get(n) not in (None, ""))


RULES: dict[str, Rule] = {
    "orgs": Rule(
        fields=("name", "credit_code", "division__name"),
        blocks=(Block(_("nearly the same name"), 3, lambda v: org_key(v["name"]),
                      # two credit codes that differ are two legal entities
                      lambda a, b: not (a["credit_code"] and b["credit_code"])),),
        describe=_named("credit_code", "division__name")),
    "talents": Rule(
        fields=("name", "organisation_id", "organisation__name", "discipline_id", "discipline__name"),
        blocks=(
            Block(_("same name, same organisation"), 3,
                  lambda v: _join(name_key(v["name"]), str(v["organisation_id"] or ""))),
            Block(_("same name, the organisation spelled differently"), 2,
                  lambda v: _join(name_key(v["name"]), org_key(v["organisation__name"] or ""))),
            Block(_("same name at another organisation, same or unknown discipline"), 1,
                  lambda v: name_key(v["name"]), _either_blank_or_equal("discipline_id")),
        ),
        describe=_named("organisation__name", "discipline__name")),
    "experts": Rule(
        fields=("talent_id", "talent__name", "talent__organisation__name", "role"),
        blocks=(Block(_("same name, same role"), 2, lambda v: _join(name_key(v["talent__name"]), v["role"]),
                      lambda a, b: a["talent_id"] != b["talent_id"]),),
        describe=_named("talent__organisation__name")),
    "needs": Rule(
        fields=("title", "enterprise__name", "published_date"),
        blocks=(Block(_("same enterprise, nearly the same title"), 2,
                      lambda v: _join(org_key(v["enterprise__name"] or ""), title_key(v["title"]))),),
        describe=_named("enterprise__name", "published_date")),
    "results": Rule(
        fields=("title", "identifier", "year", "leader__name", "owner__name"),
        blocks=(
            Block(_("same number, same leader"), 3,
                  lambda v: _join(norm(v["identifier"] or ""), name_key(v["leader__name"] or ""))),
            Block(_("nearly the same title, same leader"), 2,
                  lambda v: _join(title_key(v["title"]), name_key(v["leader__name"] or "")), _one_project),
            Block(_("nearly the same title, same owner"), 1,
                  lambda v: _join(title_key(v["title"]), org_key(v["owner__name"] or "")), _leaders_agree),
        ),
        describe=_named("identifier", "leader__name", "owner__name", "year")),
    "platforms": Rule(
        fields=("name", "host__name"),
        blocks=(Block(_("nearly the same name"), 2, lambda v: title_key(v["name"])),),
        describe=_named("host__name")),
    "agreements": Rule(
        fields=("title", "signed_date"),
        blocks=(Block(_("nearly the same title"), 2, lambda v: title_key(v["title"])),),
        describe=_named("signed_date")),
    # a task entered twice; sub-tasks share the parent's title but not the county
    "supervision": Rule(
        fields=("title", "division_id", "division__name", "assigned_on"),
        blocks=(Block(_("same county, nearly the same title"), 2,
                      lambda v: _join(str(v["division_id"] or ""), title_key(v["title"]))),),
        describe=_named("division__name", "assigned_on")),
    # the same community and partner entered twice (a renewed pair has a later term: the date tells them apart)
    "pairing": Rule(
        fields=("community_id", "partner_id", "community__name", "partner__name", "term_start"),
        blocks=(Block(_("same community, same partner"), 2,
                      lambda v: _join(str(v["community_id"] or ""), str(v["partner_id"] or ""))),),
        describe=_named("partner__name", "term_start")),
    # an event entered twice: same county, same start, nearly the same title
    "activities": Rule(
        fields=("title", "start_date", "division_id", "division__name"),
        blocks=(Block(_("same county, same start date, nearly the same title"), 2,
                      lambda v: _join(str(v["division_id"] or ""), str(v["start_date"] or ""), title_key(v["title"]))),),
        describe=_named("division__name", "start_date")),
    # a position imported twice from the enterprise's sheet
    "fairs": Rule(
        fields=("title", "fair_id", "enterprise_id", "enterprise__name"),
        blocks=(Block(_("same fair, same enterprise, nearly the same title"), 2,
                      lambda v: _join(str(v["fair_id"] or ""), str(v["enterprise_id"] or ""), title_key(v["title"]))),),
        describe=_named("enterprise__name")),
    "policies": Rule(
        fields=("title", "doc_number", "issuing_department"),
        blocks=(Block(_("same document number"), 3, lambda v: norm(v["doc_number"] or "")),
                Block(_("nearly the same title"), 2, lambda v: title_key(v["title"]))),
        describe=_named("doc_number", "issuing_department")),
}


def has_rule(registry: Any) -> bool:
    """Whether 疑似重复 knows what makes two records of `registry` look alike (a registry without a rule
    here simply has no such page)."""
    return registry.app_label in RULES


def pairs_in(records: Iterable[Values], rule: Rule) -> list[Pair]:
    """Candidate pairs among `records` (dicts with "pk" and the rule's fields), strongest reason per pair."""
    records = list(records)
    by_pk = {v["pk"]: v for v in records}
    found: dict[tuple[int, int], Pair] = {}
    for block in rule.blocks:
        groups: dict[str, list[Values]] = defaultdict(list)
        for values in records:
            key = block.key(values)
            if key:
                groups[key].append(values)
        for group in groups.values():
            if len(group) < 2 or len(group) > MAX_GROUP:
                continue
            group.sort(key=lambda v: v["pk"])
            for i, first in enumerate(group):
                for second in group[i + 1 :]:
                    pair = (first["pk"], second["pk"])
                    if pair in found or not block.accept(first, second):
                        continue  # blocks come strongest first: the first reason found is kept
                    found[pair] = Pair(first["pk"], second["pk"], block.reason, block.strength,
                                       (by_pk[first["pk"]], by_pk[second["pk"]]))
    return sorted(found.values(), key=lambda p: (-p.strength, p.a, p.b))


def mergeable(registry: Any, user: Any) -> Any:
    """The records `user` may both change and delete: a merge changes one and deletes the other."""
    manager = registry.model._default_manager
    return manager.restrict(user, "change") & manager.restrict(user, "delete")


def candidates(registry: Any, user: Any) -> list[Pair]:
    """Every candidate pair among the records of `registry` that `user` may merge."""
    rule = RULES[registry.app_label]
    rows = mergeable(registry, user).order_by().values_list("pk", *rule.fields)
    names = ("pk", *rule.fields)
    return pairs_in((dict(zip(names, row, strict=True)) for row in rows.iterator(chunk_size=5000)), rule)


PER_PAGE = 50


@require_GET
def duplicates_view(request, registry: Any):
    """疑似重复 of one registry: candidate pairs, each with a link to the merge page prefilled with the pair."""
    model = registry.model
    if not (user_may(request.user, model, "change") and user_may(request.user, model, "delete")):
        denied(request, "role")
        raise PermissionDenied
    rule = RULES[registry.app_label]
    found = candidates(registry, request.user)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    shown = {pk for pair in page for pk in (pair.a, pair.b)}
    objects = registry.queryset(request.user).in_bulk(shown)
    rows = []
    for pair in page:
        first, second = objects.get(pair.a), objects.get(pair.b)
        if first is None or second is None:
            continue  # not viewable after all (a grant to change without view): never shown
        merge_url = reverse(registry.url_name("merge"), args=[first.pk])
        rows.append({"first": first, "second": second, "reason": pair.reason,
                     "first_context": rule.describe(pair.values[0]), "second_context": rule.describe(pair.values[1]),
                     "merge_url": f"{merge_url}?{urlencode({'other': f'{second} #{second.pk}'})}"})
    context = {
        "registry": registry, "page": page, "rows": rows, "total": len(found), "max_group": MAX_GROUP,
        "verbose_name_plural": model._meta.verbose_name_plural, "list_url": reverse(registry.url_name("list")),
    }
    return render(request, "imports/duplicates.html", context)
