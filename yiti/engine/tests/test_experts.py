"""Expert finding and the CLI on tiny synthetic corpora."""

import json

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler

from yiti.engine import ExpertFinder, ExpertFinderConfig, Index, candidate_documents
from yiti.engine.cli import main, read_jsonl
from yiti.engine.experts import FEATURES, _Additive, _Trees

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
def finder(analyser):
    index = Index.build(candidate_documents(make_candidates()), analyser=analyser)
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
    assert finder.trees is None and finder.additive is None  # 32 pseudo-queries < min_train_positives


def test_training_uses_pseudo_queries_of_multi_document_experts(analyser):
    index = Index.build(candidate_documents(make_candidates()), analyser=analyser)
    f = ExpertFinder(index, ExpertFinderConfig(dense_dim=8, pool=50, negatives=10, min_train_positives=10, trees=20))
    info = f.train()
    assert info["pseudo_queries"] == sum(1 for c in make_candidates() if len(c["docs"]) >= 2)
    assert info["owner_in_pool"] >= 10 and f.trees is not None and len(f.trees.baselines) == 3
    hits = f.rank("瓦斯抽采与矿井通风", top=3)
    assert len(hits) == 3 and hits[0].score >= hits[-1].score


def test_namesakes_at_other_organisations_lend_their_match(analyser):
    cands = [
        {"id": "a", "name": "张三", "org": "甲大学", "docs": [{"title": "区块链供应链金融风险", "year": "2015"}]},
        {"id": "b", "name": "张三", "org": "乙大学", "docs": [{"title": "农村土地流转", "year": "2018"},
                                                          {"title": "乡村振兴与合作社", "year": "2019"}]},
        {"id": "c", "name": "李四", "org": "丙大学", "docs": [{"title": "农村土地确权", "year": "2016"}]},
        {"id": "d", "name": "李四", "org": "丁大学", "docs": [{"title": "农村土地流转价格", "year": "2017"}]},
    ]
    index = Index.build(candidate_documents(cands), analyser=analyser)
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


def test_cli_classify_and_unknown_commands(tmp_path, capsys):
    rows = [{"id": i, "title": t, "discipline": d} for i, (d, words) in enumerate(TOPICS.items()) for t in words]
    _write(tmp_path / "t.jsonl", [json.dumps(r, ensure_ascii=False) for r in rows])
    _write(tmp_path / "p.jsonl", [json.dumps({"id": "x", "title": "瓦斯抽采"}, ensure_ascii=False)])
    assert main(["classify", "--train", str(tmp_path / "t.jsonl"), "--text-fields", "title",
                 "--predict", str(tmp_path / "p.jsonl"), "--out", str(tmp_path / "o.jsonl")]) == 0
    assert json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8")) == {"id": "x", "label": "矿业工程"}
    assert main(["no-such-command"]) == 2
    assert "未知的命令" in capsys.readouterr().err


def test_read_jsonl_reports_or_collects_bad_lines(tmp_path, capsys):
    _write(tmp_path / "a.jsonl", ['{"id": 1}', "", "{oops", '{"id": ""}', '{"id": true}', '"text"', '{"id": "b"}'])
    assert [n for n, _ in read_jsonl(tmp_path / "a.jsonl", ("id",))] == [1, 7]
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in err] == ["3", "4", "5", "6"]
    assert all(line.endswith("已跳过") for line in err)
    errors: list[str] = []
    assert len(list(read_jsonl(tmp_path / "a.jsonl", ("id",), errors))) == 2
    assert capsys.readouterr().err == "" and len(errors) == 4
    assert errors[1] == f"{tmp_path / 'a.jsonl'}:4: 缺少字段 id"
    assert errors[2] == f"{tmp_path / 'a.jsonl'}:5: 字段 id 应为文字或数字"


