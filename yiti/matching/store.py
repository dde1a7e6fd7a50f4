"""The matching index in the platform: built from records by a background job, kept under YITI_VAR_DIR,
loaded memory-mapped by each web process and kept current with the records' edits.

THE API the rest of matching uses (keep it stable):

    idx = store.current()            # the loaded MatchingIndex, or None while none has been built (the build
                                     #   job is then queued, once)
    idx.search(text, types=("result",), filters={"division": [...]}, top=50)  -> list[(key, score)]
    idx.experts(text, top=100)       # -> list[(talent key, score)]: the trained expert finder's ranking
    idx.expert_documents(text, "talent:5", top=3)  # -> list[(key, score)]: that expert's documents that match
    idx.explain(text, key)           # -> engine Explanation (shared key terms …) for reasons
    idx.documents, idx.built_at, idx.folder        # what the status page shows
    store.build()                    # full build now (the index job and `yiti matching-index --rebuild` call it)
    store.queue_build(user=None)     # an IndexJob queued for the worker, unless one is already building
    store.status()                   # Status: folder, documents, built_at, pending changes, last jobs

On disk (`YITI_MATCHING_DIR`, default `YITI_VAR_DIR/matching`)::

    builds/<time>-<pid>/search/      the engine Index of every record (needs, results, talents, orgs, platforms)
    builds/<time>-<pid>/experts/     the trained ExpertFinder with its own index of the experts' documents
    builds/<time>-<pid>/build.json   written last: documents, time, the last IndexChange id and record ids seen
    current                          symlink → builds/<…>, replaced atomically (os.replace)

A build writes a new folder, then swaps `current`; a process notices the swap (one readlink at most every
`YITI_MATCHING_REFRESH_SECONDS`) and loads the new folder whole before it answers from it, so a process never
reads half an index. Superseded folders are removed `STALE_AFTER` seconds after the swap (by the next build or
`yiti matching-index`), never while a process could still be opening them.

Edits: every save and delete of an indexed record is an `IndexChange` (signals.py); records written without
signals (imports use bulk inserts) are found by id: above the highest id the build saw. Each process applies
both to its in-memory search index (`Index.update/delete`) at most every `YITI_MATCHING_REFRESH_SECONDS`
(default 10 s), so an edit reaches recommendations within a minute. More than `MAX_INCREMENTAL` waiting
changes (an import) are not applied one by one in every process: a rebuild is queued instead.

Experts between rebuilds: a saved `ExpertFinder` cannot take new documents, so `experts()` ranks with the
finder trained at the build, then corrects for what changed since: deleted talents are dropped; an expert
whose documents changed (a new or edited talent, a result added, edited or deleted) is taken out of the
finder's ranking and put back by the search index's current BM25 score of their documents, at the finder
score of the unchanged expert with the nearest BM25 score for the same query. After the next rebuild the
finder knows them.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from yiti.core.forked import beside
from yiti.engine import Analyser, ExpertFinder, Explanation, Index, explain
from yiti.matching.documents import KINDS, all_documents, documents_for, is_expert_document

logger = logging.getLogger(__name__)

BUILD_FILE = "build.json"
FORMAT = "yiti.matching/1"
# A superseded build folder is removed this long after the swap: every process has loaded the new one by then.
STALE_AFTER = 600
# A folder without build.json (a build that died) is removed after this long: no build takes that long.
ABANDONED_AFTER = 6 * 3600
# More waiting changes than this are not applied in every process: a rebuild is queued instead.
MAX_INCREMENTAL = 2000
EXPERT_TYPES = ["result", "talent"]


def expert_relevance(log_odds: float) -> float:
    """An expert's score from `MatchingIndex.experts` (the finder's log-odds, mostly below zero) as a probability in
    (0, 1): what panels and coverage compare with the best candidate's."""
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))


def root() -> Path:
    return Path(getattr(settings, "YITI_MATCHING_DIR", None) or Path(settings.VAR_DIR) / "matching")


