"""Index: golden rankings, bm25s equivalence, persistence, incremental updates, filters, bad input."""

import bm25s
import numpy as np
import pytest

from yiti.engine import Document, FilterError, Index, plain_bm25_params
from yiti.engine.disk import DiskArray

from .shared import analyser

AN = analyser()

CORPUS = [
    Document("r1", title="区块链供应链金融风险控制", discipline="应用经济", industry="金融", year=2019, owner="p1"),
    Document("r2", title="农产品区块链溯源系统", discipline="农业经济", industry="农业", year=2021, owner="p2"),
    Document("r3", title="深度学习图像识别方法", discipline="计算机", industry="信息", year=2020, owner="p3"),
    Document("r4", title="供应链金融与中小企业融资", discipline="应用经济", industry="金融", year=2016, owner="p1"),
    Document("r5", title="煤矿安全监测物联网", discipline="矿业工程", industry="能源", year=2018, owner="p4"),
    Document("r6", title="铸造工艺数值模拟", text="球墨铸铁 可锻铸铁 凝固", discipline="材料", year=2022, owner="p5"),
]
TEXTS = [
    "区块链 供应链金融 风险", "供应链金融的风险控制研究", "农业 区块链 溯源", "深度学习 图像识别",
    "区块链区块链技术与应用", "煤矿 安全 监测 传感器", "新能源汽车 电池 热管理", "可锻铸铁 铸造 工艺",
    "中小企业 融资 约束", "BERT 中文 命名实体识别", "５Ｇ 通信 基站 节能",
]


def ids(result):
    return [h.id for h in result.hits]


@pytest.fixture(scope="module")
def index():
    return Index.build(CORPUS, analyser=AN)


def test_golden_rankings(index):
    assert ids(index.search("供应链金融", top=10)) == ["r4", "r1"]
    assert ids(index.search("区块链", top=10)) == ["r2", "r1"]  # same tf, shorter title wins
    assert ids(index.search("区块链 溯源", top=10)) == ["r2", "r1"]
    assert ids(index.search("可锻铸铁", top=10)) == ["r6"]
    assert ids(index.search("区块链", top=1)) == ["r2"]


def test_scores_equal_bm25s_in_plain_configuration():
    docs = [Document(f"d{i}", text=t) for i, t in enumerate(TEXTS)]
    ours = Index.build(docs, analyser=AN, params=plain_bm25_params())
    ref = bm25s.BM25()  # defaults: Lucene, k1 1.5, b 0.75
    ref.index([AN.analyse(t) for t in TEXTS], show_progress=False)
    for query in ("区块链金融", "供应链 风险 区块链 区块链", "铸铁铸造", "bert 命名实体", "5g 基站", "融资约束 中小企业"):
        tokens = [t for t in AN.analyse(query) if t in ref.vocab_dict]
        expected = ref.get_scores(tokens)
        tids, qtf = ours.reader.query_terms(query)
        got = ours.reader.score_terms(tids, qtf)
        np.testing.assert_allclose(got, expected, atol=1e-5)
        assert float(got.max()) > 0


def test_save_and_load_from_disk_give_identical_results(index, tmp_path):
    index.save(tmp_path / "ix")
    loaded = Index.load(tmp_path / "ix")
    assert isinstance(loaded._t_docs, DiskArray)  # read from the file as queries need it
    for q in ("供应链金融", "区块链 溯源", "铸造", "图像"):
        a, b = index.search(q, top=10), loaded.search(q, top=10)
        assert ids(a) == ids(b)
        assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits], abs=1e-6)
    assert loaded.get("r6") == index.get("r6")
    assert loaded.search("区块链", filters={"discipline": "应用经济"}).hits[0].id == "r1"


def test_incremental_changes_match_a_rebuild(tmp_path):
    live = Index.build(CORPUS[:4], analyser=AN)
    live.save(tmp_path / "base")
    live = Index.load(tmp_path / "base")  # updates on top of a base read from its files
    live.add(CORPUS[4:])
    changed = Document("r2", title="茶叶区块链溯源与品牌", discipline="农业经济", year=2023, owner="p2")
    live.update([changed])
    assert live.delete(["r3", "nope"]) == 1
    extra = Document("r7", title="区块链跨境支付", discipline="应用经济", year=2024, owner="p6")
    live.add([extra])
    final = [CORPUS[0], changed, *CORPUS[3:], extra]
    rebuilt = Index.build(final, analyser=AN)
    assert len(live) == len(rebuilt) == 6
    for q in ("区块链", "溯源 茶叶", "供应链金融", "图像识别", "铸造 区块链 支付"):
        a, b = live.search(q, top=10), rebuilt.search(q, top=10)
        assert ids(a) == ids(b), q
        assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits], abs=1e-5)
    assert "r3" not in live and live.search("图像识别").hits == []
    live.compact()
    assert ids(live.search("区块链", top=10)) == ids(rebuilt.search("区块链", top=10))