# --- persistence -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trained(analyser):
    """A finder with both learned rankers (thresholds lowered for the tiny corpus)."""
    cands = make_candidates()
    index = Index.build(candidate_documents(cands), analyser=analyser)
    f = ExpertFinder(index, ExpertFinderConfig(dense_dim=8, pool=50, negatives=10, min_train_positives=10, trees=20),
                     person_of={c["id"]: c["name"][:3] for c in cands})  # a few shared keys: namesakes
    f.train()
    assert f.trees is not None and f.additive is not None
    return f


QUERIES = ["瓦斯抽采与矿井通风", "供应链金融 区块链", "乡村振兴 合作社", "深度学习 图像识别", "甲乙型应用模型", "量子纠缠"]


def test_saved_finder_loads_and_ranks_identically(trained, tmp_path):
    trained.save(tmp_path / "f")
    loaded = ExpertFinder.load(tmp_path / "f")
    assert Index.load(tmp_path / "f").search("煤矿安全").hits  # the index is saved beside the finder
    assert loaded.config == trained.config
    for q in QUERIES:
        a, b = trained.rank(q, top=20, with_docs=2), loaded.rank(q, top=20, with_docs=2)
        assert a == b, q  # owners, scores and documents, exactly
    assert any(trained.rank(q) for q in QUERIES)
    # a finder that never trained (hand-set weights) round-trips too
    plain = ExpertFinder(trained.index, ExpertFinderConfig(dense_dim=0))
    plain.save(tmp_path / "p")
    again = ExpertFinder.load(tmp_path / "p")
    assert again.trees is None and [plain.rank(q) for q in QUERIES] == [again.rank(q) for q in QUERIES]


def test_saving_refuses_an_index_changed_after_fitting(analyser, tmp_path):
    index = Index.build(candidate_documents(make_candidates(3)), analyser=analyser)
    f = ExpertFinder(index, ExpertFinderConfig(dense_dim=0))
    index.delete(["e0_0#0"])
    with pytest.raises(ValueError, match="重新建立并训练"):
        f.save(tmp_path / "x")
    with pytest.raises(ValueError, match="没有可读的专家排序器"):
        ExpertFinder.load(tmp_path / "nothing")


def test_array_rankers_equal_the_scikit_learn_models():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 5))
    x[:, 4] = 1.0  # a constant feature (e.g. namesakes when nobody has one)
    y = (x[:, 0] + 0.5 * rng.normal(size=400) > 0.3).astype(float)
    models = [HistGradientBoostingClassifier(max_iter=15, max_leaf_nodes=8, random_state=s).fit(x, y) for s in (0, 1)]
    trees = _Trees.from_models(models)
    probs = trees.proba(x)
    for m, p in zip(models, probs, strict=True):
        np.testing.assert_array_equal(p, m.predict_proba(x)[:, 1])
    pipe = make_pipeline(StandardScaler(), SplineTransformer(n_knots=5, degree=3), LogisticRegression(C=0.3))
    pipe.fit(x, y)
    additive = _Additive.from_pipeline(pipe)
    x_new = x * 1.5  # beyond the training range too
    np.testing.assert_array_equal(additive.decision(x_new), pipe.decision_function(x_new))


def test_config_weights_are_by_feature_name():
    with pytest.raises(ValueError, match="未知的特征: bm25"):
        ExpertFinderConfig(weights={"bm25": 1.0})
    cfg = ExpertFinderConfig(weights={"log_docs": 1.0})
    assert set(cfg.weights) <= set(FEATURES)


def _coverage_from_postings(f, tids, qtf, gone):
    """The profile coverage of every owner, read the long way: each query term's posting list."""
    mass = f.index.reader.idf(tids) * qtf.astype(np.float64)
    has = np.zeros((len(f.owners), len(tids)), dtype=bool)
    for j, t in enumerate(tids.tolist()):
        rows, _ = f.index.reader.postings(int(t))
        rows = rows[f.index.reader.alive[rows] & ~np.isin(rows, gone)]
        own = f.owner_of[rows]
        has[own[own >= 0], j] = True
    return has.astype(np.float64) @ mass / mass.sum()


