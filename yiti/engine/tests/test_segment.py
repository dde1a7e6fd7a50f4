"""Our segmentation and batch analysis give exactly the old output (jieba, one text at a time)."""

import csv
import json
import random

import numpy as np
import pytest

from yiti.engine import Document
from yiti.engine import index as ix
from yiti.engine.text import Analyser, normalise

from .shared import real_data

AN = Analyser(user_words=["锂离子电池负极", "供应链金融", "c++编程"])


def _real_texts() -> list[str]:
    nssf, csl_dev = real_data("nssf_projects.csv", "csl_dev.jsonl")
    with open(nssf, encoding="utf-8", newline="") as f:
        titles = [r["title"] for _, r in zip(range(20_000), csv.DictReader(f), strict=False)]
    with open(csl_dev, encoding="utf-8") as f:
        csl = [json.loads(line) for line in f]
    return titles + [c["title"] for c in csl] + [c["abstract"] for c in csl]


def _random_texts(n: int) -> list[str]:
    rng = random.Random(0)
    alphabet = list("研究中国经济发展区块链供应链金融锂离子电池负极abcXYZ0123 .+#&_%-\r\n\t，。、的了和与·㐀鿿丽龥Ａ１")
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(n)]


@pytest.mark.realdata
def test_segmenter_equals_jieba_without_hmm_on_real_and_random_text():
    texts = _real_texts()
    texts = texts + [normalise(t) for t in texts] + _random_texts(5_000)
    tok, seg = AN.tokenizer, AN.segmenter
    expected = [tok.lcut(t, HMM=False) for t in texts]
    assert [seg.cut(t) for t in texts] == expected
    got: list[list[str]] = []
    for i in range(0, len(texts), 7_000):
        got.extend(seg.cut_many(texts[i : i + 7_000]))
    assert got == expected
    assert seg.cut_many([]) == [] and seg.cut_many(["", ""]) == [[], []]


@pytest.mark.realdata
def test_analyse_many_equals_analyse():
    texts = _real_texts()[:3_000] + _random_texts(1_000) + ["", "   ", "，。"]
    assert AN.analyse_many(texts) == [AN.analyse(t) for t in texts]
    chars = Analyser(words=False)
    assert chars.analyse_many(texts[:500]) == [chars.analyse(t) for t in texts[:500]]


@pytest.mark.realdata
def test_chunk_postings_equal_per_document_analysis():
    texts = _real_texts()
    docs = [Document(f"d{i}", title=t, text=texts[-1 - i] if i % 3 == 0 else "", keywords=("区块链", "金融") if i % 5 == 0 else ())
            for i, t in enumerate(texts[:4_000])]
    ix._WORKER_ANALYSER, ix._WORKER_WEIGHTS = AN, {"title": 2.0, "text": 1.0, "keywords": 2.0}
    vocab, indptr, terms, tfs, lengths = ix._analyse_chunk(docs)
    ref_vocab: dict[str, int] = {}
    for i, d in enumerate(docs):
        tf, length = ix.analyse_document(AN, ix._WORKER_WEIGHTS, d)
        a, b = int(indptr[i]), int(indptr[i + 1])
        assert [vocab[t] for t in terms[a:b]] == list(tf)
        assert tfs[a:b].tolist() == [np.float32(c) for c in tf.values()]
        assert lengths[i] == np.float32(length)
        for t in tf:
            ref_vocab.setdefault(t, len(ref_vocab))
    assert vocab == list(ref_vocab)