def refresh_seconds() -> float:
    return float(getattr(settings, "YITI_MATCHING_REFRESH_SECONDS", 10))


# --- the loaded index ---------------------------------------------------------------------------------------


@dataclass
class MatchingIndex:
    """One build, loaded: the search index (updated in memory with the edits since the build) and the expert
    finder trained at the build. Its methods may be called from several threads."""

    folder: Path
    info: dict[str, Any]
    index: Index
    finder: ExpertFinder | None
    seen_change: int = 0  # the last IndexChange applied
    watermarks: dict[str, int] = field(default_factory=dict)  # per kind, the highest record id indexed
    changed_owners: set[str] = field(default_factory=set)  # experts whose documents changed since the build
    deleted: set[str] = field(default_factory=set)  # records deleted since the build
    applied: int = 0  # changes applied since the load
    backlog: bool = False  # more changes wait than are applied one by one: a rebuild is queued
    checked: float = 0.0  # when the pointer and the changes were last checked (monotonic)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def documents(self) -> int:
        return len(self.index)

    @property
    def built_at(self) -> str:
        return str(self.info.get("built_at", ""))

    # --- queries ----------------------------------------------------------------------------------------

    def search(self, text: str, types: Sequence[str] | None = None, filters: Mapping[str, object] | None = None,
               top: int = 50) -> list[tuple[str, float]]:
        wanted = dict(filters or {})
        if types:
            wanted["type"] = list(types)
        with self.lock:
            return [(hit.id, hit.score) for hit in self.index.search(text, filters=wanted, top=top).hits]

    def experts(self, text: str, top: int = 100) -> list[tuple[str, float]]:
        """Talent keys, best first: the finder's ranking, corrected for the experts changed since the build
        (see the module's docstring)."""
        if not text or not text.strip() or top <= 0:
            return []
        with self.lock:
            changed = self.changed_owners
            if self.finder is None:
                return self._bm25_owners(text, None, top)
            hits = [(h.owner, h.score) for h in self.finder.rank(text, top + len(changed) + len(self.deleted))]
            ranked = [(o, s) for o, s in hits if o not in changed and o not in self.deleted]
            if changed:
                ranked = self._merge_changed(text, ranked, sorted(changed))
            return ranked[:top]

    def expert_documents(self, text: str, key: str, top: int = 3) -> list[tuple[str, float]]:
        """The expert's documents (their results and profile) that match ``text``, best first."""
        return self.search(text, types=EXPERT_TYPES, filters={"owner": [key]}, top=top)

    def explain(self, text: str, key: str) -> Explanation:
        with self.lock:
            return explain(self.index, text, key)

    def __contains__(self, key: object) -> bool:
        return key in self.index

    def _bm25_owners(self, text: str, owners: list[str] | None, top: int) -> list[tuple[str, float]]:
        filters: dict[str, object] = {"type": EXPERT_TYPES}
        if owners is not None:
            filters["owner"] = owners
        hits = self.index.rank_owners(text, filters=filters, top=top)
        return [(h.owner, h.score) for h in hits if h.owner not in self.deleted]

    def _merge_changed(self, text: str, ranked: list[tuple[str, float]], changed: list[str]) -> list[tuple[str, float]]:
        """Put the changed experts among the finder's ranking by their current BM25 score: each takes the
        finder score of the unchanged expert whose BM25 score is nearest to theirs (ties: the changed one first)."""
        fresh = self._bm25_owners(text, changed, len(changed))
        if not fresh:
            return ranked
        if not ranked:
            return fresh
        bm = dict(self._bm25_owners(text, [o for o, _ in ranked], len(ranked)))
        anchors = sorted(((bm.get(o, 0.0), s) for o, s in ranked), key=lambda a: -a[0])
        merged = [(o, s, 1) for o, s in ranked]
        for owner, score in fresh:
            nearest = min(anchors, key=lambda a: abs(a[0] - score))
            merged.append((owner, nearest[1], 0))
        merged.sort(key=lambda m: (-m[1], m[2]))
        return [(o, s) for o, s, _ in merged]

    # --- edits since the build ----------------------------------------------------------------------------

    def refresh(self) -> int:
        """Apply the changes after the last one seen (and records above the build's ids); returns how many
        records were applied. Queues a rebuild instead when too many wait."""
        from yiti.matching.models import IndexChange

        with self.lock:
            rows = list(IndexChange.objects.filter(id__gt=self.seen_change).order_by("id")
                        .values_list("id", "key", "deleted")[: MAX_INCREMENTAL + 1])
            keys: dict[str, bool] = {}
            for _, key, deleted in rows:
                keys[key] = deleted
            new_marks = dict(self.watermarks)
            for kind, model in KINDS.items():
                mark = self.watermarks.get(kind, 0)
                fresh = list(model._default_manager.filter(pk__gt=mark).order_by("pk")
                             .values_list("pk", flat=True)[: MAX_INCREMENTAL + 1])
                for pk in fresh:
                    keys.setdefault(f"{kind}:{pk}", False)
                if fresh:
                    new_marks[kind] = fresh[-1]
            if len(keys) > MAX_INCREMENTAL:
                if not self.backlog:
                    logger.warning("matching index: %s changes wait; a rebuild is queued", len(keys))
                    self.backlog = True
                    queue_build()
                return 0
            if keys:
                self._apply(keys)
            if rows:
                self.seen_change = rows[-1][0]
            self.watermarks = new_marks
            self.applied += len(keys)
            return len(keys)

    def _apply(self, keys: Mapping[str, bool]) -> None:
        docs = documents_for(k for k, deleted in keys.items() if not deleted)
        gone = [k for k in keys if k not in docs]
        old_owners = {self.index.get(k).owner for k in keys if k in self.index}
        self.index.delete(gone)
        self.index.update(docs.values())
        self.deleted.update(gone)
        self.deleted.difference_update(docs)
        owners = {o for o in old_owners if o} | {d.owner for d in docs.values() if d.owner and is_expert_document(d)}
        owners |= {k for k in keys if k.startswith("talent:")}
        self.changed_owners.update(o for o in owners if o not in self.deleted)
        self.changed_owners.difference_update(self.deleted)


