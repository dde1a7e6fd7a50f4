"""Reads the demo vocabularies from the TOML files in ``yiti/demo/data``.

The files are data a maintainer edits: this module checks their shape (every key known, every
list made of non-empty one-line text) and names the file and the key when something is wrong,
so that a typo fails at once with a clear message instead of as odd demo records.
What the texts must read like (sizes, placeholders, punctuation) is checked by
``yiti/demo/tests/test_vocab.py``.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypedDict, cast

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = ("templates.toml", "topics.toml", "organisations.toml", "people.toml", "records.toml")


class VocabularyError(ValueError):
    """A vocabulary file is missing or malformed; the message names the file and the key."""


class Topic(TypedDict):
    field: str  # short Chinese name; reads well in "晋中市{field}工程技术研究中心"
    industry: str  # GB/T 4754-2017 two-digit division (大类)
    disciplines: list[str]  # 2022 catalogue first-level disciplines (一级学科), four digits
    key_field: str | None  # a key of Vocabulary.key_fields
    keywords: list[str]  # technical terms: techniques, processes, methods of the field
    objects: list[str]  # products, materials, crops, animals, systems the field works on
    need_titles: list[str]  # 技术需求 / 项目合作需求 titles
    need_descriptions: list[str]
    metrics: list[str]  # target indicators, written as clauses ("良品率提升至98%以上")
    talent_need_titles: list[str]
    platform_need_titles: list[str]
    result_titles: list[str]
    result_descriptions: list[str]
    platform_names: list[str]
    enterprise_words: list[str]  # trade words of a company name: 字号 + word + suffix
    enterprise_suffixes: list[str]


TOPIC_KEYS: tuple[str, ...] = tuple(Topic.__annotations__)
# Lists a template group in templates.toml may hold (a topic adds to them or replaces them with only_<name>).
GROUP_LISTS: tuple[str, ...] = ("need_titles", "need_descriptions", "talent_need_titles", "platform_need_titles",
                                "result_titles", "result_descriptions", "platform_names")


@dataclass(frozen=True)
class Vocabulary:
    topics: list[Topic]
    key_fields: dict[str, str]
    brand_words: list[str]
    cooperative_suffixes: list[str]
    road_words: list[str]
    institute_names: list[str]
    hospital_names: list[str]
    government_departments: list[str]
    village_words: list[str]
    village_suffixes: list[str]
    street_words: list[str]
    community_words: list[str]
    street_community_names: list[str]
    surnames: list[tuple[str, int]]  # (surname, relative frequency), in file order
    given_name_chars_male: list[str]
    given_name_chars_female: list[str]
    given_name_chars_neutral: list[str]
    positions: dict[str, list[str]]  # university, institute, enterprise, government, hospital, other
    degrees: list[tuple[str, int]]  # (yiti.talents.choices.Degree code, weight)
    result_team_roles: list[str]
    contact_summaries: list[str]
    agreement_titles: dict[str, list[str]]  # by yiti.agreements.choices.AgreementKind
    evidence_notes: dict[str, list[str]]  # by yiti.agreements.choices.Step
    task_titles: dict[str, list[str]]  # by yiti.supervision.choices.Source, and "city"
    task_reports: dict[str, list[str]]  # by yiti.supervision.choices.ReportKind: progress, completion, return


TASK_TITLE_KINDS = ("city", "meeting", "instruction", "agreement", "need", "platform", "other")
POSITION_KINDS = ("university", "institute", "enterprise", "government", "hospital", "other")


@functools.cache
def vocabulary() -> Vocabulary:
    """The vocabularies shipped with the package, read once per process."""
    return load(DATA_DIR)


def load(folder: Path) -> Vocabulary:
    """Read and check every vocabulary file in ``folder``; raises ``VocabularyError``."""
    files = {name: _Table(_read(folder / name), folder / name) for name in FILES}
    templates = files["templates.toml"]
    groups = {name: templates.table(name).lists(GROUP_LISTS, required=False) for name in templates.data}
    topics_file = files["topics.toml"]
    topics_file.only({"key_fields", "defaults", "topics"})
    key_fields = topics_file.table("key_fields").texts()
    defaults = topics_file.table("defaults")
    defaults.only({"enterprise_suffixes"})
    default_suffixes = defaults.strings("enterprise_suffixes")
    topics = []
    for n, entry in enumerate(topics_file.get("topics", list), start=1):
        if not isinstance(entry, dict):
            topics_file.fail(f"topics[{n}] must be a [[topics]] table")
        topic = _topic(_Table(entry, topics_file.file, f"topics[{n}]"), groups, default_suffixes)
        if topic["key_field"] is not None and topic["key_field"] not in key_fields:
            topics_file.fail(f"topics[{n}].key_field = {topic['key_field']!r} is not in [key_fields]")
        topics.append(topic)
    if not topics:
        topics_file.fail("no [[topics]]")

    orgs = files["organisations.toml"]
    org_keys = ("brand_words", "cooperative_suffixes", "road_words", "institute_names", "hospital_names",
                "government_departments", "village_words", "village_suffixes", "street_words", "community_words",
                "street_community_names")
    org_lists = orgs.lists(org_keys)

    people = files["people.toml"]
    people.only({"result_team_roles", "surnames", "given_name_chars", "positions", "degrees"})
    chars = people.table("given_name_chars")
    chars.only({"male", "female", "neutral"})
    positions = people.table("positions").lists(POSITION_KINDS)

    records = files["records.toml"]
    records.only({"contact_summaries", "agreement_titles", "evidence_notes", "task_titles", "task_reports"})
    return Vocabulary(
        topics=topics,
        key_fields=key_fields,
        **org_lists,
        surnames=people.table("surnames").weights(),
        given_name_chars_male=chars.characters("male"),
        given_name_chars_female=chars.characters("female"),
        given_name_chars_neutral=chars.characters("neutral"),
        positions=positions,
        degrees=people.table("degrees").weights(),
        result_team_roles=people.strings("result_team_roles"),
        contact_summaries=records.strings("contact_summaries"),
        agreement_titles=records.table("agreement_titles").lists(),
        evidence_notes=records.table("evidence_notes").lists(),
        task_titles=records.table("task_titles").lists(TASK_TITLE_KINDS),
        task_reports=records.table("task_reports").lists(("progress", "completion", "return")),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VocabularyError(f"{path}: the demo vocabulary file is missing") from None
    except UnicodeDecodeError as exc:
        raise VocabularyError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path}: not valid TOML: {exc}") from None


class _Table:
    """One TOML table with typed getters that fail with the file and the key's path."""

    def __init__(self, data: dict[str, Any], file: Path, path: str = "") -> None:
        self.data, self.file, self.path = data, file, path
        self.note = ""  # the topic's field, so that a message names the topic

    def fail(self, message: str) -> NoReturn:
        raise VocabularyError(f"{self.file}: {message}{self.note}")

    def _key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def only(self, allowed: set[str] | tuple[str, ...]) -> None:
        unknown = set(self.data) - set(allowed)
        if unknown:
            where = f"[{self.path}]" if self.path else "the top level"
            self.fail(f"unknown key(s) {sorted(unknown)} in {where}; expected some of {sorted(allowed)}")

    def get(self, key: str, kind: type) -> Any:
        if key not in self.data:
            self.fail(f"{self._key(key)} is missing")
        value = self.data[key]
        if not isinstance(value, kind):
            self.fail(f"{self._key(key)} must be a {_KIND_NAMES.get(kind, kind.__name__)}")
        return value

    def table(self, key: str) -> _Table:
        return _Table(self.get(key, dict), self.file, self._key(key))

    def text(self, key: str) -> str:
        value = self.get(key, str)
        if not value.strip() or value != value.strip() or "\n" in value:
            self.fail(f"{self._key(key)} must be one line of text without surrounding spaces")
        return cast(str, value)

    def characters(self, key: str) -> list[str]:
        """A string whose every character is one entry (given-name characters)."""
        value = self.text(key)
        if any(c.isspace() for c in value):
            self.fail(f"{self._key(key)} must be characters without spaces between them")
        return list(value)

    def strings(self, key: str) -> list[str]:
        values = self.get(key, list)
        if not values:
            self.fail(f"{self._key(key)} is empty")
        for n, value in enumerate(values, start=1):
            if not isinstance(value, str) or not value.strip() or value != value.strip() or "\n" in value:
                self.fail(f"{self._key(key)}, item {n} ({value!r}) must be one line of text "
                          f"without surrounding spaces")
        return list(values)

    def lists(self, keys: tuple[str, ...] | None = None, required: bool = True) -> dict[str, list[str]]:
        """Every key of this table as a list of text; ``keys``, when given, are the only ones allowed."""
        if keys is not None:
            self.only(keys)
            if required:
                missing = [k for k in keys if k not in self.data]
                if missing:
                    self.fail(f"{', '.join(self._key(k) for k in missing)} missing")
        return {key: self.strings(key) for key in self.data}

    def texts(self) -> dict[str, str]:
        return {key: self.text(key) for key in self.data}

    def weights(self) -> list[tuple[str, int]]:
        """A table of name = positive integer weight, in file order."""
        out = []
        for key, value in self.data.items():
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                self.fail(f"{self._key(key)} must be a positive whole number, not {value!r}")
            out.append((key, value))
        if not out:
            self.fail(f"[{self.path}] is empty")
        return out


