"""Vocabularies for the synthetic Jinzhong demo dataset.

The words and templates are data files in ``yiti/demo/data`` (TOML, read by ``loader``); this
module names them for the generator and holds a few pure helpers: no Django, no randomness.
The generator owns a seeded ``random.Random`` and picks from these lists; ``fill`` turns a
template into text.

Each ``Topic`` is one field of Jinzhong's economy (an industry chain, a farming branch, a
service). Its templates only use the placeholders listed in ``PLACEHOLDERS`` for that list,
and every template reads as grammatical Chinese for every object and keyword of its own
topic (``yiti/demo/tests/test_vocab.py`` fills all of them).

Organisation names (institutes, hospitals, enterprises) are synthetic unless the data file
says otherwise; real universities come from ``yiti/core/data/jinzhong_universities.csv``.
"""

from __future__ import annotations

import string

from yiti.demo.loader import Topic, vocabulary

# Placeholders each template list may use (and the only ones the generator has to supply).
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "need_titles": frozenset({"object", "keyword", "keyword2", "field"}),
    "need_descriptions": frozenset({"enterprise", "object", "keyword", "keyword2", "metric", "field"}),
    "talent_need_titles": frozenset({"object", "keyword", "field"}),
    "platform_need_titles": frozenset({"object", "keyword", "field"}),
    "result_titles": frozenset({"object", "keyword", "keyword2", "field"}),
    "result_descriptions": frozenset({"object", "keyword", "keyword2", "metric", "field"}),
    "platform_names": frozenset({"field"}),
}

TEMPLATE_LISTS: tuple[str, ...] = tuple(PLACEHOLDERS)

# Inclusive (min, max) sizes of every list of a topic.
TOPIC_LIST_BOUNDS: dict[str, tuple[int, int]] = {
    "keywords": (20, 40),
    "objects": (10, 20),
    "need_titles": (8, 15),
    "need_descriptions": (5, 10),
    "metrics": (5, 10),
    "talent_need_titles": (3, 6),
    "platform_need_titles": (2, 5),
    "result_titles": (8, 15),
    "result_descriptions": (5, 10),
    "platform_names": (3, 6),
    "enterprise_words": (8, 15),
    "enterprise_suffixes": (3, 6),
}

_FORMATTER = string.Formatter()


def placeholders(template: str) -> set[str]:
    """Names of the ``{placeholders}`` in ``template``."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def fill(template: str, **values: str) -> str:
    """Fill ``template``; a placeholder without a value raises ``KeyError`` naming it.

    Extra values are allowed, so a caller may pass one dict of values to every template.
    """
    missing = placeholders(template) - values.keys()
    if missing:
        raise KeyError(f"template {template!r} needs {sorted(missing)}")
    return template.format_map(values)


def topic_values(topic: Topic, keyword: str, keyword2: str, obj: str, **extra: str) -> dict[str, str]:
    """The value dict for ``fill`` from picks the caller made (with its own seeded RNG)."""
    return {"field": topic["field"], "keyword": keyword, "keyword2": keyword2, "object": obj, **extra}


def result_kind(title: str) -> str:
    """Guess the research-result kind a result title describes.

    Returns one of ``patent``, ``software``, ``standard``, ``variety``, ``technology``.
    """
    if title.startswith("一种"):
        return "patent"
    if "新品种" in title:
        return "variety"
    if title.endswith(("规程", "规范", "标准", "技术要求", "指南")):
        return "standard"
    if "软件" in title or "V1.0" in title or title.endswith(("系统", "平台", "设计与实现")):
        return "software"
    return "technology"


_DATA = vocabulary()

KEY_FIELDS: dict[str, str] = _DATA.key_fields
TOPICS: list[Topic] = _DATA.topics
# Organisation names.
BRAND_WORDS: list[str] = _DATA.brand_words
COOPERATIVE_SUFFIXES: list[str] = _DATA.cooperative_suffixes
ROAD_WORDS: list[str] = _DATA.road_words
INSTITUTE_NAMES: list[str] = _DATA.institute_names
HOSPITAL_NAMES: list[str] = _DATA.hospital_names
GOVERNMENT_DEPARTMENTS: list[str] = _DATA.government_departments
VILLAGE_WORDS: list[str] = _DATA.village_words
VILLAGE_SUFFIXES: list[str] = _DATA.village_suffixes
STREET_WORDS: list[str] = _DATA.street_words
COMMUNITY_WORDS: list[str] = _DATA.community_words
STREET_COMMUNITY_NAMES: list[str] = _DATA.street_community_names
# People.
SURNAMES: list[tuple[str, int]] = _DATA.surnames
GIVEN_NAME_CHARS_MALE: list[str] = _DATA.given_name_chars_male
GIVEN_NAME_CHARS_FEMALE: list[str] = _DATA.given_name_chars_female
GIVEN_NAME_CHARS_NEUTRAL: list[str] = _DATA.given_name_chars_neutral
POSITIONS_UNIVERSITY: list[str] = _DATA.positions["university"]
POSITIONS_INSTITUTE: list[str] = _DATA.positions["institute"]
POSITIONS_ENTERPRISE: list[str] = _DATA.positions["enterprise"]
POSITIONS_GOVERNMENT: list[str] = _DATA.positions["government"]
POSITIONS_HOSPITAL: list[str] = _DATA.positions["hospital"]
POSITIONS_OTHER: list[str] = _DATA.positions["other"]
DEGREES: list[tuple[str, int]] = _DATA.degrees
RESULT_TEAM_ROLES: list[str] = _DATA.result_team_roles
# Contact logs, agreements and their evidence.
CONTACT_SUMMARIES: list[str] = _DATA.contact_summaries
AGREEMENT_TITLES: dict[str, list[str]] = _DATA.agreement_titles
EVIDENCE_NOTES: dict[str, list[str]] = _DATA.evidence_notes
# Supervision tasks and their reports.
TASK_TITLES: dict[str, list[str]] = _DATA.task_titles
TASK_REPORTS: dict[str, list[str]] = _DATA.task_reports
