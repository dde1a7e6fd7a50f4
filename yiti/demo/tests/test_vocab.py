"""The demo vocabularies: every template fills, lists have their sizes, codes exist."""

import csv
import re
from itertools import cycle, islice
from pathlib import Path

import pytest

from yiti.core import code_data
from yiti.demo import vocab

DATA = Path(code_data.__file__).resolve().parent / code_data.DATA_DIR  # the code tables
TOPIC_IDS = [t["field"] for t in vocab.TOPICS]
ASCII_PUNCTUATION = re.compile(r"[,;:!?()]")
REPEATED_PAIR = re.compile(r"(..)\1")  # "服务服务", "养殖养殖": a template/term clash


def combinations(topic: vocab.Topic) -> list[dict[str, str]]:
    """Value dicts that use every keyword (as keyword and keyword2), object and metric at least once."""
    kws, objs, metrics = topic["keywords"], topic["objects"], topic["metrics"]
    n = max(len(kws), len(objs), len(metrics))
    return [
        vocab.topic_values(topic, kw, kw2, obj, metric=metric, enterprise="山西华晋测试有限公司")
        for kw, kw2, obj, metric in zip(
            islice(cycle(kws), n), islice(cycle(kws[1:] + kws[:1]), n), islice(cycle(objs), n),
            islice(cycle(metrics), n), strict=True)
    ]


def test_fill_replaces_placeholders() -> None:
    assert vocab.fill("共建{field}联合实验室", field="铸造", unused="x") == "共建铸造联合实验室"


def test_fill_fails_loudly_on_a_missing_value() -> None:
    with pytest.raises(KeyError, match="object"):
        vocab.fill("一种{object}的{keyword}方法", keyword="热处理")


def test_placeholders() -> None:
    assert vocab.placeholders("{object}{keyword}与{keyword2}") == {"object", "keyword", "keyword2"}


def test_at_least_24_topics_with_unique_fields() -> None:
    assert len(vocab.TOPICS) >= 24
    assert len(set(TOPIC_IDS)) == len(TOPIC_IDS)


@pytest.mark.parametrize("topic", vocab.TOPICS, ids=TOPIC_IDS)
def test_topic_shape(topic: vocab.Topic) -> None:
    assert set(topic) == set(vocab.Topic.__annotations__)
    assert re.fullmatch(r"\d{2}", topic["industry"])
    assert topic["disciplines"] and all(re.fullmatch(r"\d{4}", d) for d in topic["disciplines"])
    assert topic["key_field"] is None or topic["key_field"] in vocab.KEY_FIELDS
    for key, (low, high) in vocab.TOPIC_LIST_BOUNDS.items():
        assert low <= len(topic[key]) <= high, f"{topic['field']}.{key} has {len(topic[key])}"  # type: ignore[literal-required]
        items = topic[key]  # type: ignore[literal-required]
        assert len(set(items)) == len(items), f"duplicates in {topic['field']}.{key}"
        assert all(item and item == item.strip() for item in items)
    assert not set(topic["keywords"]) & set(topic["objects"])
    for metric in topic["metrics"]:
        assert not vocab.placeholders(metric) and not metric.endswith(("。", "，", "；"))


@pytest.mark.parametrize("topic", vocab.TOPICS, ids=TOPIC_IDS)
def test_every_template_fills_with_the_topic_own_terms(topic: vocab.Topic) -> None:
    values = combinations(topic)
    for key in vocab.TEMPLATE_LISTS:
        for template in topic[key]:  # type: ignore[literal-required]
            used = vocab.placeholders(template)
            assert used <= vocab.PLACEHOLDERS[key], f"{template!r} uses {used - vocab.PLACEHOLDERS[key]}"
            assert not ASCII_PUNCTUATION.search(template), template
            if key.endswith("descriptions"):
                assert template.endswith("。") and template.count("。") >= 2, template
            else:
                assert "。" not in template and "，" not in template, template
            for v in values:
                text = vocab.fill(template, **v)
                assert "{" not in text and "}" not in text, text
                assert not REPEATED_PAIR.search(text), text


def test_result_kinds_cover_every_result_type() -> None:
    kinds = {vocab.result_kind(t) for topic in vocab.TOPICS for t in topic["result_titles"]}
    assert kinds == {"patent", "software", "standard", "variety", "technology"}
    assert vocab.result_kind("一种轴承套圈的热处理方法") == "patent"
    assert vocab.result_kind("高产抗旱谷子新品种") == "variety"
    assert vocab.result_kind("黄芪种子包衣技术规程") == "standard"
    assert vocab.result_kind("能耗监测平台软件V1.0") == "software"


def test_key_fields_match_the_organisation_choices() -> None:
    from yiti.orgs.choices import KeyField

    assert 8 <= len(vocab.KEY_FIELDS) <= 12
    assert set(vocab.KEY_FIELDS) == set(KeyField.values)
    assert all(re.fullmatch(r"[a-z_]+", k) for k in vocab.KEY_FIELDS)