@pytest.mark.parametrize("query", ["瓦斯抽采与矿井通风", "甲乙型应用模型与区块链", "农业保险 数字货币 深度学习"])
def test_profile_cover_of_the_pool_equals_the_posting_lists(finder, query):
    col = FEATURES.index("profile_cover")
    tids, qtf = finder.index.reader.query_terms(query)
    pool, feats = finder.features(query)
    assert len(pool) > 5
    expected = _coverage_from_postings(finder, tids, qtf, np.zeros(0, np.int64))[pool]
    assert feats[:, col] == pytest.approx(expected)
    assert 0 < feats[:, col].max() <= 1
    # a held-out row leaves its owner's coverage without that row's terms
    owner = int(pool[0])
    row = int(finder.owner_rows[finder.owner_ptr[owner]])
    pool2, feats2 = finder.features(query, held_out=row)
    expected2 = _coverage_from_postings(finder, tids, qtf, np.asarray([row]))[pool2]
    assert feats2[:, col] == pytest.approx(expected2)


def test_profile_cover_reads_rows_added_after_the_build(analyser):
    cands = make_candidates(6)
    index = Index.build(candidate_documents(cands[:-4]), analyser=analyser)
    index.add(candidate_documents(cands[-4:]))  # the delta segment, not the base arrays
    f = ExpertFinder(index, ExpertFinderConfig(dense_dim=2, pool=50))
    query = "智能开采与边缘计算 知识图谱"
    tids, qtf = index.reader.query_terms(query)
    pool, feats = f.features(query)
    assert any(f.owners[o] in {c["id"] for c in cands[-4:]} for o in pool.tolist())
    expected = _coverage_from_postings(f, tids, qtf, np.zeros(0, np.int64))[pool]
    assert feats[:, FEATURES.index("profile_cover")] == pytest.approx(expected)


def test_workers_share_the_work_and_make_the_same_finder(analyser, trained, monkeypatch):
    """Two workers (the classifiers' one-vs-rest fits in threads, the pseudo-queries in forked processes) train
    exactly the finder one makes."""
    import yiti.engine.experts as experts

    monkeypatch.setattr(experts, "PARALLEL_MIN_QUERIES", 2)  # fork even for the tiny corpus
    cands = make_candidates()
    index = Index.build(candidate_documents(cands), analyser=analyser)
    f = ExpertFinder(index, trained.config, person_of={c["id"]: c["name"][:3] for c in cands}, workers=2)
    mine, theirs = f.pseudo_queries(), trained.pseudo_queries()
    assert len(mine) == len(theirs) > 4
    for (a, p), (b, q) in zip(mine, theirs, strict=True):
        assert p == q and np.array_equal(a, b)
    for name in ("_disc_w", "_disc_b", "disc_oof", "_ycls_w", "_ycls_b", "year_cls_oof"):
        assert np.array_equal(getattr(f, name), getattr(trained, name)), name
    f.train()
    for q in QUERIES:
        assert f.rank(q, top=20) == trained.rank(q, top=20), q


def test_models_of_a_large_list_are_fitted_on_a_sample(analyser, finder):
    """Above fit_max_rows documents the discipline and year models see a fixed sample; the other documents'
    predictions (what their pseudo-queries use) come from the sampled model, which never saw them."""
    index = Index.build(candidate_documents(make_candidates()), analyser=analyser)
    cfg = ExpertFinderConfig(dense_dim=8, pool=50, negatives=10, fit_max_rows=30)
    f = ExpertFinder(index, cfg)
    rows = np.flatnonzero(f.owner_of >= 0)
    fit = f._fit_sample(len(rows))
    assert fit is not None and len(fit) == 30 and np.array_equal(fit, f._fit_sample(len(rows)))
    outside = np.setdiff1d(np.arange(len(rows)), fit)
    x = f._tfidf(rows)
    expected = np.asarray(x[outside] @ f._disc_w + f._disc_b)  # the sampled model's scores ...
    expected = 1.0 / (1.0 + np.exp(-expected))
    expected /= expected.sum(axis=1, keepdims=True)  # ... as scikit-learn's one-vs-rest probabilities
    np.testing.assert_allclose(f.disc_oof[rows[outside]], expected, rtol=1e-4, atol=1e-6)
    assert not np.array_equal(f._disc_w, finder._disc_w)  # not the model of all documents
    assert ExpertFinder(index, ExpertFinderConfig(dense_dim=8, pool=50, negatives=10))._fit_sample(len(rows)) is None
    assert f.rank("瓦斯抽采与矿井通风", top=3)


