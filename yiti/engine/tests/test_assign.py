"""The coverage solver (yiti.engine.assign) against an exact reference and its own promises."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from yiti.engine import (
    FIT_SCALE,
    REASONS,
    AssignedPair,
    Assignment,
    AssignmentError,
    Candidate,
    Uncovered,
    assign,
)


def score_int(c: Candidate, weight: float) -> int:
    return round((c.fit + (weight if c.same_county else 0.0)) * FIT_SCALE)


def reference(targets: dict[str, int], experts: dict[str, int], candidates: list[Candidate],
              forbidden: set[tuple[str, str]], forced: set[tuple[str, str]], weight: float) -> tuple[int, int]:
    """(covered slots, objective) by networkx max_flow_min_cost, forced pairs taken first."""
    room = dict(experts)
    need = dict(targets)
    by_pair = {(c.expert, c.target): c for c in candidates}
    objective = 0
    for e, t in forced:
        room[e] -= 1
        need[t] -= 1
        objective += score_int(by_pair[(e, t)], weight) if (e, t) in by_pair else 0
    graph = nx.DiGraph()
    graph.add_node("S")
    graph.add_node("Z")
    for e, c in room.items():
        graph.add_edge("S", ("e", e), capacity=c, weight=0)
    for t, d in need.items():
        graph.add_edge(("t", t), "Z", capacity=d, weight=0)
    top = 2 * FIT_SCALE
    scores = {}
    for c in candidates:
        if (c.expert, c.target) in forbidden or (c.expert, c.target) in forced:
            continue
        scores[(c.expert, c.target)] = score_int(c, weight)
        graph.add_edge(("e", c.expert), ("t", c.target), capacity=1, weight=top - score_int(c, weight))
    flow = nx.max_flow_min_cost(graph, "S", "Z")
    covered = len(forced)
    for (e, t), s in scores.items():
        if flow[("e", e)][("t", t)]:
            covered += 1
            objective += s
    return covered, objective


def random_case(rng: random.Random) -> dict:
    n_e, n_t = rng.randint(1, 8), rng.randint(1, 10)
    experts = {f"e{i}": rng.randint(0, 3) for i in range(n_e)}
    targets = {f"t{i}": rng.choice([0, 1, 1, 1, 2, 3]) for i in range(n_t)}
    candidates = []
    for e in experts:
        for t in targets:
            if rng.random() < 0.45:
                # coarse fits make ties frequent
                fit = rng.choice([0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 1.0]) if rng.random() < 0.5 else rng.random()
                candidates.append(Candidate(e, t, fit, rng.random() < 0.3))
    forbidden = {(c.expert, c.target) for c in candidates if rng.random() < 0.15}
    forbidden |= {(rng.choice(list(experts)), rng.choice(list(targets))) for _ in range(rng.randint(0, 2))}
    forbidden.add(("somebody-else", "t0"))  # unknown ids in the forbidden set are ignored
    forced: set[tuple[str, str]] = set()
    if rng.random() < 0.5:
        room, need = dict(experts), dict(targets)
        pool = [(c.expert, c.target) for c in candidates if rng.random() < 0.2]
        pool += [(rng.choice(list(experts)), rng.choice(list(targets)))]  # maybe not a candidate: fit 0
        for e, t in pool:
            if (e, t) not in forbidden and (e, t) not in forced and room[e] > 0 and need[t] > 0:
                forced.add((e, t))
                room[e] -= 1
                need[t] -= 1
    weight = rng.choice([0.0, 0.1, 0.35])
    return {"targets": targets, "experts": experts, "candidates": candidates, "forbidden": forbidden,
            "forced": forced, "weight": weight}


def solve(case: dict) -> Assignment:
    return assign(case["targets"], case["experts"], case["candidates"], forbidden=case["forbidden"],
                  forced=case["forced"], same_county_weight=case["weight"])


def check_constraints(case: dict, result: Assignment) -> None:
    by_pair = {(c.expert, c.target): c for c in case["candidates"]}
    pairs = [(p.expert, p.target) for p in result.pairs]
    assert len(pairs) == len(set(pairs))
    assert pairs == sorted(pairs, key=lambda p: (p[1], p[0]))
    for p in result.pairs:
        key = (p.expert, p.target)
        assert key not in case["forbidden"]
        assert key in by_pair or key in case["forced"]
        assert p.forced == (key in case["forced"])
        expected_fit = by_pair[key].fit if key in by_pair else 0.0
        assert p.fit == expected_fit
    assert case["forced"] <= set(pairs)
    load = {e: 0 for e in case["experts"]}
    covered = {t: 0 for t in case["targets"]}
    for e, t in pairs:
        load[e] += 1
        covered[t] += 1
    assert result.load == load
    for e, n in load.items():
        assert n <= case["experts"][e]
    for t, n in covered.items():
        assert n <= case["targets"][t]
        assert result.coverage[t].covered == n and result.coverage[t].demand == case["targets"][t]
        assert sorted(result.coverage[t].experts) == sorted(e for e, t2 in pairs if t2 == t)
    assert result.covered == len(pairs) and result.demanded == sum(case["targets"].values())
    assert result.objective == sum(score_int(by_pair[k], case["weight"]) for k in pairs if k in by_pair)

    # every missing slot has exactly one reason, and the reason is true
    missing = {t: case["targets"][t] - covered[t] for t in case["targets"]}
    explained = {t: 0 for t in case["targets"]}
    for u in result.uncovered:
        assert u.reason in REASONS and u.slots > 0
        explained[u.target] += u.slots
        fitting = {e for (e, t) in by_pair if t == u.target}
        if u.reason == "no_capacity":
            assert u.experts and all(e in fitting and load[e] == case["experts"][e] for e in u.experts)
            assert all((e, u.target) not in case["forbidden"] and (e, u.target) not in pairs for e in u.experts)
        elif u.reason == "forbidden":
            assert u.experts and all(e in fitting and (e, u.target) in case["forbidden"] for e in u.experts)
        else:
            assert u.experts == ()
            allowed_free = {e for e in fitting if (e, u.target) not in case["forbidden"]
                            and (e, u.target) not in pairs}
            banned = {e for e in fitting if (e, u.target) in case["forbidden"]}
            # no_candidate only once the full and the forbidden experts that fit are used up
            reasons = [v.reason for v in result.uncovered if v.target == u.target]
            if allowed_free:
                assert "no_capacity" in reasons
            if banned:
                assert "forbidden" in reasons
    assert explained == missing


@pytest.mark.parametrize("seed", range(200))
def test_matches_networkx_reference_and_keeps_every_constraint(seed: int) -> None:
    case = random_case(random.Random(seed))
    result = solve(case)
    covered, objective = reference(case["targets"], case["experts"], case["candidates"], case["forbidden"],
                                   case["forced"], case["weight"])
    assert (result.covered, result.objective) == (covered, objective)
    check_constraints(case, result)


def test_same_answer_whatever_the_input_order() -> None:
    rng = random.Random(7)
    for _ in range(30):
        case = random_case(rng)
        first = solve(case)
        shuffled = dict(case)
        shuffled["candidates"] = rng.sample(case["candidates"], len(case["candidates"]))
        shuffled["targets"] = dict(rng.sample(list(case["targets"].items()), len(case["targets"])))
        shuffled["experts"] = dict(rng.sample(list(case["experts"].items()), len(case["experts"])))
        shuffled["forbidden"] = list(rng.sample(sorted(case["forbidden"]), len(case["forbidden"])))
        shuffled["forced"] = list(rng.sample(sorted(case["forced"]), len(case["forced"])))
        assert solve(shuffled) == first
        assert solve(case) == first


def test_ties_give_the_same_pairs_on_every_run() -> None:
    experts = {f"e{i}": 1 for i in range(6)}
    targets = {f"t{i}": 1 for i in range(4)}
    candidates = [Candidate(e, t, 0.5) for e in experts for t in targets]  # all tied
    runs = {assign(targets, experts, rng_order).pairs
            for rng_order in (candidates, candidates[::-1], sorted(candidates, key=lambda c: c.target))}
    assert len(runs) == 1


def test_coverage_comes_before_fit() -> None:
    # e1 is the best fit for t1, but taking it leaves t2 uncovered: the solver covers both
    result = assign({"t1": 1, "t2": 1}, {"e1": 1, "e2": 1},
                    [Candidate("e1", "t1", 0.9), Candidate("e1", "t2", 0.8), Candidate("e2", "t1", 0.1)])
    assert [(p.expert, p.target) for p in result.pairs] == [("e2", "t1"), ("e1", "t2")]
    assert result.complete and result.uncovered == ()
    assert result.total_fit == pytest.approx(0.9)


def test_same_county_weight_is_added_to_the_fit() -> None:
    candidates = [Candidate("near", "t", 0.6, same_county=True), Candidate("far", "t", 0.65)]
    near = assign(["t"], {"near": 1, "far": 1}, candidates, same_county_weight=0.1)
    assert [(p.expert, p.score) for p in near.pairs] == [("near", pytest.approx(0.7))]
    far = assign(["t"], {"near": 1, "far": 1}, candidates, same_county_weight=0.0)
    assert [p.expert for p in far.pairs] == ["far"]


def test_partial_coverage_reason_codes() -> None:
    experts = {"busy": 1, "zero": 0, "colleague": 2, "spare": 5}
    targets = {"a": 1, "b": 1, "lonely": 1, "conflict": 1, "many": 3, "nobody-fits": 2}
    candidates = [
        Candidate("busy", "a", 0.9),
        Candidate("busy", "b", 0.8),        # busy can take only one of a / b
        Candidate("zero", "lonely", 0.7),   # fits, but has no capacity left
        Candidate("colleague", "conflict", 0.9),  # same organisation
        Candidate("spare", "many", 0.5),    # many wants 3: spare + (colleague forbidden) + nobody
        Candidate("colleague", "many", 0.4),
    ]
    forbidden = {("colleague", "conflict"), ("colleague", "many")}
    result = assign(targets, experts, candidates, forbidden=forbidden)
    assert {(p.expert, p.target) for p in result.pairs} == {("busy", "a"), ("spare", "many")}
    assert result.uncovered == (
        Uncovered("b", "no_capacity", 1, ("busy",)),
        Uncovered("conflict", "forbidden", 1, ("colleague",)),
        Uncovered("lonely", "no_capacity", 1, ("zero",)),
        Uncovered("many", "forbidden", 1, ("colleague",)),
        Uncovered("many", "no_candidate", 1, ()),
        Uncovered("nobody-fits", "no_candidate", 2, ()),
    )
    assert (result.covered, result.demanded, result.complete) == (2, 9, False)
    assert result.coverage["many"].experts == ("spare",) and result.coverage["nobody-fits"].covered == 0


def test_forced_pairs_count_against_capacity_and_demand() -> None:
    candidates = [Candidate("e1", "t1", 0.2), Candidate("e1", "t2", 0.9), Candidate("e2", "t1", 0.95)]
    result = assign({"t1": 1, "t2": 1}, {"e1": 1, "e2": 1}, candidates, forced={("e1", "t1")})
    assert result.pairs == (AssignedPair("e1", "t1", 0.2, 0.2, False, True),)
    assert result.uncovered == (Uncovered("t2", "no_capacity", 1, ("e1",)),)
    # a locked pair that is not a candidate is kept, with fit 0
    hand = assign({"t1": 1}, {"e9": 1}, [], forced=[("e9", "t1")])
    assert hand.pairs == (AssignedPair("e9", "t1", 0.0, 0.0, False, True),) and hand.objective == 0


def test_targets_as_ids_want_one_expert_and_empty_input_is_fine() -> None:
    result = assign(["x", "y"], {"e": 2}, [Candidate("e", "x", 0.5)])
    assert result.coverage["y"].demand == 1 and result.uncovered == (Uncovered("y", "no_candidate", 1, ()),)
    empty = assign({}, {}, [])
    assert (empty.pairs, empty.uncovered, empty.covered, empty.demanded) == ((), (), 0, 0)
    no_experts = assign({"t": 2}, {}, [])
    assert no_experts.uncovered == (Uncovered("t", "no_candidate", 2, ()),)


def test_plain_tuples_work_as_candidates() -> None:
    result = assign(["t"], {"e": 1}, [("e", "t", 0.5, True)], same_county_weight=0.25)
    assert result.pairs == (AssignedPair("e", "t", 0.5, 0.75, True, False),)


def test_progress_reports_phases_in_order() -> None:
    seen: list[tuple[str, int, int]] = []
    assign(["t"], {"e": 1}, [Candidate("e", "t", 0.5)], progress=lambda *a: seen.append(a))
    assert [s[0] for s in seen] == ["prepare", "solve", "reasons", "done"]
    assert [s[1] for s in seen] == [0, 1, 2, 3] and {s[2] for s in seen} == {3}


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"targets": {"t": -1}}, "bad_demand"),
    ({"targets": {"t": 1.5}}, "bad_demand"),
    ({"experts": {"e": -2}}, "bad_capacity"),
    ({"experts": {"e": True}}, "bad_capacity"),
    ({"candidates": [Candidate("e", "t", 1.2)]}, "bad_fit"),
    ({"candidates": [Candidate("e", "t", float("nan"))]}, "bad_fit"),
    ({"candidates": [("e", "t", "high", False)]}, "bad_fit"),
    ({"candidates": [("e", "t")]}, "bad_candidate"),
    ({"candidates": [Candidate("x", "t", 0.5)]}, "unknown_expert"),
    ({"candidates": [Candidate("e", "x", 0.5)]}, "unknown_target"),
    ({"candidates": [Candidate("e", "t", 0.5), Candidate("e", "t", 0.6)]}, "duplicate_pair"),
    ({"forced": [("x", "t")]}, "unknown_expert"),
    ({"forced": [("e", "x")]}, "unknown_target"),
    ({"forced": [("e", "t")], "forbidden": {("e", "t")}}, "forced_forbidden"),
    ({"forced": [("e", "t"), ("e", "u")]}, "forced_over_capacity"),
    ({"forced": [("e", "t"), ("f", "t")]}, "forced_over_demand"),
    ({"forced": [("e", "t", "extra")]}, "bad_pair"),
    ({"forbidden": [42]}, "bad_pair"),
    ({"same_county_weight": -0.1}, "bad_weight"),
    ({"same_county_weight": float("inf")}, "bad_weight"),
])
def test_bad_input_raises_a_coded_error(kwargs: dict, code: str) -> None:
    args = {"targets": {"t": 1, "u": 1}, "experts": {"e": 1, "f": 1}, "candidates": [Candidate("e", "t", 0.5)]}
    args.update(kwargs)
    with pytest.raises(AssignmentError) as caught:
        assign(args.pop("targets"), args.pop("experts"), args.pop("candidates"), **args)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
