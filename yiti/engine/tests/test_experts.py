"""Expert finding and the CLI on tiny synthetic corpora."""

import json
import sys
import types

import numpy as np
import pytest

from yiti.engine import ExpertFinder, ExpertFinderConfig, Index, candidate_documents
from yiti.engine.cli import main
from yiti.engine.experts import FEATURES

TOPICS = {
    "应用经济": ["供应链金融", "中小企业融资", "数字货币", "区块链", "绿色信贷", "普惠金融"],
    "农业经济": ["农产品流通", "乡村振兴", "土地流转", "农业保险", "合作社", "粮食安全"],
    "矿业工程": ["煤矿安全", "瓦斯抽采", "矿井通风", "顶板支护", "智能开采", "煤层气"],
    "计算机": ["图像识别", "深度学习", "知识图谱", "推荐系统", "联邦学习", "边缘计算"],
}
SPECIALTY = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]


def make_candidates(n_per_topic=12):
    cands = []
    for t, (disc, words) in enumerate(TOPICS.items()):
        for i in range(n_per_topic):
            own = f"{SPECIALTY[i % 10]}{SPECIALTY[i // 10]}型{disc[:2]}模型"  # an expert's own recurring term
            docs = [{"title": f"{own}与{words[(i + k) % 6]}研究", "year": str(2010 + k * 3 + i % 3), "discipline": disc}
                    for k in range(1 + (i % 3))]
            cands.append({"id": f"e{t}_{i}", "name": f"专家{t}{i}", "org": f"大学{i % 5}", "docs": docs})
    return cands


@pytest.fixture(scope="module")
def finder():
    index = Index.build(candidate_documents(make_candidates()))
    f = ExpertFinder(index, ExpertFinderConfig(dense_dim=8, pool=50, negatives=10))
    f.train()
    return f


def test_candidate_documents_keep_owner_year_discipline_org():
    docs = candidate_documents([{"id": "e1", "org": "山西大学", "docs": [{"title": "煤矿安全", "year": "0000", "discipline": "矿业工程"}]}])
    assert len(docs) == 1
    d = docs[0]
    assert (d.id, d.owner, d.organisation, d.discipline, d.year) == ("e1#0", "e1", "山西大学", "矿业工程", None)


def test_an_experts_own_recurring_term_finds_them_first(finder):
    for cid in ("e0_4", "e2_7", "e3_11"):
        t, i = int(cid[1]), int(cid.split("_")[1])
        disc = list(TOPICS)[t]
        own = f"{SPECIALTY[i % 10]}{SPECIALTY[i // 10]}型{disc[:2]}模型"
        hits = finder.rank(f"{own}的新进展", top=5)
        assert hits[0].owner == cid
        assert len({h.owner for h in hits}) == len(hits)


def test_topic_query_prefers_experts_of_that_topic(finder):
    hits = finder.rank("瓦斯抽采与矿井通风", top=6)
    assert hits and all(h.owner.startswith("e2_") for h in hits)
    assert all(h.docs == [] for h in hits)
    with_docs = finder.rank("瓦斯抽采与矿井通风", top=6, with_docs=2)
    assert [h.owner for h in with_docs] == [h.owner for h in hits]
    assert all(1 <= len(h.docs) <= 2 and all(d.startswith(h.owner + "#") for d in h.docs) for h in with_docs)


def test_empty_query_ranks_nobody(finder):
    assert finder.rank("", top=10) == []
    assert finder.rank("量子纠缠", top=10) == []


def test_too_few_pseudo_queries_keep_the_hand_set_ranker(finder):
    assert finder.models == []  # 32 pseudo-queries < min_train_positives


def test_training_uses_pseudo_queries_of_multi_document_experts():
    index = Index.build(candidate_documents(make_candidates()))
    f = ExpertFinder(index, ExpertFinderConfig(dense_dim=8, pool=50, negatives=10, min_train_positives=10, trees=20))
    info = f.train()
    assert info["pseudo_queries"] == sum(1 for c in make_candidates() if len(c["docs"]) >= 2)
    assert info["owner_in_pool"] >= 10 and len(f.models) == 3
    hits = f.rank("瓦斯抽采与矿井通风", top=3)
    assert len(hits) == 3 and hits[0].score >= hits[-1].score


