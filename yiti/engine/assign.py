"""Commissioner coverage (科技特派员全覆盖): assign experts to targets as a min-cost flow.

Pure Python + numpy + OR-Tools' ``SimpleMinCostFlow`` (never Django). The one entry point::

    from yiti.engine import Candidate, assign

    result = assign(
        targets={"org:7": 1, "village:3": 2},          # target id -> demand k (slots); or an iterable of ids (k = 1)
        experts={"expert:1": 3, "expert:2": 0},         # expert id -> remaining capacity (capacity - current load)
        candidates=[Candidate("expert:1", "org:7", 0.82, same_county=True), ...],  # the only allowed pairs
        forbidden={("expert:1", "village:3")},          # same organisation / rejected before (unknown ids ignored)
        forced={("expert:2", "org:7")},                 # locked by staff: always in the result
        same_county_weight=0.1,                         # added to the fit of a same-county pair
        progress=job.set_progress,                      # optional progress(phase, done, total)
    )
    result.pairs       # (AssignedPair(expert, target, fit, score, same_county, forced), ...) by (target, expert)
    result.coverage    # {target id: TargetCoverage(target, demand, covered, experts)} for every target, by id
    result.uncovered   # (Uncovered(target, reason, slots, experts), ...) — reason is a code, see below
    result.load        # {expert id: assigned pairs, forced included} for every expert
    result.covered, result.demanded, result.total_fit, result.objective

Objective: first the most covered target slots, then the largest total score (fit + the same-county weight
for same-county pairs), scores integerised as ``round(score * FIT_SCALE)``. The flow network is
source → expert (capacity = remaining capacity) → target (capacity 1 per candidate pair) → sink
(capacity = demand), solved by ``SimpleMinCostFlow.solve_max_flow_with_min_cost``: a maximum flow, and
among maximum flows the cheapest. Forced pairs are taken first and count against both the expert's
capacity and the target's demand; a forced pair that is not a candidate gets fit 0.

When full coverage is impossible the result is the best partial coverage, and every uncovered slot gets
one reason code (``Uncovered.slots`` slots of a target share a code; a target can have several):

- ``no_capacity``: experts fit the target and are allowed, but all of them are full (``experts`` lists them).
- ``forbidden``: the experts that fit are forbidden for it (``experts`` lists them).
- ``no_candidate``: no (further) expert fits it at all.

A target with demand k and only j < k experts fitting gets k - j slots with ``forbidden`` or
``no_candidate``, as there are not enough distinct experts. Codes are ASCII; the Django side translates.

Deterministic: the result depends only on the input *sets* — ids are sorted, arcs are built in
(target id, expert id) order, so the same input in any order gives the same pairs; among equally good
solutions the one the solver reaches from that order is returned.

Bad input raises ``AssignmentError(code, detail)`` (a ``ValueError``): ``bad_demand``, ``bad_capacity``,
``bad_candidate``, ``bad_pair`` (a forbidden or forced pair that is not two ids), ``bad_fit``, ``bad_weight``,
``unknown_expert``, ``unknown_target``, ``duplicate_pair``,
``forced_forbidden``, ``forced_over_capacity``, ``forced_over_demand``. ``detail`` names the offending id(s).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "FIT_SCALE", "REASONS", "AssignedPair", "Assignment", "AssignmentError", "Candidate", "TargetCoverage",
    "Uncovered", "assign",
]

FIT_SCALE = 10_000  # scores are compared as round(score * FIT_SCALE): differences below 1e-4 are ties
REASONS = ("no_capacity", "forbidden", "no_candidate")

Progress = Callable[[str, int, int], object]
IntArray = npt.NDArray[np.int64]


class Candidate(NamedTuple):
    """One allowed (expert, target) pair; a plain ``(expert, target, fit, same_county)`` tuple works too."""

    expert: str
    target: str
    fit: float  # in [0, 1], from the engine
    same_county: bool = False


@dataclass(frozen=True)
class AssignedPair:
    expert: str
    target: str
    fit: float
    score: float  # fit + same_county_weight if same_county
    same_county: bool
    forced: bool


@dataclass(frozen=True)
class TargetCoverage:
    target: str
    demand: int
    covered: int
    experts: tuple[str, ...]  # assigned experts, by id


@dataclass(frozen=True)
class Uncovered:
    target: str
    reason: str  # one of REASONS
    slots: int  # how many of the target's slots have this reason
    experts: tuple[str, ...]  # the full (no_capacity) or forbidden (forbidden) experts that fit; () otherwise


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[AssignedPair, ...]  # by (target, expert)
    coverage: dict[str, TargetCoverage]  # every target, by id
    uncovered: tuple[Uncovered, ...]  # by (target, reason order of REASONS)
    load: dict[str, int]  # every expert: pairs assigned in this result, forced ones included
    demanded: int  # total slots asked for
    covered: int  # total slots filled
    total_fit: float  # sum of the fit of all pairs
    objective: int  # sum of round(score * FIT_SCALE) over all pairs

    @property
    def complete(self) -> bool:
        return self.covered == self.demanded


class AssignmentError(ValueError):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _sizes(values: Mapping[str, int] | Iterable[str], code: str) -> tuple[list[str], IntArray]:
    """Sorted ids and their sizes (demand or capacity), validated as non-negative ints."""
    items = values.items() if isinstance(values, Mapping) else ((key, 1) for key in values)
    sizes: dict[str, int] = {}
    for key, size in items:
        if not isinstance(key, str):
            raise AssignmentError(code, f"id must be a string: {key!r}")
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 0:
            raise AssignmentError(code, f"{key}: {size!r} is not a whole number >= 0")
        sizes[key] = int(size)
    ids = sorted(sizes)
    return ids, np.array([sizes[key] for key in ids], dtype=np.int64)


def _column(rows: Sequence[Sequence[object]], col: int, index: dict[str, int], code: str) -> IntArray:
    """The index of each row's id in column ``col`` (an unknown id raises ``code``)."""
    try:
        return np.fromiter(map(index.__getitem__, map(itemgetter(col), rows)),
                           dtype=np.int64, count=len(rows))
    except (KeyError, TypeError):
        bad = next(row[col] for row in rows if not isinstance(row[col], str) or row[col] not in index)
        raise AssignmentError(code, repr(bad)) from None


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _pairs(eindex: dict[str, int], tindex: dict[str, int], pairs: Iterable[tuple[str, str]],
           strict: bool) -> IntArray:
    """(expert, target) id pairs → sorted unique keys target * n_experts + expert (unknown ids dropped unless strict)."""
    n = len(eindex)
    keys: list[int] = []
    for pair in pairs:
        try:
            expert, target = pair
            e, t = eindex.get(expert), tindex.get(target)
        except (TypeError, ValueError):
            raise AssignmentError("bad_pair", f"expected (expert, target): {pair!r}") from None
        if e is None or t is None:
            if strict:
                raise AssignmentError("unknown_expert" if e is None else "unknown_target",
                                      repr(expert if e is None else target))
            continue
        keys.append(t * n + e)
    return np.unique(np.array(keys, dtype=np.int64))