def test_a_large_list_draws_fewer_pseudo_queries_in_proportion(analyser):
    """Above fit_max_rows documents the pseudo-queries are fewer in proportion to the list's size (each costs in
    proportion to it), never fewer than min_train_queries; up to fit_max_rows, train_queries of them."""
    index = Index.build(candidate_documents(make_candidates()), analyser=analyser)
    base = {"dense_dim": 8, "pool": 50, "negatives": 10, "train_queries": 40}
    n_rows = len(ExpertFinder(index, ExpertFinderConfig(**base)).owner_rows)
    assert ExpertFinder(index, ExpertFinderConfig(**base, fit_max_rows=n_rows))._train_queries() == 40
    half = ExpertFinder(index, ExpertFinderConfig(**base, fit_max_rows=n_rows // 2, min_train_queries=5))
    assert half._train_queries() == round(40 * (n_rows // 2) / n_rows) < 40
    assert len(half.pseudo_queries()) == min(half._train_queries(), int((half.n_docs >= 2).sum()))
    floor = ExpertFinder(index, ExpertFinderConfig(**base, fit_max_rows=n_rows // 10, min_train_queries=15))
    assert floor._train_queries() == 15


def _coverage_by_pairs(f, tids, qtf, gone, pool):
    """The profile coverage as first written: the (pool owner, query term) pairs made unique, then summed."""
    mass = f._ix.idf(tids) * qtf.astype(np.float64)
    counts = f.n_docs[pool].astype(np.int64)
    rows = np.concatenate([f.owner_rows[f.owner_ptr[o] : f.owner_ptr[o + 1]] for o in pool.tolist()])
    slot = np.repeat(np.arange(len(pool)), counts)
    keep = f._ix.alive[rows] & ~np.isin(rows, gone)
    pos, terms = f._ix.rows_terms(rows[keep])
    slot = slot[keep]
    hit = np.isin(terms, tids)
    j = np.searchsorted(tids, terms[hit])  # query terms come sorted
    pairs = np.unique(slot[pos[hit]] * len(tids) + j)
    return np.bincount(pairs // len(tids), weights=mass[pairs % len(tids)], minlength=len(pool)) / mass.sum()


@pytest.mark.parametrize("query", ["瓦斯抽采与矿井通风", "甲乙型应用模型与区块链", "农业保险 数字货币 深度学习"])
def test_features_are_exactly_those_of_the_first_formulas(trained, query):
    """Coverage summed term by term and namesakes read for the pool's persons only: the same floats as the
    unique-pairs sum and the best of every other owner of the same person."""
    f = trained
    tids, qtf = f._ix.query_terms(query)
    pool, feats = f.features(query)
    assert np.array_equal(feats[:, FEATURES.index("profile_cover")],
                          _coverage_by_pairs(f, tids, qtf, np.zeros(0, np.int64), pool))
    scores = f._ix.score_terms(tids, qtf)
    rows = np.flatnonzero(scores > 0)
    rows = rows[f.owner_of[rows] >= 0]
    best = np.zeros(len(f.owners))
    np.maximum.at(best, f.owner_of[rows], scores[rows].astype(np.float64))
    qmax = float(scores.max())
    expected = [max([best[o] for o in np.flatnonzero(f.person == f.person[p]) if o != p], default=0.0) / qmax
                for p in pool.tolist()]
    assert np.array_equal(feats[:, FEATURES.index("namesake_match")], np.asarray(expected))
    assert feats[:, FEATURES.index("namesake_match")].max() > 0  # the corpus has namesakes that match
