"""The matching index in the platform: built from records, kept under YITI_VAR_DIR, loaded by each web process.

THE API the rest of matching uses (keep it stable):

    idx = store.current()            # the loaded MatchingIndex, or None while none has been built
    idx.search(text, types=("result",), filters={"division": [...]}, top=50)  -> list[(key, score)]
    idx.experts(text, top=100)       # -> list[(talent key, score)]: the trained expert finder's ranking
    idx.explain(text, key)           # -> engine Explanation (shared key terms …) for reasons
    store.build()                    # full build now (the index job calls it); returns the MatchingIndex

FIRST VERSION (to be replaced by the index work of issue 14 §5): built in memory, per process, on first use;
no folder, no atomic swap, no incremental changes, no expert finder training.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from threading import Lock

from yiti.engine import Explanation, Index, explain
from yiti.matching.documents import all_documents


@dataclass
class MatchingIndex:
    index: Index

    def search(self, text: str, types: Sequence[str] | None = None, filters: Mapping[str, object] | None = None,
               top: int = 50) -> list[tuple[str, float]]:
        wanted = dict(filters or {})
        if types:
            wanted["type"] = list(types)
        return [(hit.id, hit.score) for hit in self.index.search(text, filters=wanted, top=top).hits]

    def experts(self, text: str, top: int = 100) -> list[tuple[str, float]]:
        return [(hit.owner, hit.score) for hit in self.index.rank_owners(text, top=top)]

    def explain(self, text: str, key: str) -> Explanation:
        return explain(self.index, text, key)


_current: MatchingIndex | None = None
_lock = Lock()


def build(kinds: Iterable[str] | None = None) -> MatchingIndex:
    global _current
    docs = list(all_documents(kinds) if kinds else all_documents())
    with _lock:
        _current = MatchingIndex(Index.build(docs))
    return _current


def current() -> MatchingIndex | None:
    return _current if _current is not None else build()


def reset() -> None:
    """Forget the loaded index (tests)."""
    global _current
    _current = None