def _solve_flow(n_experts: int, n_targets: int, cap: IntArray, demand: IntArray, arc_e: IntArray,
                arc_t: IntArray, arc_score: IntArray) -> IntArray:
    """Max flow, then min cost: the 0/1 flow on each expert→target arc (maximising the total score)."""
    from ortools.graph.python import min_cost_flow

    if len(arc_e) == 0:
        return np.zeros(0, dtype=np.int64)
    source, sink = 0, n_experts + n_targets + 1
    expert_node = 1 + np.arange(n_experts, dtype=np.int64)
    target_node = 1 + n_experts + np.arange(n_targets, dtype=np.int64)
    top = int(arc_score.max())
    tails = np.concatenate([np.full(n_experts, source, dtype=np.int64), 1 + arc_e, target_node])
    heads = np.concatenate([expert_node, 1 + n_experts + arc_t, np.full(n_targets, sink, dtype=np.int64)])
    caps = np.concatenate([cap, np.ones(len(arc_e), dtype=np.int64), demand])
    costs = np.concatenate([np.zeros(n_experts, dtype=np.int64), top - arc_score,
                            np.zeros(n_targets, dtype=np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    del tails, heads, caps, costs  # OR-Tools keeps its own copy
    flow.set_node_supply(source, int(min(cap.sum(), demand.sum())))
    flow.set_node_supply(sink, -int(min(cap.sum(), demand.sum())))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - capacities and costs are small, the graph is valid
        raise RuntimeError(f"min-cost flow failed: {status}")
    pair_arcs = np.arange(n_experts, n_experts + len(arc_e), dtype=np.int64)  # arcs are numbered as added
    return np.asarray(flow.flows(pair_arcs), dtype=np.int64)


def assign(targets: Mapping[str, int] | Iterable[str], experts: Mapping[str, int],
           candidates: Iterable[Candidate | tuple[str, str, float, bool]], *,
           forbidden: Iterable[tuple[str, str]] = (), forced: Iterable[tuple[str, str]] = (),
           same_county_weight: float = 0.1, progress: Progress | None = None) -> Assignment:
    """Assign experts to targets: most covered slots first, then the best total score (see the module doc)."""
    phases = 3

    def report(phase: str, done: int) -> None:
        if progress is not None:
            progress(phase, done, phases)

    report("prepare", 0)
    if isinstance(same_county_weight, bool) or not isinstance(same_county_weight, int | float) \
            or not math.isfinite(same_county_weight) or same_county_weight < 0:
        raise AssignmentError("bad_weight", repr(same_county_weight))
    target_ids, demand = _sizes(targets, "bad_demand")
    expert_ids, capacity = _sizes(experts, "bad_capacity")
    n_e, n_t = len(expert_ids), len(target_ids)
    eindex = {key: i for i, key in enumerate(expert_ids)}
    tindex = {key: i for i, key in enumerate(target_ids)}

    # ---- candidates → arrays sorted by (target, expert) ----
    rows = candidates if isinstance(candidates, list | tuple) else list(candidates)
    if any(len(row) != 4 for row in rows):
        raise AssignmentError("bad_candidate", "expected (expert, target, fit, same_county)")
    cand_e = _column(rows, 0, eindex, "unknown_expert")
    cand_t = _column(rows, 1, tindex, "unknown_target")
    try:
        fit = np.fromiter(map(float, map(itemgetter(2), rows)), dtype=np.float64, count=len(rows))
    except (TypeError, ValueError):
        fit = np.array([_number(row[2]) for row in rows], dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(fit) | (fit < 0) | (fit > 1))
    if len(bad):
        row = rows[int(bad[0])]
        raise AssignmentError("bad_fit", f"{row[0]} → {row[1]}: {row[2]!r}")
    same = np.fromiter(map(bool, map(itemgetter(3), rows)), dtype=bool, count=len(rows))
    keys = cand_t * n_e + cand_e
    order = np.argsort(keys, kind="stable")
    keys, cand_e, cand_t, fit, same = keys[order], cand_e[order], cand_t[order], fit[order], same[order]
    dup = np.flatnonzero(keys[1:] == keys[:-1])
    if len(dup):
        i = int(dup[0])
        raise AssignmentError("duplicate_pair", f"{expert_ids[cand_e[i]]} → {target_ids[cand_t[i]]}")
    score = np.rint((fit + same_county_weight * same) * FIT_SCALE).astype(np.int64)

    # ---- forbidden and forced pairs ----
    forbidden_keys = _pairs(eindex, tindex, forbidden, strict=False)
    is_forbidden = np.isin(keys, forbidden_keys)
    forced_keys = _pairs(eindex, tindex, forced, strict=True)
    clash = np.isin(forced_keys, forbidden_keys)
    if clash.any():
        clash_key = int(forced_keys[clash][0])
        raise AssignmentError("forced_forbidden", f"{expert_ids[clash_key % n_e]} → {target_ids[clash_key // n_e]}")
    forced_e, forced_t = forced_keys % max(n_e, 1), forced_keys // max(n_e, 1)
    load = np.bincount(forced_e, minlength=n_e).astype(np.int64)
    filled = np.bincount(forced_t, minlength=n_t).astype(np.int64)
    for counts, limit, ids, code in ((load, capacity, expert_ids, "forced_over_capacity"),
                                     (filled, demand, target_ids, "forced_over_demand")):
        over = np.flatnonzero(counts > limit)
        if len(over):
            i = int(over[0])
            raise AssignmentError(code, f"{ids[i]}: {int(counts[i])} forced > {int(limit[i])}")
    at = np.searchsorted(keys, forced_keys)
    is_candidate = (at < len(keys)) & (keys[np.minimum(at, max(len(keys) - 1, 0))] == forced_keys) \
        if len(keys) else np.zeros(len(forced_keys), dtype=bool)
    is_forced = np.zeros(len(keys), dtype=bool)
    is_forced[at[is_candidate]] = True

    # ---- the flow over what is left ----
    room, open_slots = capacity - load, demand - filled
    usable = ~is_forbidden & ~is_forced & (room[cand_e] > 0) & (open_slots[cand_t] > 0)
    arc = np.flatnonzero(usable)
    report("solve", 1)
    chosen = arc[_solve_flow(n_e, n_t, room, open_slots, cand_e[arc], cand_t[arc], score[arc]) > 0]
    report("reasons", 2)

    # ---- the result ----
    pairs: list[AssignedPair] = []
    for forced_key in forced_keys.tolist():
        e, t = forced_key % n_e, forced_key // n_e
        pos = int(np.searchsorted(keys, forced_key))
        known = pos < len(keys) and int(keys[pos]) == forced_key
        f = float(fit[pos]) if known else 0.0
        s = bool(same[pos]) if known else False
        pairs.append(AssignedPair(expert_ids[e], target_ids[t], f, f + (same_county_weight if s else 0.0),
                                  s, True))
    objective = int(score[is_forced].sum()) + int(score[chosen].sum())  # a forced non-candidate scores 0
    for i in chosen.tolist():
        f = float(fit[i])
        s = bool(same[i])
        pairs.append(AssignedPair(expert_ids[cand_e[i]], target_ids[cand_t[i]], f,
                                  f + (same_county_weight if s else 0.0), s, False))
    pairs.sort(key=lambda p: (p.target, p.expert))

    by_target: dict[str, list[str]] = {key: [] for key in target_ids}
    by_expert = dict.fromkeys(expert_ids, 0)
    for p in pairs:
        by_target[p.target].append(p.expert)
        by_expert[p.expert] += 1
    coverage = {key: TargetCoverage(key, int(demand[t]), len(by_target[key]), tuple(by_target[key]))
                for t, key in enumerate(target_ids)}

    used = load.copy()
    np.add.at(used, cand_e[chosen], 1)
    full = used >= capacity
    starts = np.searchsorted(cand_t, np.arange(n_t + 1))
    uncovered: list[Uncovered] = []
    for t in np.flatnonzero(np.array([c.covered for c in coverage.values()]) < demand).tolist():
        key = target_ids[t]
        missing = int(demand[t]) - coverage[key].covered
        assigned = set(by_target[key])
        span = slice(int(starts[t]), int(starts[t + 1]))
        fitting = [expert_ids[e] for e in cand_e[span].tolist()]
        banned = is_forbidden[span].tolist()
        waiting = [e for e, b in zip(fitting, banned, strict=True) if not b and e not in assigned]
        blocked = [e for e, b in zip(fitting, banned, strict=True) if b]
        # at a maximum flow every allowed, unassigned expert of an uncovered target is full
        assert all(full[eindex[e]] for e in waiting), key
        for reason, experts_ in (("no_capacity", waiting), ("forbidden", blocked), ("no_candidate", [])):
            slots = missing if reason == "no_candidate" else min(missing, len(experts_))
            if slots:
                uncovered.append(Uncovered(key, reason, slots, tuple(experts_)))
                missing -= slots
    report("done", 3)
    return Assignment(
        pairs=tuple(pairs), coverage=coverage, uncovered=tuple(uncovered), load=by_expert,
        demanded=int(demand.sum()), covered=len(pairs), total_fit=float(sum(p.fit for p in pairs)),
        objective=objective,
    )