# --- this process's copy --------------------------------------------------------------------------------------

_lock = threading.RLock()
_loaded: dict[Path, MatchingIndex] = {}  # by root folder (tests change it per test): the loaded build


def current() -> MatchingIndex | None:
    """The current index of this process: loaded on first use, reloaded when a rebuild swapped the folder,
    with the edits since applied. None while no index has been built: the build job is then queued (once)."""
    base = root()
    idx = _loaded.get(base)
    now = time.monotonic()
    if idx is not None and now - idx.checked < refresh_seconds():
        return idx
    with _lock:
        idx = _loaded.get(base)
        target = _pointer(base)
        if target is None:
            queue_build()
            target = _pointer(base)  # an inline task backend (tests, YITI_TASKS=immediate) has built it
            if target is None:
                return None
        if idx is None or idx.folder != target:
            try:
                idx = _load(target)
            except (OSError, ValueError) as e:  # removed under us or unreadable: keep what we have
                logger.warning("matching index %s could not be loaded: %s", target, e)
                if idx is None:
                    return None
            _loaded[base] = idx
        idx.checked = now
    idx.refresh()
    return idx


def reset() -> None:
    """Forget the loaded indexes (tests)."""
    with _lock:
        _loaded.clear()


def _pointer(base: Path) -> Path | None:
    try:
        target = os.readlink(base / "current")
    except OSError:
        return None
    folder = (base / target).resolve()
    return folder if (folder / BUILD_FILE).exists() else None