_KIND_NAMES: dict[type, str] = {list: "list [...]", dict: "table", str: "text in quotes"}


def _topic(spec: _Table, groups: dict[str, dict[str, list[str]]], default_suffixes: list[str]) -> Topic:
    """Merge a [[topics]] entry with its template group: the topic's own items first, then the group's.

    ``only_<name>`` replaces the group's list instead of extending it.
    """
    allowed = {"templates", *TOPIC_KEYS, *(f"only_{k}" for k in GROUP_LISTS)}
    if isinstance(spec.data.get("field"), str):
        spec.note = f" (the topic {spec.data['field']})"
    spec.only(allowed)
    group_name = spec.text("templates")
    if group_name not in groups:
        spec.fail(f"{spec.path}.templates = {group_name!r} names no group of templates.toml ({', '.join(groups)})")
    base = groups[group_name]
    out: dict[str, Any] = {"field": spec.text("field"), "industry": spec.text("industry"),
                           "key_field": spec.text("key_field") if "key_field" in spec.data else None}
    for key in TOPIC_KEYS:
        if key in out:
            continue
        if f"only_{key}" in spec.data:
            if key in spec.data:
                spec.fail(f"{spec.path} has both {key} and only_{key}: keep one")
            out[key] = spec.strings(f"only_{key}")
        elif key in base:
            own = spec.strings(key) if key in spec.data else []
            out[key] = list(dict.fromkeys([*own, *base[key]]))
        elif key in spec.data:
            out[key] = spec.strings(key)
        elif key == "enterprise_suffixes":
            out[key] = list(default_suffixes)
        else:
            spec.fail(f"{spec.path}.{key} is missing (neither the topic nor its group {group_name!r} has it)")
    return cast(Topic, {key: out[key] for key in TOPIC_KEYS})