def test_filters_equality_in_and_year_ranges(index):
    q = "区块链 供应链金融 铸造 图像 煤矿"
    assert set(ids(index.search(q, {"discipline": "应用经济"}, top=10))) == {"r1", "r4"}
    assert set(ids(index.search(q, {"industry": ["农业", "信息"]}, top=10))) == {"r2", "r3"}
    assert set(ids(index.search(q, {"year": (2019, 2021)}, top=10))) == {"r1", "r2", "r3"}
    assert set(ids(index.search(q, {"year": {"gte": 2021}}, top=10))) == {"r2", "r6"}
    assert ids(index.search(q, {"year": 2016}, top=10)) == ["r4"]
    assert ids(index.search(q, {"discipline": "没有这个学科"}, top=10)) == []


def test_unknown_filter_field_is_a_clear_error(index):
    with pytest.raises(FilterError, match="未知的筛选字段: colour"):
        index.search("区块链", {"colour": "red"})
    with pytest.raises(FilterError):
        index.search("区块链", {"year": "recent"})


def test_empty_and_unknown_queries_return_no_results_with_a_reason(index):
    for q in ("", "   "):
        r = index.search(q)
        assert r.hits == [] and r.reason == "查询为空"
    r = index.search("量子纠缠")
    assert r.hits == [] and r.reason


def test_huge_query_is_truncated_deterministically(index):
    q = "供应链金融" * 200_000 + "图像识别"  # 1 MB; the tail beyond the limit is ignored
    a, b = index.search(q, top=3), index.search(q, top=3)
    assert ids(a) == ids(b) == ["r4", "r1"]


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="重复"):
        Index.build([CORPUS[0], CORPUS[0]], analyser=AN)


def test_rank_owners_aggregates_documents_per_owner(index):
    hits = index.rank_owners("供应链金融 区块链", top=5)
    assert [h.owner for h in hits] == ["p1", "p2"]
    assert {d.id for d in hits[0].docs} == {"r1", "r4"}
    single = index.rank_owners("供应链金融 区块链", top=5, aggregate="max")
    assert hits[0].score > single[0].score  # two matching documents count for more than one
    assert index.rank_owners("", top=5) == []


def test_empty_index_answers_and_grows(tmp_path):
    empty = Index.build([], analyser=AN)
    assert len(empty) == 0 and empty.search("区块链").hits == [] and empty.rank_owners("区块链") == []
    empty.save(tmp_path / "e")
    loaded = Index.load(tmp_path / "e")
    loaded.add([CORPUS[0]])
    assert ids(loaded.search("区块链")) == ["r1"]


def test_search_cli_reads_a_saved_index(index, tmp_path, capsys):
    from yiti.engine.cli import main

    index.save(tmp_path / "ix")
    assert main(["search", str(tmp_path / "ix"), "区块链 供应链金融", "--top", "5",
                 "--filters", '{"year": {"gte": 2017}}']) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split('"')[3] for line in lines] == ["r1", "r2"]


