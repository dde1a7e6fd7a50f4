#!/usr/bin/env python3
"""Commissioner coverage: speed and memory of yiti.engine.assign on synthetic, seeded problems.

    .venv/bin/python bench/assign_speed.py                          # 1,000 × 2,500 and 10,000 × 50,000
    .venv/bin/python bench/assign_speed.py --sizes 1000x2500 --solver scipy      # another flow backend
    .venv/bin/python bench/assign_speed.py --sizes 200x500 --solver networkx

Each size runs in its own process, so its peak RSS is its own. The problem is built as the platform
would pass it: experts in fields (≈ 50 experts a field) and 10 counties, remaining capacity ≥ 1 with total
capacity = 0.98 × total demand (so full coverage is impossible), targets wanting 1 expert (10 %: 2;
0.2 % of them in a field no expert covers, i.e. no candidate), and for each other target
its top-50 experts by fit out of ≈ 80 scored (half of them from its own field: fit 0.5–1, the rest
0–0.4) — a sparse candidate list of 50 pairs a target. 1 % of the pairs are forbidden and 0.5 % of
the targets have their best candidate locked (forced). Times: ``build`` = making the candidate
list (not the solver's), ``assign`` = the whole ``assign()`` call, ``flow`` = the min-cost flow inside
it (medians over ``--repeat`` runs; CPU s = this process's CPU time, steadier than wall time when other
jobs share the cores). ``--solver`` swaps the flow backend inside ``assign()`` (``ortools`` = the engine's, ``scipy`` =
max flow by ``scipy.sparse.csgraph`` then the min-cost circulation by HiGHS, ``networkx`` =
``max_flow_min_cost``), so every backend gets the same graph and the objectives can be compared.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yiti.engine import Candidate, assign  # noqa: E402

# the module, not the function of the same name that yiti.engine exports
assign_module = importlib.import_module("yiti.engine.assign")

DEFAULT_SIZES = ["1000x2500", "10000x50000"]


def synthetic(n_experts: int, n_targets: int, top: int = 50, seed: int = 14, capacity_ratio: float = 0.98) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    n_fields = max(2, n_experts // 50)
    e_field = rng.integers(n_fields, size=n_experts)
    e_county = rng.integers(10, size=n_experts)
    members = [np.flatnonzero(e_field == f) for f in range(n_fields)]
    demand = np.where(rng.random(n_targets) < 0.1, 2, 1)
    total = max(n_experts, round(capacity_ratio * demand.sum()))  # every expert can take at least one
    capacity = 1 + rng.multinomial(total - n_experts, np.full(n_experts, 1 / n_experts))
    t_field = rng.integers(n_fields, size=n_targets)
    t_county = rng.integers(10, size=n_targets)
    expert_ids = [f"expert:{i}" for i in range(n_experts)]
    target_ids = [f"target:{i}" for i in range(n_targets)]
    rows: list[Candidate] = []
    nobody = rng.random(n_targets) < 0.002  # a field no expert covers
    for t in range(n_targets):
        if nobody[t]:
            continue
        own = members[t_field[t]]
        own = rng.choice(own, size=min(40, len(own)), replace=False) if len(own) else own
        other = rng.integers(n_experts, size=40)
        pool = np.unique(np.concatenate([own, other]))
        in_field = e_field[pool] == t_field[t]
        fit = np.where(in_field, 0.5 + 0.5 * rng.random(len(pool)), 0.4 * rng.random(len(pool)))
        best = np.argsort(-fit, kind="stable")[:top]
        tid = target_ids[t]
        for e, f in zip(pool[best].tolist(), fit[best].tolist(), strict=True):
            rows.append(Candidate(expert_ids[e], tid, round(f, 4), bool(e_county[e] == t_county[t])))
    pick = rng.random(len(rows)) < 0.01
    forbidden = {(rows[i].expert, rows[i].target) for i in np.flatnonzero(pick).tolist()}
    first_row: dict[str, Candidate] = {}
    for row in rows:
        first_row.setdefault(row.target, row)
    room = dict(zip(expert_ids, capacity.tolist(), strict=True))
    forced = set()
    lock = rng.choice(n_targets, size=max(1, n_targets // 200), replace=False)
    for t in sorted(lock.tolist()):
        row = first_row.get(target_ids[t])
        if row and (row.expert, row.target) not in forbidden and room[row.expert] > 0:
            room[row.expert] -= 1
            forced.add((row.expert, row.target))
    return {"targets": dict(zip(target_ids, demand.tolist(), strict=True)),
            "experts": dict(zip(expert_ids, capacity.tolist(), strict=True)),
            "candidates": rows, "forbidden": forbidden, "forced": forced}


# ---- alternative flow backends, same signature as assign_module._solve_flow ----

def _flow_scipy(n_e: int, n_t: int, cap: Any, demand: Any, arc_e: Any, arc_t: Any, arc_score: Any) -> Any:
    from scipy import sparse
    from scipy.optimize import linprog
    from scipy.sparse.csgraph import maximum_flow

    if len(arc_e) == 0:
        return np.zeros(0, dtype=np.int64)
    n_arcs = len(arc_e)
    source, sink = 0, n_e + n_t + 1
    tails = np.concatenate([np.zeros(n_e, dtype=np.int64), 1 + arc_e, 1 + n_e + np.arange(n_t)])
    heads = np.concatenate([1 + np.arange(n_e), 1 + n_e + arc_t, np.full(n_t, sink)])
    caps = np.concatenate([cap, np.ones(n_arcs, dtype=np.int64), demand])
    n_nodes = sink + 1
    graph = sparse.csr_matrix((caps.astype(np.int32), (tails, heads)), shape=(n_nodes, n_nodes))
    value = maximum_flow(graph, source, sink).flow_value
    # min-cost circulation with the return arc sink → source fixed at the maximum flow: the constraint
    # matrix is a node-arc incidence matrix, so HiGHS' vertex solution is integral
    tails = np.concatenate([tails, [sink]])
    heads = np.concatenate([heads, [source]])
    cost = np.concatenate([np.zeros(n_e), -arc_score.astype(np.float64), np.zeros(n_t), [0.0]])
    bounds = np.column_stack([np.zeros(len(cost)), np.concatenate([caps, [value]])]).astype(np.float64)
    bounds[-1, 0] = value
    cols = np.arange(len(cost))
    a_eq = sparse.csr_matrix((np.concatenate([np.ones(len(cost)), -np.ones(len(cost))]),
                              (np.concatenate([tails, heads]), np.concatenate([cols, cols]))),
                             shape=(n_nodes, len(cost)))
    res = linprog(cost, A_eq=a_eq, b_eq=np.zeros(n_nodes), bounds=bounds, method="highs-ds")
    if res.status != 0:
        raise RuntimeError(res.message)
    return np.rint(res.x[n_e:n_e + n_arcs]).astype(np.int64)


def _flow_networkx(n_e: int, n_t: int, cap: Any, demand: Any, arc_e: Any, arc_t: Any, arc_score: Any) -> Any:
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_edges_from(("s", ("e", e), {"capacity": c, "weight": 0}) for e, c in enumerate(cap.tolist()))
    graph.add_edges_from((("t", t), "z", {"capacity": d, "weight": 0}) for t, d in enumerate(demand.tolist()))
    graph.add_edges_from((("e", e), ("t", t), {"capacity": 1, "weight": -s})
                         for e, t, s in zip(arc_e.tolist(), arc_t.tolist(), arc_score.tolist(), strict=True))
    flow = nx.max_flow_min_cost(graph, "s", "z")
    return np.array([flow[("e", e)][("t", t)] for e, t in zip(arc_e.tolist(), arc_t.tolist(), strict=True)],
                    dtype=np.int64)


BACKENDS = {"scipy": _flow_scipy, "networkx": _flow_networkx}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(size: str, solver: str, repeat: int) -> dict[str, Any]:
    n_e, n_t = (int(x) for x in size.split("x"))
    started = time.perf_counter()
    problem = synthetic(n_e, n_t)
    build = time.perf_counter() - started
    rss_before = rss_mb()
    inner = BACKENDS.get(solver, assign_module._solve_flow)
    flow_seconds = []

    def timed(*args: Any) -> Any:
        t0 = time.perf_counter()
        out = inner(*args)
        flow_seconds.append(time.perf_counter() - t0)
        return out

    assign_module._solve_flow = timed  # type: ignore[assignment]
    runs: list[float] = []
    cpu_runs: list[float] = []
    for _ in range(repeat):
        phases: list[tuple[str, float]] = []
        cpu = time.process_time()
        started = time.perf_counter()
        result = assign(problem["targets"], problem["experts"], problem["candidates"],
                        forbidden=problem["forbidden"], forced=problem["forced"],
                        progress=lambda phase, done, total, phases=phases, started=started:
                        phases.append((phase, time.perf_counter() - started)))
        runs.append(time.perf_counter() - started)
        cpu_runs.append(time.process_time() - cpu)
    seconds = statistics.median(runs)
    reasons: dict[str, int] = {}
    for u in result.uncovered:
        reasons[u.reason] = reasons.get(u.reason, 0) + u.slots
    return {"size": size, "solver": solver, "pairs": len(problem["candidates"]), "build_s": round(build, 2),
            "assign_s": round(seconds, 3), "cpu_s": round(statistics.median(cpu_runs), 3), "flow_s": round(statistics.median(flow_seconds), 3), "runs": len(runs),
            "rss_before_mb": round(rss_before), "peak_rss_mb": round(rss_mb()),
            "demanded": result.demanded, "covered": result.covered, "objective": result.objective,
            "uncovered": reasons, "forced": len(problem["forced"]), "forbidden": len(problem["forbidden"]),
            "phases": [(p, round(s, 3)) for p, s in phases]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=DEFAULT_SIZES, help="EXPERTSxTARGETS, e.g. 1000x2500")
    parser.add_argument("--solver", choices=["ortools", *BACKENDS], default="ortools")
    parser.add_argument("--repeat", type=int, default=1, help="solve N times, report the median")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.solver, args.repeat)))
        return
    print("| experts × targets | solver | candidate pairs | build s | assign s (CPU s) | of which flow s"
          " | RSS before MB | peak RSS MB | covered / demanded | uncovered by reason | objective |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", size, "--solver", args.solver,
                              "--repeat", str(args.repeat)],
                             capture_output=True, text=True, check=False)
        if out.returncode:
            print(f"| {size} | {args.solver} | failed: {out.stderr.strip().splitlines()[-1:]} |")
            continue
        r = json.loads(out.stdout)
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(r["uncovered"].items())) or "—"
        print(f"| {size.replace('x', ' × ')} | {r['solver']} | {r['pairs']:,} | {r['build_s']} | {r['assign_s']} ({r['cpu_s']}) "
              f"| {r['flow_s']} | {r['rss_before_mb']:,} | {r['peak_rss_mb']:,} | {r['covered']:,} / "
              f"{r['demanded']:,} | {reasons} | {r['objective']:,} |", flush=True)
        print(f"<!-- phases {r['phases']} -->", file=sys.stderr)


if __name__ == "__main__":
    main()
