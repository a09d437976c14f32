"""Stable and best-total allocation: textbook answers, properties, floors, second round."""

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.allocation import (
    Program,
    best_total_allocation,
    blocking_pairs,
    check_capacities,
    compare_modes,
    floor_report,
    rank_by_score,
    second_round,
    stable_allocation,
    unacceptable_pairs,
)


def test_a_list_naming_someone_twice_is_refused_by_name() -> None:
    caps = {"A": 1, "B": 1}
    with pytest.raises(ValueError, match="seeker 'b' lists a post twice"):
        stable_allocation({"a": ["A"], "b": ["B", "A", "B"]}, {"A": ["a", "b"], "B": ["b"]}, caps)
    with pytest.raises(ValueError, match="post 'B' lists a seeker twice"):
        stable_allocation({"a": ["A"], "b": ["B"]}, {"A": ["a"], "B": ["a", "b", "a"]}, caps)


def test_only_mutually_listed_pairs_at_known_posts_are_placed() -> None:
    seekers = {"a": ["X", "A"], "b": ["A", "B"], "c": ["B"]}
    posts = {"A": ["ghost", "b", "a"], "B": ["b"]}
    # b is A's first choice; c is not on B's list, X is no post, "ghost" no seeker.
    assert stable_allocation(seekers, posts, {"A": 1, "B": 1}) == {"a": None, "b": "A", "c": None}


def test_gale_shapley_1962_seekers_get_first_choices() -> None:
    seekers = {"a": ["A", "B", "C"], "b": ["B", "C", "A"], "c": ["C", "A", "B"]}
    posts = {"A": ["b", "c", "a"], "B": ["c", "a", "b"], "C": ["a", "b", "c"]}
    caps = dict.fromkeys(posts, 1)
    assert stable_allocation(seekers, posts, caps) == {"a": "A", "b": "B", "c": "C"}
    # With the roles swapped the other side gets its first choices.
    assert stable_allocation(posts, seekers, dict.fromkeys(seekers, 1)) == {
        "A": "b",
        "B": "c",
        "C": "a",
    }


def test_rejection_chain_and_capacity() -> None:
    seekers = {"a": ["X", "Y"], "b": ["X"], "c": ["Y", "X"], "d": ["Y"]}
    posts = {"X": ["c", "b", "a"], "Y": ["d", "a", "c"]}
    assert stable_allocation(seekers, posts, {"X": 1, "Y": 1}) == {
        "a": None,
        "b": None,
        "c": "X",
        "d": "Y",
    }
    # d displaces c at Y, c displaces b at X: a chain of two rejections.
    assert stable_allocation(seekers, posts, {"X": 1, "Y": 2}) == {
        "a": "Y",
        "b": None,
        "c": "X",
        "d": "Y",
    }


def test_unlisted_pairs_are_never_placed() -> None:
    seekers = {"a": ["X"], "b": ["Y"]}
    posts = {"X": ["b"], "Y": ["a"]}
    assert stable_allocation(seekers, posts, {"X": 1, "Y": 1}) == {"a": None, "b": None}


def test_host_cap_keeps_each_posts_best_in_turn() -> None:
    seekers = {"a": ["X"], "b": ["X"], "c": ["Y"], "d": ["Y"]}
    posts = {"X": ["a", "b"], "Y": ["c", "d"]}
    caps = {"X": 2, "Y": 2}
    hosts = {"X": "H", "Y": "H"}
    got = stable_allocation(seekers, posts, caps, host_of=hosts, host_caps={"H": 2})
    assert got == {"a": "X", "b": None, "c": "Y", "d": None}
    assert check_capacities(got, caps, host_of=hosts, host_caps={"H": 2}) == []
    assert blocking_pairs(got, seekers, posts, caps, host_of=hosts, host_caps={"H": 2}) == []
    # Without the host cap b and d would be placed, and then block the capped result.
    assert blocking_pairs(got, seekers, posts, caps) == [("b", "X"), ("d", "Y")]