def _same_index(a, b):
    assert a._terms == b._terms and list(a._ids) == list(b._ids)
    for name in ("_d_indptr", "_d_terms", "_d_tf", "_t_indptr", "_t_docs", "_t_tf", "_len", "_year", "_df", "_alive"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert {f: list(v) for f, v in a._meta_values.items()} == {f: list(v) for f, v in b._meta_values.items()}
    assert all(np.array_equal(a._meta[f], b._meta[f]) for f in a._meta)
    assert a._total_len == b._total_len and len(a) == len(b)
    assert [a.get(i) for i in a._ids] == [b.get(i) for i in b._ids]


def test_subset_is_the_index_a_build_of_those_documents_makes(tmp_path):
    whole = Index.build(CORPUS, analyser=AN)
    picked = ["r6", "r2", "r4", "r5"]
    part = whole.subset(picked)
    _same_index(part, Index.build([whole.get(i) for i in picked], analyser=AN))
    # from a loaded (memory-mapped) index with rows added, updated and deleted since
    whole.save(tmp_path / "ix")
    live = Index.load(tmp_path / "ix")
    extra = Document("r7", title="区块链跨境支付", text="供应链 区块链", discipline="应用经济", year=2024, owner="p6")
    live.add([extra])
    live.update([Document("r3", title="图像识别与铸造缺陷检测", discipline="计算机", owner="p3")])
    live.delete(["r1"])
    picked = ["r7", "r5", "r3", "r2"]
    part = live.subset(picked)
    _same_index(part, Index.build([live.get(i) for i in picked], analyser=AN))
    assert [h.id for h in part.search("区块链 铸造", top=5).hits] == \
        [h.id for h in Index.build([live.get(i) for i in picked], analyser=AN).search("区块链 铸造", top=5).hits]
    with pytest.raises(KeyError):
        live.subset(["r1"])
    with pytest.raises(ValueError):
        live.subset(["r2", "r2"])


def test_owner_order_of_the_aggregates_equals_the_two_key_sort():
    from yiti.engine.index import _by_owner_best_first

    rng = np.random.default_rng(1)
    special = np.asarray([0.0, -0.0, 1.5, -2.5, 3.0, 1e-30, np.inf, -np.inf, 7.25], dtype=np.float32)
    for trial in range(100):
        m = int(rng.integers(0, 200))
        owners = rng.integers(-1 if trial % 3 == 0 else 0, 15, m).astype(np.int32)
        scores = rng.choice(special, m) if trial % 2 else rng.random(m).astype(np.float32) * rng.choice([1, -1], m)
        scores = scores.astype(np.float32)
        assert np.array_equal(_by_owner_best_first(scores, owners), np.lexsort((-scores, owners)))


def test_aggregates_without_the_order_sort_only_shared_owners_and_give_the_same_ranks():
    from yiti.engine.index import aggregate_by_owner

    rng = np.random.default_rng(2)
    for _ in range(50):
        m = int(rng.integers(1, 300))
        owners = rng.integers(0, 40, m).astype(np.int32)
        scores = rng.choice(np.asarray([0.5, 1.0, 2.0], dtype=np.float32), m) if m % 2 else \
            rng.random(m).astype(np.float32) + np.float32(0.01)
        full, lean = aggregate_by_owner(scores, owners, 45), aggregate_by_owner(scores, owners, 45, with_order=False)
        assert len(lean.order) == 0
        for how in ("sum", "max"):
            assert np.array_equal(full.score(how), lean.score(how))
        # rows of one owner with the same score may swap ranks (an unstable sort): each owner has the same ranks
        # at the same scores, and the same decay up to the rounding of its sum
        def ranks(agg, owners=owners, scores=scores):
            return sorted(zip(owners.tolist(), scores.tolist(), agg.rank.tolist(), strict=True))
        assert ranks(full) == ranks(lean)
        np.testing.assert_allclose(lean.score("decay"), full.score("decay"), rtol=1e-12, atol=0)
        if m % 2 == 0:  # no ties: the very same ranks
            assert np.array_equal(full.rank, lean.rank)


def test_a_search_filtered_to_a_few_rows_scores_them_from_their_own_postings(tmp_path, monkeypatch):
    """An owner filter leaves a few rows: they are scored from their own postings, the same floats as scoring
    every posting of the query's terms (on a loaded index with rows added, updated and deleted since), and the
    same hits in the same order."""
    rng = np.random.default_rng(3)
    words = ["区块链", "供应链金融", "风险控制", "农产品", "溯源系统", "深度学习", "图像识别", "煤矿安全", "物联网",
             "铸造工艺", "数值模拟", "中小企业", "融资约束", "新能源汽车", "电池热管理"]
    docs = [Document(f"d{i}", title="".join(rng.choice(words, size=3)), text=" ".join(rng.choice(words, size=2)),
                     owner=f"p{i % 40}", year=2000 + i % 20) for i in range(400)]
    docs.append(Document("solo1", title="区块链溯源系统与煤矿安全", owner="solo"))
    Index.build(docs, analyser=AN).save(tmp_path / "ix")
    live = Index.load(tmp_path / "ix")
    live.add([Document("d400", title="区块链煤矿安全", owner="p3"), Document("d401", title="溯源系统", owner="p7")])
    live.update([Document("d3", title="深度学习区块链区块链", owner="p3")])
    live.delete(["d43", "d83"])
    queries = ["区块链 煤矿安全", "深度学习 图像识别 区块链", "溯源系统", "电池热管理 新能源汽车 融资约束 区块链"]
    for q in queries:
        tids, qtf = live._query_terms(q)
        every = live._score_terms(tids, qtf)
        for owners in (["solo"], ["p3"], ["p3", "p7", "p11"], [f"p{i}" for i in range(0, 40, 3)]):
            mask = live._filter_mask({"owner": owners})
            rows = np.flatnonzero(mask)
            assert np.array_equal(live._score_rows(tids, qtf, rows), every[rows]), (q, owners)
            expected = [(live._ids[r], float(every[r])) for r in live._top_rows(every, 5, mask).tolist()]
            assert [(h.id, h.score) for h in live.search(q, filters={"owner": owners}, top=5).hits] == expected

    def every_posting(*args):
        raise AssertionError("a filter to one owner's row reads every posting")

    monkeypatch.setattr(live, "_score_terms", every_posting)
    assert [h.id for h in live.search("区块链 煤矿安全", filters={"owner": ["solo"]}).hits] == ["solo1"]
