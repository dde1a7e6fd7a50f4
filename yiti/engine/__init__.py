"""The matching engine: pure Python (never imports Django).

    analyse → index → search / rank → explain

    from yiti.engine import Document, Index, explain
    index = Index.build([Document("need:1", title="区块链供应链金融", discipline="应用经济", owner="org:7")])
    index.search("供应链金融 区块链", filters={"discipline": ["应用经济"], "year": (2015, 2024)}, top=10)
    index.rank_owners("供应链金融", top=10)            # entity ranking (owners = people, organisations)
    explain(index, "供应链金融 区块链", "need:1").summary  # "共同关键词: 区块链、供应链金融；学科: 应用经济"
    finder = ExpertFinder(index); finder.train(); finder.rank("...")  # learned expert finding
    finder.save(folder); ExpertFinder.load(folder)      # the index and the trained finder, no pickle
    classify.train(texts, labels).top_k("...")          # discipline tagging (see classify.py)
    assign(targets, experts, candidates, forbidden=..., forced=...)  # commissioner coverage (see assign.py)
"""

from . import classify
from .assign import (
    FIT_SCALE,
    REASONS,
    AssignedPair,
    Assignment,
    AssignmentError,
    Candidate,
    TargetCoverage,
    Uncovered,
    assign,
)
from .experts import ExpertFinder, ExpertFinderConfig, ExpertHit, candidate_documents
from .explain import Contribution, Explanation, explain
from .index import (
    BM25Params,
    Document,
    EntityHit,
    FilterError,
    Hit,
    Index,
    IndexReader,
    SearchResult,
    plain_bm25_params,
)
from .text import Analyser, learn_user_words, normalise

__all__ = [
    "FIT_SCALE", "REASONS", "AssignedPair", "Assignment", "AssignmentError", "Candidate", "TargetCoverage",
    "Uncovered", "assign",
    "Analyser", "BM25Params", "Contribution", "Document", "EntityHit", "ExpertFinder", "ExpertFinderConfig",
    "ExpertHit", "Explanation", "FilterError", "Hit", "Index", "IndexReader", "SearchResult", "candidate_documents",
    "classify", "explain", "learn_user_words", "normalise", "plain_bm25_params",
]