def _load(folder: Path, analyser: Analyser | None = None) -> MatchingIndex:
    """A build folder, whole. ``analyser``: one with the saved settings already in memory (the builder's)."""
    info = json.loads((folder / BUILD_FILE).read_text(encoding="utf-8"))
    if info.get("format") != FORMAT:
        raise ValueError(f"{folder}: not a matching index of format {FORMAT}")
    index = Index.load(folder / "search")
    finder = ExpertFinder.load(folder / "experts") if (folder / "experts" / "experts.json").exists() else None
    # Both indexes were built with one analyser: share it, so that jieba's dictionary is loaded once.
    shared = analyser if analyser is not None and _same(analyser, index.analyser) else index.analyser
    index.analyser = shared
    if finder is not None and _same(finder.index.analyser, shared):
        finder.index.analyser = shared
    return MatchingIndex(folder=folder, info=info, index=index, finder=finder,
                         seen_change=int(info.get("last_change", 0)),
                         watermarks={k: int(v) for k, v in info.get("watermarks", {}).items()})


def _same(a: Analyser, b: Analyser) -> bool:
    return (a.user_words, a.stopwords, a.bigrams, a.words) == (b.user_words, b.stopwords, b.bigrams, b.words)


# --- building -----------------------------------------------------------------------------------------------


def build(workers: int = 2, progress: Any = None) -> MatchingIndex:
    """A full build: documents from every record → search index + trained expert finder, written to a new
    folder, then swapped in. Returns the new index, loaded (and makes it this process's current one).
    ``progress(phase, done, total)`` is told the steps."""
    from yiti.matching.models import IndexChange
    from yiti.talents.models import Talent

    def step(phase: str, done: int) -> None:
        if progress is not None:
            progress(phase, done, 5)

    started = time.perf_counter()
    base = root()
    builds = base / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    # Changes and records after these are applied by the processes on top of this build (applying one that
    # the build already holds does no harm).
    last_change = IndexChange.objects.aggregate(m=Max("id"))["m"] or 0
    watermarks = {kind: model._default_manager.aggregate(m=Max("pk"))["m"] or 0 for kind, model in KINDS.items()}
    folder = builds / f"{timezone.now():%Y%m%d-%H%M%S}-{os.getpid()}-{threading.get_ident() % 10000}"
    folder.mkdir()
    step("documents", 0)
    docs = [d for d in all_documents() if _known(d, watermarks)]
    step("index", 1)
    index = Index.build(docs, workers=workers)
    expert_docs = [d for d in docs if is_expert_document(d)]
    del docs
    step("experts", 2)
    finder: ExpertFinder | None = None
    trained: dict[str, float] = {}
    if expert_docs:
        owners = {d.owner for d in expert_docs if d.owner}
        names = {f"talent:{pk}": name for pk, name in Talent.objects.values_list("pk", "name")}
        # one analyser for both indexes: one jieba dictionary per process (the experts' index has the same
        # user words as the rest: keywords found twice in any record)
        # the experts' index from the search index's postings of those documents (the same index as building
        # it, without analysing half a million texts a second time)
        finder = ExpertFinder(index.subset([d.id for d in expert_docs]),
                              person_of={o: names[o] for o in owners if names.get(o)}, workers=workers)
        trained = finder.train()
    step("saving", 3)
    # the two indexes written at once, one core each (the writing is Python: one process would take both in turn)
    with beside(lambda: index.save(folder / "search")):
        if finder is not None:
            finder.save(folder / "experts")
    info = {"format": FORMAT, "built_at": timezone.now().isoformat(timespec="seconds"), "documents": len(index),
            "expert_documents": len(expert_docs), "experts": len({d.owner for d in expert_docs}),
            "last_change": last_change, "watermarks": watermarks, "training": trained,
            "seconds": round(time.perf_counter() - started, 1)}
    (folder / BUILD_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    step("swapping", 4)
    previous = _pointer(base)
    swap(folder)
    if previous is not None:
        try:
            purge_changes(int(json.loads((previous / BUILD_FILE).read_text(encoding="utf-8")).get("last_change", 0)))
        except (OSError, ValueError):
            pass
    remove_stale()
    loaded = _load(folder, analyser=index.analyser)
    loaded.checked = time.monotonic()
    with _lock:
        _loaded[base] = loaded
    loaded.refresh()
    return loaded


def _known(doc: Any, watermarks: Mapping[str, int]) -> bool:
    """Only records up to the build's ids: one created during the build is applied afterwards."""
    kind, _, pk = doc.id.partition(":")
    return int(pk) <= watermarks.get(kind, 0)


def swap(folder: Path) -> None:
    """Point `current` at ``folder`` in one step (a new symlink renamed over the old one) and mark the folder
    it pointed at as superseded now."""
    base = root()
    link = base / "current"
    previous = _pointer(base)
    tmp = base / f".current-{os.getpid()}-{threading.get_ident()}"
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(folder, base), tmp)
    os.replace(tmp, link)
    if previous is not None and previous != folder.resolve():
        (previous / "superseded").write_text(str(time.time()), encoding="utf-8")