def test_host_cap_by_score_keeps_best_scores() -> None:
    seekers = {"a": ["X"], "b": ["X"], "c": ["Y"], "d": ["Y"]}
    posts = {"X": ["a", "b"], "Y": ["c", "d"]}
    scores = {("a", "X"): 9, ("b", "X"): 8, ("c", "Y"): 5, ("d", "Y"): 4}
    kw = {"host_of": {"X": "H", "Y": "H"}, "host_caps": {"H": 2}, "scores": scores}
    got = stable_allocation(seekers, posts, {"X": 2, "Y": 2}, **kw)
    assert got == {"a": "X", "b": "X", "c": None, "d": None}
    assert blocking_pairs(got, seekers, posts, {"X": 2, "Y": 2}, **kw) == []


def test_check_capacities_reports_overflows() -> None:
    alloc = {"a": "X", "b": "X", "c": "Z"}
    problems = check_capacities(
        alloc, {"X": 1, "Y": 1}, host_of={"X": "H", "Y": "H"}, host_caps={"H": 1}
    )
    assert problems == [
        "post X: 2 placed, capacity 1",
        "post Z: unknown post holds 1",
        "host H: 2 placed, cap 1",
    ]


def test_rank_by_score_breaks_ties_by_recorded_seed() -> None:
    scores = {(s, "X"): 1.0 for s in "abcdefgh"} | {("z", "X"): 2.0}
    first = rank_by_score(scores, seed=7)
    assert first.seed == 7
    assert first.prefs["X"][0] == "z"
    assert rank_by_score(scores, seed=7) == first
    orders = {tuple(rank_by_score(scores, seed=k).prefs["X"]) for k in range(10)}
    assert len(orders) > 1


# Random small instances -------------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn, max_seekers: int = 8, max_posts: int = 4) -> dict:
    n_s = draw(st.integers(1, max_seekers))
    n_p = draw(st.integers(1, max_posts))
    seekers = [f"s{i}" for i in range(n_s)]
    posts = [f"p{j}" for j in range(n_p)]
    seed = draw(st.integers(0, 10_000))
    rng = random.Random(seed)
    seeker_prefs = {s: rng.sample(posts, rng.randint(0, n_p)) for s in seekers}
    scores = {(s, p): rng.randint(0, 5) for s in seekers for p in posts if rng.random() < 0.8}
    post_prefs = rank_by_score(scores, seed=seed).prefs
    for p in posts:
        post_prefs.setdefault(p, [])
    caps = {p: rng.randint(0, 3) for p in posts}
    host_of = {p: f"h{rng.randint(0, 1)}" for p in posts}
    host_caps = {h: rng.randint(0, 3) for h in sorted(set(host_of.values()))}
    use_hosts = draw(st.booleans())
    by_score = draw(st.booleans())
    return {
        "seeker_prefs": seeker_prefs,
        "post_prefs": post_prefs,
        "capacities": caps,
        "scores": scores,
        "kw": {
            "host_of": host_of if use_hosts else None,
            "host_caps": host_caps if use_hosts else None,
            "scores": scores if use_hosts and by_score else None,
        },
    }


def _stable_ones(inst: dict) -> list[dict]:
    """Enumerate every feasible, mutually acceptable allocation without blocking pairs."""
    sp, pp, caps, kw = inst["seeker_prefs"], inst["post_prefs"], inst["capacities"], inst["kw"]
    seekers = list(sp)
    options = [[None, *[p for p in sp[s] if s in pp[p]]] for s in seekers]
    out = []
    for combo in itertools.product(*options):
        alloc = dict(zip(seekers, combo, strict=True))
        cap_kw = {"host_of": kw["host_of"], "host_caps": kw["host_caps"]}
        if check_capacities(alloc, caps, **cap_kw):
            continue
        if not blocking_pairs(alloc, sp, pp, caps, **kw):
            out.append(alloc)
    return out


def _rank(prefs: list[str], post: str | None) -> int:
    """Position of a post in a seeker's true list; unplaced is next, an unlisted post last."""
    if post is None:
        return len(prefs)
    return prefs.index(post) if post in prefs else len(prefs) + 1


