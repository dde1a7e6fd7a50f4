"""Explanations: structured contributions that add up, and a Chinese summary."""

import pytest

from yiti.engine import Document, Index, explain

from .shared import analyser

AN = analyser()
DOCS = [
    Document("need:1", title="基于区块链的供应链金融平台", text="中小企业融资难，区块链存证", keywords=("区块链", "供应链金融"),
             discipline="应用经济", industry="金融"),
    Document("need:2", title="煤矿安全监测", discipline="矿业工程"),
    Document("need:3", title="农产品电商物流", discipline="农业经济"),
]


@pytest.fixture(scope="module")
def index():
    return Index.build(DOCS, analyser=AN)


def test_contributions_add_up_to_the_search_score(index):
    query = "区块链 供应链金融 融资"
    hit = index.search(query).hits[0]
    exp = explain(index, query, hit.id)
    assert hit.id == "need:1"
    assert exp.score == pytest.approx(hit.score, rel=1e-5)
    assert sum(c.score for c in exp.contributions) == pytest.approx(hit.score, rel=1e-5)
    assert set(exp.by_field()) == {"title", "text", "keywords"}
    assert exp.contributions == sorted(exp.contributions, key=lambda c: -c.score)
    assert all(c.score > 0 for c in exp.contributions)


def test_summary_names_shared_keywords_and_discipline_in_chinese(index):
    exp = explain(index, "区块链 供应链金融 融资", "need:1")
    assert exp.shared_words[:2] == ["区块链", "供应链金融"]
    assert "供应" not in exp.shared_words  # pieces of a shown word are not repeated
    assert exp.summary.startswith("共同关键词: 区块链、供应链金融")
    assert "学科: 应用经济" in exp.summary


def test_context_reports_only_matching_metadata(index):
    exp = explain(index, "区块链", "need:1", context={"discipline": "应用经济", "industry": "能源"})
    assert exp.metadata == {"discipline": "应用经济"}
    assert "行业" not in exp.summary


def test_no_overlap_gives_zero_and_says_so(index):
    exp = explain(index, "图像识别", "need:2")
    assert exp.score == 0 and exp.contributions == [] and exp.shared_words == []
    assert exp.summary == "学科: 矿业工程"
    assert explain(index, "图像识别", "need:2", context={}).summary == "无共同关键词"