def test_people_vocabularies() -> None:
    surnames = [s for s, _w in vocab.SURNAMES]
    assert len(surnames) >= 100 and len(set(surnames)) == len(surnames)
    assert all(w > 0 for _s, w in vocab.SURNAMES)
    top = {s for s, _w in sorted(vocab.SURNAMES, key=lambda p: -p[1])[:12]}
    assert {"王", "李", "张", "刘", "赵", "杨", "郭"} <= top
    assert {"武", "梁", "韩"} <= set(surnames)
    pools = [vocab.GIVEN_NAME_CHARS_MALE, vocab.GIVEN_NAME_CHARS_FEMALE, vocab.GIVEN_NAME_CHARS_NEUTRAL]
    for pool in pools:
        assert len(pool) >= 60 and len(set(pool)) == len(pool) and all(len(c) == 1 for c in pool)
    assert not set(pools[0]) & set(pools[1])
    for positions in (vocab.POSITIONS_UNIVERSITY, vocab.POSITIONS_ENTERPRISE, vocab.POSITIONS_GOVERNMENT,
                      vocab.POSITIONS_HOSPITAL, vocab.POSITIONS_INSTITUTE, vocab.POSITIONS_OTHER):
        assert len(positions) >= 5 and len(set(positions)) == len(positions)
    assert {code for code, _w in vocab.DEGREES} <= {"doctorate", "master", "bachelor", "associate", "other"}


def test_contact_summaries() -> None:
    assert 15 <= len(vocab.CONTACT_SUMMARIES) <= 25
    for template in vocab.CONTACT_SUMMARIES:
        assert "name" in vocab.placeholders(template)
        assert vocab.placeholders(template) <= {"name", "org", "field"}
        text = vocab.fill(template, name="王建国", org="浙江大学", field="铸造")
        assert text.endswith("。") and "{" not in text


def test_agreement_titles_and_evidence() -> None:
    from yiti.agreements.choices import AgreementKind, Step

    assert set(vocab.AGREEMENT_TITLES) == set(AgreementKind.values)
    titles = [t for ts in vocab.AGREEMENT_TITLES.values() for t in ts]
    assert 10 <= len(titles) <= 20 and len(set(titles)) == len(titles)
    for template in titles:
        assert vocab.placeholders(template) <= {"university", "county", "enterprise", "field"}
        assert "{" not in vocab.fill(template, university="晋中学院", county="太谷区",
                                     enterprise="太谷瑞丰玛钢有限公司", field="可锻铸铁")
    assert set(vocab.EVIDENCE_NOTES) == set(Step.values)
    for notes in vocab.EVIDENCE_NOTES.values():
        assert 3 <= len(notes) <= 6 and all(n.endswith("。") and not vocab.placeholders(n) for n in notes)


def test_place_and_organisation_names() -> None:
    for template in vocab.GOVERNMENT_DEPARTMENTS:
        assert vocab.placeholders(template) == {"place"}
    assert any("科学技术局" in t for t in vocab.GOVERNMENT_DEPARTMENTS)  # the generator looks for it
    for template in vocab.STREET_COMMUNITY_NAMES:
        assert vocab.placeholders(template) <= {"place", "street", "word"}
        for street in vocab.STREET_WORDS:
            for word in vocab.COMMUNITY_WORDS:
                assert not REPEATED_PAIR.search(vocab.fill(template, place="榆次区", street=street, word=word))
    assert 8 <= len(vocab.INSTITUTE_NAMES) <= 15 and 5 <= len(vocab.HOSPITAL_NAMES) <= 10
    for names in (vocab.INSTITUTE_NAMES, vocab.HOSPITAL_NAMES, vocab.BRAND_WORDS, vocab.ROAD_WORDS,
                  vocab.VILLAGE_WORDS, vocab.VILLAGE_SUFFIXES, vocab.COOPERATIVE_SUFFIXES):
        assert len(set(names)) == len(names)
    assert all(s.endswith("村") for s in vocab.VILLAGE_SUFFIXES)
    for topic in vocab.TOPICS:
        for word in topic["enterprise_words"]:
            for suffix in topic["enterprise_suffixes"]:
                assert not REPEATED_PAIR.search(f"{word}{suffix}")


def _codes(name: str) -> set[str]:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: code-table check skipped")
    with path.open(encoding="utf-8", newline="") as f:
        return {row["code"] for row in csv.DictReader(f)}


def test_industry_codes_exist_in_gbt4754_2017() -> None:
    codes = _codes("industries_gbt4754_2017.csv")
    missing = {t["industry"] for t in vocab.TOPICS} - codes
    assert not missing, f"industry codes not in GB/T 4754-2017: {sorted(missing)}"


def test_discipline_codes_exist_in_the_2022_catalogue() -> None:
    codes = _codes("disciplines_2022.csv")
    missing = {d for t in vocab.TOPICS for d in t["disciplines"]} - codes
    assert not missing, f"discipline codes not in the 2022 catalogue: {sorted(missing)}"