@settings(max_examples=150, deadline=None)
@given(instances())
def test_stable_feasible_acceptable_and_deterministic(inst: dict) -> None:
    sp, pp, caps, kw = inst["seeker_prefs"], inst["post_prefs"], inst["capacities"], inst["kw"]
    got = stable_allocation(sp, pp, caps, **kw)
    assert set(got) == set(sp)
    assert blocking_pairs(got, sp, pp, caps, **kw) == []
    assert check_capacities(got, caps, host_of=kw["host_of"], host_caps=kw["host_caps"]) == []
    assert unacceptable_pairs(got, sp, pp) == []
    assert stable_allocation(sp, pp, caps, **kw) == got
    reversed_order = dict(reversed(list(sp.items())))
    assert stable_allocation(reversed_order, pp, caps, **kw) == got


@settings(max_examples=80, deadline=None)
@given(instances(max_seekers=5, max_posts=3))
def test_seeker_optimal_among_all_stable(inst: dict) -> None:
    sp = inst["seeker_prefs"]
    got = stable_allocation(sp, inst["post_prefs"], inst["capacities"], **inst["kw"])
    stable = _stable_ones(inst)
    assert got in stable
    for other in stable:
        for s in sp:
            assert _rank(sp[s], got[s]) <= _rank(sp[s], other[s])


@settings(max_examples=80, deadline=None)
@given(instances(max_seekers=5, max_posts=3), st.integers(0, 10_000))
def test_no_seeker_gains_by_misreporting(inst: dict, seed: int) -> None:
    sp, pp, caps, kw = inst["seeker_prefs"], inst["post_prefs"], inst["capacities"], inst["kw"]
    truthful = stable_allocation(sp, pp, caps, **kw)
    rng = random.Random(seed)
    liar = rng.choice(list(sp))
    posts = list(pp)
    lie = rng.sample(posts, rng.randint(0, len(posts)))
    lied = stable_allocation(sp | {liar: lie}, pp, caps, **kw)
    assert _rank(sp[liar], truthful[liar]) <= _rank(sp[liar], lied[liar])


@settings(max_examples=60, deadline=None)
@given(instances(max_seekers=5, max_posts=3))
def test_best_total_is_optimal_and_beats_stable(inst: dict) -> None:
    sp, pp, caps, kw, scores = (
        inst["seeker_prefs"],
        inst["post_prefs"],
        inst["capacities"],
        inst["kw"],
        inst["scores"],
    )
    cap_kw = {"host_of": kw["host_of"], "host_caps": kw["host_caps"]}
    modes = compare_modes(sp, pp, scores, caps, **cap_kw)
    best = modes["best_total"]
    assert check_capacities(best.allocation, caps, **cap_kw) == []
    assert unacceptable_pairs(best.allocation, sp, pp) == []
    assert best.total_score >= modes["stable"].total_score
    assert modes["stable"].blocking_pairs == 0
    seekers = list(sp)
    options = [[None, *[p for p in sp[s] if s in pp[p] and (s, p) in scores]] for s in seekers]
    optimum = 0
    for combo in itertools.product(*options):
        alloc = dict(zip(seekers, combo, strict=True))
        if not check_capacities(alloc, caps, **cap_kw):
            optimum = max(optimum, sum(scores[(s, p)] for s, p in alloc.items() if p))
    assert best.total_score == optimum


def test_compare_modes_shows_the_trade_off() -> None:
    seekers = {"a": ["X", "Y"], "b": ["X", "Y"]}
    posts = {"X": ["a", "b"], "Y": ["b", "a"]}
    scores = {("a", "X"): 5, ("a", "Y"): 1, ("b", "X"): 4, ("b", "Y"): 9}
    modes = compare_modes(seekers, posts, scores, {"X": 1, "Y": 1})
    assert modes["stable"].allocation == {"a": "X", "b": "Y"}
    assert modes["stable"].total_score == 14
    scores[("a", "Y")] = 20
    modes = compare_modes(seekers, posts, scores, {"X": 1, "Y": 1})
    assert modes["best_total"].allocation == {"a": "Y", "b": "X"}
    assert modes["best_total"].total_score == 24
    assert modes["best_total"].placed == 2
    assert modes["best_total"].blocking_pairs == 1
    assert modes["best_total"].worse_off == 1
    assert modes["stable"].worse_off == 1