def remove_stale(now: float | None = None) -> list[Path]:
    """Remove build folders superseded more than STALE_AFTER seconds ago and those abandoned by a build that
    died; never the current one or one being built. Returns the folders removed."""
    base = root()
    builds = base / "builds"
    if not builds.is_dir():
        return []
    now = time.time() if now is None else now
    keep = _pointer(base)
    removed = []
    for folder in sorted(builds.iterdir()):
        if not folder.is_dir() or folder.resolve() == keep:
            continue
        marker = folder / "superseded"
        try:
            if marker.exists():
                stale = now - float(marker.read_text(encoding="utf-8") or 0) > STALE_AFTER
            else:
                stale = not (folder / BUILD_FILE).exists() and now - folder.stat().st_mtime > ABANDONED_AFTER
        except (OSError, ValueError):
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def queue_build(user: Any = None) -> Any:
    """Queue a full build on the background worker unless one is already building; returns the job building."""
    from yiti.matching.models import IndexJob
    from yiti.matching.tasks import index_job

    running = IndexJob.objects.filter(status=IndexJob.Status.BUILDING).order_by("-created_at").first()
    if running is not None and not running.reap():
        return running
    job = IndexJob.objects.create(registry="matching", user=user)
    job.queued(index_job.enqueue(job.pk))
    job.refresh_from_db()
    return job


# --- status ---------------------------------------------------------------------------------------------------


@dataclass
class Status:
    folder: Path | None
    info: dict[str, Any]
    pending: int  # changes saved since the build that the next rebuild folds in
    job: Any  # the latest IndexJob, or None

    @property
    def built(self) -> bool:
        return self.folder is not None

    @property
    def age_seconds(self) -> float | None:
        built = self.info.get("built_at")
        if not built:
            return None
        from datetime import datetime

        return (timezone.now() - datetime.fromisoformat(built)).total_seconds()


def status() -> Status:
    from yiti.matching.models import IndexChange, IndexJob

    folder = _pointer(root())
    info: dict[str, Any] = {}
    if folder is not None:
        try:
            info = json.loads((folder / BUILD_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
    pending = 0
    if folder is not None:
        keys = set(IndexChange.objects.filter(id__gt=int(info.get("last_change", 0))).values_list("key", flat=True))
        for kind, model in KINDS.items():
            mark = int(info.get("watermarks", {}).get(kind, 0))
            keys.update(f"{kind}:{pk}" for pk in model._default_manager.filter(pk__gt=mark).values_list("pk", flat=True))
        pending = len(keys)
    job = IndexJob.objects.order_by("-created_at").first()
    return Status(folder, info, pending, job)


def purge_changes(before: int) -> int:
    """Drop the changes that the current build and the one it replaced both hold: no process needs them."""
    from yiti.matching.models import IndexChange

    deleted, _ = IndexChange.objects.filter(id__lte=before).delete()
    return deleted