def test_namesakes_at_other_organisations_lend_their_match():
    cands = [
        {"id": "a", "name": "张三", "org": "甲大学", "docs": [{"title": "区块链供应链金融风险", "year": "2015"}]},
        {"id": "b", "name": "张三", "org": "乙大学", "docs": [{"title": "农村土地流转", "year": "2018"},
                                                          {"title": "乡村振兴与合作社", "year": "2019"}]},
        {"id": "c", "name": "李四", "org": "丙大学", "docs": [{"title": "农村土地确权", "year": "2016"}]},
        {"id": "d", "name": "李四", "org": "丁大学", "docs": [{"title": "农村土地流转价格", "year": "2017"}]},
    ]
    index = Index.build(candidate_documents(cands))
    f = ExpertFinder(index, ExpertFinderConfig(dense_dim=2), person_of={c["id"]: c["name"] for c in cands})
    col = {name: i for i, name in enumerate(FEATURES)}
    pool, feats = f.features("农村土地流转")
    got = {f.owners[o]: row for o, row in zip(pool.tolist(), feats, strict=True)}
    assert set(got) == {"b", "c", "d"}  # a shares no term with the query
    # b's namesake a matches nothing; c's namesake d is the best match, so c sees d's full score
    assert got["b"][col["namesake_match"]] == 0.0
    assert got["c"][col["namesake_match"]] == pytest.approx(got["d"][col["bm25_max"]])
    # d holds its group's best: it sees c's, the second best
    assert got["d"][col["namesake_match"]] == pytest.approx(got["c"][col["bm25_max"]])
    assert got["b"][col["namesakes"]] == pytest.approx(np.log(2.0))
    assert got["b"][col["namesake_docs"]] == pytest.approx(np.log(2.0))  # a's one title
    # without person keys nobody has namesakes
    alone = ExpertFinder(index, ExpertFinderConfig(dense_dim=2))
    _, feats = alone.features("农村土地流转")
    assert (feats[:, [col["namesakes"], col["namesake_match"], col["namesake_docs"]]] == 0).all()


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cli_rank_experts_writes_rankings_and_reports_bad_lines(tmp_path, capsys):
    cands = make_candidates(6)
    _write(tmp_path / "c.jsonl", [json.dumps(c, ensure_ascii=False) for c in cands] + ["{not json"])
    _write(tmp_path / "q.jsonl", [json.dumps({"qid": "q1", "text": "煤矿安全 瓦斯抽采"}, ensure_ascii=False),
                                   "[1, 2]", json.dumps({"qid": "q2", "text": ""}), json.dumps({"text": "无编号"})])
    rc = main(["rank-experts", "--candidates", str(tmp_path / "c.jsonl"), "--queries", str(tmp_path / "q.jsonl"),
               "--top", "3", "--out", str(tmp_path / "r.jsonl"), "--workers", "1"])
    assert rc == 0
    err = capsys.readouterr().err
    assert f"{tmp_path / 'c.jsonl'}:25: 不是有效的 JSON" in err
    assert f"{tmp_path / 'q.jsonl'}:2: 应为 JSON 对象" in err
    assert f"{tmp_path / 'q.jsonl'}:4: 缺少字段 qid" in err
    out = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [o["qid"] for o in out] == ["q1", "q2"]
    assert 0 < len(out[0]["ranking"]) <= 3 and all(c.startswith("e2_") for c in out[0]["ranking"])
    assert out[1]["ranking"] == []


def test_cli_dispatches_classify_lazily(monkeypatch):
    seen = []
    fake = types.ModuleType("yiti.engine.classify")
    fake.main = lambda argv: seen.append(argv) or 7
    monkeypatch.setitem(sys.modules, "yiti.engine.classify", fake)
    assert main(["classify", "--train", "t.jsonl"]) == 7
    assert seen == [["--train", "t.jsonl"]]
    assert main(["no-such-command"]) == 2