def test_best_total_respects_host_caps() -> None:
    scores = {("a", "X"): 3, ("b", "Y"): 2, ("c", "Z"): 1}
    got = best_total_allocation(
        scores,
        {"X": 1, "Y": 1, "Z": 1},
        host_of={"X": "H", "Y": "H", "Z": "G"},
        host_caps={"H": 1},
    )
    assert got == {"a": "X", "b": None, "c": "Z"}


def test_floor_report_names_shortfall_seats_and_eligible_seekers() -> None:
    alloc = {"a": "X", "b": None, "c": None, "d": None, "e": "Z"}
    programs = {
        "enterprise": Program(minimum=3, quota=4, name_zh="企业见习", name_en="enterprise program"),
        "public": Program(minimum=1),
    }
    program_of = {"X": "enterprise", "Y": "enterprise", "Z": "public"}
    lines = floor_report(
        alloc,
        programs,
        program_of,
        {"X": 2, "Y": 1, "Z": 1},
        {"enterprise": {"a", "b", "c", "outsider"}, "public": {"d"}},
        seeker_prefs={"b": ["Y"], "c": [], "d": ["Z"]},
    )
    ent, pub = lines
    assert ent.message_en == "enterprise program: 1 of at least 3 — short by 2"
    assert ent.message_zh == "企业见习：已安置 1 人，最低 3 人，尚缺 2 人"
    assert ent.free_posts == {"X": 1, "Y": 1}
    assert ent.seats_free == 2
    assert ent.candidates_listed == ["b"]
    assert ent.candidates_unlisted == ["c", "outsider"]
    assert ent.closable
    assert "d" not in ent.candidates_listed + ent.candidates_unlisted
    assert pub.shortfall == 0
    assert pub.message_en == "public: 1 of at least 1 — floor met"
    assert pub.free_posts == {}


def test_floor_report_counts_host_room() -> None:
    lines = floor_report(
        {"a": "X"},
        {"p": Program(minimum=3)},
        {"X": "p", "Y": "p"},
        {"X": 5, "Y": 5},
        {"p": {"b", "c"}},
        host_of={"X": "H", "Y": "H"},
        host_caps={"H": 2},
    )
    assert lines[0].free_posts == {"X": 1, "Y": 1}
    assert lines[0].seats_free == 1
    assert lines[0].shortfall == 2
    assert not lines[0].closable


def test_second_round_keeps_first_round_and_fills_what_is_left() -> None:
    seekers = {"a": ["X"], "b": ["X", "Y"], "c": ["Y"]}
    posts = {"X": ["a", "b"], "Y": ["c", "b"]}
    caps = {"X": 1, "Y": 2}
    first = stable_allocation(seekers, posts, {"X": 1, "Y": 0})
    assert first == {"a": "X", "b": None, "c": None}
    later = {"a": ["X"], "b": ["Y"], "c": ["Y"]}
    got = second_round(first, later, posts, caps)
    assert got == {"a": "X", "b": "Y", "c": "Y"}
    got = second_round(first, later, posts, caps, host_of={"X": "H", "Y": "H"}, host_caps={"H": 2})
    assert got == {"a": "X", "b": None, "c": "Y"}


@settings(max_examples=60, deadline=None)
@given(instances())
def test_second_round_stays_within_caps(inst: dict) -> None:
    sp, pp, caps, kw = inst["seeker_prefs"], inst["post_prefs"], inst["capacities"], inst["kw"]
    cap_kw = {"host_of": kw["host_of"], "host_caps": kw["host_caps"]}
    first = stable_allocation(sp, pp, caps, **kw)
    got = second_round(first, sp, pp, caps, **kw)
    assert {s: p for s, p in got.items() if first[s] is not None} == {
        s: p for s, p in first.items() if p is not None
    }
    assert check_capacities(got, caps, **cap_kw) == []
    assert unacceptable_pairs(got, sp, pp) == []


def test_matching_imports_no_web_framework() -> None:
    import subprocess
    import sys

    code = (
        "import sys, matching.allocation; "
        "bad = [m for m in ('flask', 'sqlalchemy', 'marshmallow', 'app') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
