"""Place seekers in traineeship posts: stable (deferred acceptance) or best total score.

Plain data in, plain data out: preference lists are ``dict[str, list[str]]``, capacities
``dict[str, int]``, an allocation is ``dict[seeker, post | None]``. The algorithm and the
definitions behind it are written down in ``matching/docs/allocation.md``.

A host's cap binds all of its posts together, so when a host is full it must choose between
seekers held at different posts. A host therefore ranks *contracts* (seeker, post), not
seekers. The order is fixed and agrees with every post's own list:

* by default ("rank" order) contract (s, p) ranks by the position of s in p's list, then by
  post id, so a full host keeps each post's best candidates in turn;
* with ``scores`` ("score" order) it ranks by score, highest first, then as above, so a full
  host keeps its best-scoring candidates whatever the post.

A pair (s, p) blocks an allocation when both list each other, s prefers p to its match (or
is unplaced), fewer than cap(p) of p's assignees rank above s at p, and fewer than cap(h) of
the contracts held at p's host h rank above (s, p) in h's order (s's own contract counts if
it is at h). Without host caps this is the textbook hospitals/residents definition.
"""

from __future__ import annotations

import gc
import heapq
import itertools
import random
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

Allocation = dict[str, str | None]
Prefs = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class RankedPosts:
    """Strict post preference lists built from scores, with the seed that broke the ties."""

    prefs: dict[str, list[str]]
    seed: int


@dataclass(frozen=True)
class ModeSummary:
    """What one allocation mode yields: total score, placements, blocking pairs, losers."""

    allocation: Allocation
    total_score: float
    placed: int
    blocking_pairs: int
    worse_off: int


@dataclass(frozen=True)
class Program:
    """A traineeship program: the floor it must reach and the quota it may not pass."""

    minimum: int
    quota: int | None = None
    name_zh: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class FloorLine:
    """One program's floor after allocation, with the seats and seekers that could close it."""

    program: str
    minimum: int
    quota: int | None
    filled: int
    shortfall: int
    free_posts: dict[str, int]
    seats_free: int
    candidates_listed: list[str]
    candidates_unlisted: list[str]
    closable: bool
    message_zh: str
    message_en: str
    notes: list[str] = field(default_factory=list)


def rank_by_score(scores: Mapping[tuple[str, str], float], *, seed: int) -> RankedPosts:
    """Turn (seeker, post) scores into strict post lists, breaking ties by a seeded lottery."""
    seekers = sorted({s for s, _ in scores})
    random.Random(seed).shuffle(seekers)
    lottery = {s: i for i, s in enumerate(seekers)}
    by_post: dict[str, list[tuple[float, int, str]]] = {}
    for (s, p), v in scores.items():
        by_post.setdefault(p, []).append((-v, lottery[s], s))
    prefs = {}
    for p in sorted(by_post):
        rows = by_post[p]
        rows.sort()
        prefs[p] = [s for _, _, s in rows]
    return RankedPosts(prefs=prefs, seed=seed)


def _post_ranks(post_prefs: Prefs) -> dict[str, dict[str, int]]:
    ranks = {}
    for p, lst in post_prefs.items():
        r = dict(zip(lst, range(len(lst)), strict=True))
        if len(r) != len(lst):
            raise ValueError(f"post {p!r} lists a seeker twice")
        ranks[p] = r
    return ranks


def _host_tables(
    posts: list[str],
    host_of: Mapping[str, str] | None,
    host_caps: Mapping[str, int] | None,
) -> tuple[list[int], list[int]]:
    """Map post index to capped-host index (-1 when uncapped) and list the host caps."""
    post_host = [-1] * len(posts)
    hcap: list[int] = []
    if not host_of or not host_caps:
        return post_host, hcap
    index: dict[str, int] = {}
    for i, p in enumerate(posts):
        h = host_of.get(p)
        if h is None or h not in host_caps:
            continue
        if h not in index:
            index[h] = len(hcap)
            hcap.append(host_caps[h])
        post_host[i] = index[h]
    return post_host, hcap


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while millions of acyclic objects are built.

    At city scale its full passes over the caller's data cost a third of the allocation;
    nothing built here forms a reference cycle, so reference counting frees it all.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def stable_allocation(
    seeker_prefs: Prefs,
    post_prefs: Prefs,
    capacities: Mapping[str, int],
    *,
    host_of: Mapping[str, str] | None = None,
    host_caps: Mapping[str, int] | None = None,
    scores: Mapping[tuple[str, str], float] | None = None,
) -> Allocation:
    """Run seeker-proposing deferred acceptance with post and host caps."""
    with _collector_paused():
        return _stable_allocation(seeker_prefs, post_prefs, capacities, host_of, host_caps, scores)


def _stable_allocation(
    seeker_prefs: Prefs,
    post_prefs: Prefs,
    capacities: Mapping[str, int],
    host_of: Mapping[str, str] | None,
    host_caps: Mapping[str, int] | None,
    scores: Mapping[tuple[str, str], float] | None,
) -> Allocation:
    posts = sorted(post_prefs)
    missing = [p for p in posts if p not in capacities]
    if missing:
        raise ValueError(f"no capacity for posts {missing[:5]}")
    pcap = [capacities[p] for p in posts]
    post_host, hcap = _host_tables(posts, host_of, host_caps)
    seekers = list(seeker_prefs)
    n_posts = len(posts)
    open_post = np.array(
        [pcap[i] > 0 and (post_host[i] < 0 or hcap[post_host[i]] > 0) for i in range(n_posts)]
        + [False],
        dtype=bool,
    )
    c_post, c_rank, c_seek, start = _contracts(seeker_prefs, post_prefs, seekers, posts, open_post)
    cur = [-1] * len(seekers)
    if any(h >= 0 for h in post_host):
        hkey = _host_keys(c_post, c_rank, c_seek, posts, seekers, post_prefs, scores)
        _defer_with_hosts(c_post, c_rank, c_seek, start, pcap, post_host, hcap, hkey, cur, n_posts)
    else:
        _defer(c_post, c_rank, start, pcap, cur, n_posts)
    return {s: (posts[c_post[c]] if c >= 0 else None) for s, c in zip(seekers, cur, strict=True)}


def _contracts(
    seeker_prefs: Prefs,
    post_prefs: Prefs,
    seekers: list[str],
    posts: list[str],
    open_post: np.ndarray,
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Flatten mutually acceptable pairs at open posts into contract arrays, in seeker order.

    Returns each contract's post index, the seeker's rank at that post, the seeker index, and
    the offsets of each seeker's contracts. Ids become integers once; the lists are then
    joined by a compiled walk (:func:`matching.kernels.contract_ranks`) rather than one
    dictionary look-up per pair, which at city scale misses the cache.
    """
    from matching.kernels import contract_ranks  # numba is loaded at the first allocation

    n_s, n_p = len(seekers), len(posts)
    pidx = {p: i for i, p in enumerate(posts)}
    sidx = {s: i for i, s in enumerate(seekers)}
    lens = np.fromiter(map(len, seeker_prefs.values()), dtype=np.int64, count=n_s)
    wanted = np.fromiter(
        map(pidx.get, itertools.chain.from_iterable(seeker_prefs.values()), itertools.repeat(n_p)),
        dtype=np.int64,
        count=int(lens.sum()),
    )
    plens = np.fromiter((len(post_prefs[p]) for p in posts), dtype=np.int64, count=n_p)
    listed = np.fromiter(
        map(
            sidx.get,
            itertools.chain.from_iterable(post_prefs[p] for p in posts),
            itertools.repeat(-1),
        ),
        dtype=np.int64,
        count=int(plens.sum()),
    )
    seeker_start = np.concatenate(([0], np.cumsum(lens)))
    ranks, twice_s, twice_p = contract_ranks(
        seeker_start, wanted, np.concatenate(([0], np.cumsum(plens))), listed
    )
    if twice_s >= 0:
        raise ValueError(f"seeker {seekers[twice_s]!r} lists a post twice")
    if twice_p >= 0:
        raise ValueError(f"post {posts[twice_p]!r} lists a seeker twice")
    ok = open_post[wanted] & (ranks >= 0)
    seek_of = np.repeat(np.arange(n_s, dtype=np.int64), lens)
    counts = np.bincount(seek_of[ok], minlength=n_s)
    start = np.concatenate(([0], np.cumsum(counts))).tolist()
    return wanted[ok].tolist(), ranks[ok].tolist(), seek_of[ok].tolist(), start


def _host_keys(
    c_post: list[int],
    c_rank: list[int],
    c_seek: list[int],
    posts: list[str],
    seekers: list[str],
    post_prefs: Prefs,
    scores: Mapping[tuple[str, str], float] | None,
) -> list[int]:
    """Give every contract an integer key: lower means the host prefers it."""
    n_posts = len(posts)
    if scores is None:
        return [r * n_posts + p for p, r in zip(c_post, c_rank, strict=True)]
    for p in posts:
        vals = [scores[(s, p)] for s in post_prefs[p]]
        if any(a < b for a, b in itertools.pairwise(vals)):
            raise ValueError(f"post {p!r} does not list seekers by falling score")
    order = sorted(
        range(len(c_post)),
        key=lambda c: (-scores[(seekers[c_seek[c]], posts[c_post[c]])], c_rank[c], c_post[c]),
    )
    key = [0] * len(c_post)
    for k, c in enumerate(order):
        key[c] = k
    return key


def _defer(
    c_post: list[int],
    c_rank: list[int],
    start: list[int],
    pcap: list[int],
    cur: list[int],
    n_posts: int,
) -> None:
    """Deferred acceptance with post caps only; fills ``cur`` with each seeker's contract."""
    n_s = max(len(cur), 1)
    heaps: list[list[int]] = [[] for _ in range(n_posts)]
    nxt = start[:-1]
    free = list(range(len(cur) - 1, -1, -1))
    push, replace = heapq.heappush, heapq.heapreplace
    while free:
        s = free.pop()
        c = nxt[s]
        end = start[s + 1]
        while c < end:
            p = c_post[c]
            heap = heaps[p]
            # A post's heap holds -(rank * n_s + seeker): its top is the worst seeker it holds.
            key = c_rank[c] * n_s + s
            if len(heap) < pcap[p]:
                push(heap, -key)
                cur[s] = c
                break
            worst = -heap[0]
            if worst > key:
                replace(heap, -key)
                cur[s] = c
                e = worst % n_s
                cur[e] = -1
                free.append(e)
                break
            c += 1
        nxt[s] = c + 1


def _defer_with_hosts(
    c_post: list[int],
    c_rank: list[int],
    c_seek: list[int],
    start: list[int],
    pcap: list[int],
    post_host: list[int],
    hcap: list[int],
    hkey: list[int],
    cur: list[int],
    n_posts: int,
) -> None:
    """Deferred acceptance with post and host caps; hosts choose greedily by contract key."""
    n_c = max(len(c_post), 1)
    pheaps: list[list[int]] = [[] for _ in range(n_posts)]
    hheaps: list[list[int]] = [[] for _ in hcap]
    pcount = [0] * n_posts
    hcount = [0] * len(hcap)
    nxt = start[:-1]
    free = list(range(len(cur) - 1, -1, -1))
    push, pop, replace = heapq.heappush, heapq.heappop, heapq.heapreplace
    while free:
        s = free.pop()
        c = nxt[s]
        end = start[s + 1]
        while c < end:
            p = c_post[c]
            h = post_host[p]
            pk = c_rank[c] * n_c + c
            if pcount[p] == pcap[p]:
                # The post is full: it keeps the better of c and its worst; the host total is unchanged.
                heap = pheaps[p]
                while cur[c_seek[-heap[0] % n_c]] != -heap[0] % n_c:
                    pop(heap)
                worst = -heap[0]
                if worst < pk:
                    c += 1
                    continue
                replace(heap, -pk)
                if h >= 0:
                    push(hheaps[h], -(hkey[c] * n_c + c))
            elif h >= 0 and hcount[h] == hcap[h]:
                # The host is full: it keeps the better of c and its worst contract at any post.
                hheap = hheaps[h]
                while cur[c_seek[-hheap[0] % n_c]] != -hheap[0] % n_c:
                    pop(hheap)
                worst = -hheap[0]
                hk = hkey[c] * n_c + c
                if worst < hk:
                    c += 1
                    continue
                replace(hheap, -hk)
                pcount[c_post[worst % n_c]] -= 1
                pcount[p] += 1
                push(pheaps[p], -pk)
            else:
                pcount[p] += 1
                push(pheaps[p], -pk)
                if h >= 0:
                    hcount[h] += 1
                    push(hheaps[h], -(hkey[c] * n_c + c))
                cur[s] = c
                break
            e = c_seek[worst % n_c]
            cur[e] = -1
            free.append(e)
            cur[s] = c
            break
        nxt[s] = c + 1


def _host_order_key(
    scores: Mapping[tuple[str, str], float] | None,
) -> Callable[[str, str, int], tuple]:
    """Return a function giving the host-order key of seeker s at post p with rank r."""
    if scores is None:
        return lambda s, p, r: (r, p)
    return lambda s, p, r: (-scores[(s, p)], r, p)


def blocking_pairs(
    allocation: Mapping[str, str | None],
    seeker_prefs: Prefs,
    post_prefs: Prefs,
    capacities: Mapping[str, int],
    *,
    host_of: Mapping[str, str] | None = None,
    host_caps: Mapping[str, int] | None = None,
    scores: Mapping[tuple[str, str], float] | None = None,
) -> list[tuple[str, str]]:
    """List the (seeker, post) pairs that block the allocation, in seeker-list order."""
    with _collector_paused():
        ranks = _post_ranks(post_prefs)
    capped = {}
    if host_of and host_caps:
        capped = {p: h for p, h in host_of.items() if h in host_caps}
    key = _host_order_key(scores)
    count: dict[str, int] = {}
    worst: dict[str, int] = {}
    hcount: dict[str, int] = {}
    hworst: dict[str, tuple] = {}
    for s, p in allocation.items():
        if p is None:
            continue
        r = ranks.get(p, {}).get(s)
        if r is None:
            continue
        count[p] = count.get(p, 0) + 1
        worst[p] = max(worst.get(p, -1), r)
        h = capped.get(p)
        if h is not None:
            hcount[h] = hcount.get(h, 0) + 1
            k = key(s, p, r)
            if h not in hworst or hworst[h] < k:
                hworst[h] = k
    found = []
    for s, lst in seeker_prefs.items():
        m = allocation.get(s)
        for p in lst:
            if p == m:
                break
            r = ranks.get(p, {}).get(s)
            if r is None or capacities.get(p, 0) <= 0:
                continue
            if count.get(p, 0) >= capacities[p] and worst[p] < r:
                continue
            h = capped.get(p)
            if h is not None:
                if host_caps[h] <= 0:
                    continue
                if hcount.get(h, 0) >= host_caps[h] and hworst[h] < key(s, p, r):
                    continue
            found.append((s, p))
    return found


def check_capacities(
    allocation: Mapping[str, str | None],
    capacities: Mapping[str, int],
    *,
    host_of: Mapping[str, str] | None = None,
    host_caps: Mapping[str, int] | None = None,
) -> list[str]:
    """List every post or host over its cap and every unknown post (empty when all fit)."""
    used: dict[str, int] = {}
    for p in allocation.values():
        if p is not None:
            used[p] = used.get(p, 0) + 1
    problems = []
    for p, n in sorted(used.items()):
        if p not in capacities:
            problems.append(f"post {p}: unknown post holds {n}")
        elif n > capacities[p]:
            problems.append(f"post {p}: {n} placed, capacity {capacities[p]}")
    if host_of and host_caps:
        hused: dict[str, int] = {}
        for p, n in used.items():
            h = host_of.get(p)
            if h in host_caps:
                hused[h] = hused.get(h, 0) + n
        for h, n in sorted(hused.items()):
            if n > host_caps[h]:
                problems.append(f"host {h}: {n} placed, cap {host_caps[h]}")
    return problems


def unacceptable_pairs(
    allocation: Mapping[str, str | None], seeker_prefs: Prefs, post_prefs: Prefs
) -> list[tuple[str, str]]:
    """List placed pairs where the seeker or the post did not list the other."""
    with _collector_paused():
        return _unacceptable_pairs(allocation, seeker_prefs, post_prefs)


def _unacceptable_pairs(
    allocation: Mapping[str, str | None], seeker_prefs: Prefs, post_prefs: Prefs
) -> list[tuple[str, str]]:
    placed_at: dict[str, set[str]] = {}
    for s, p in allocation.items():
        if p is not None:
            placed_at.setdefault(p, set()).add(s)
    # Each post's list is scanned once, in C, against the few seekers placed there.
    unlisted = {
        (s, p) for p, placed in placed_at.items() for s in placed.difference(post_prefs.get(p, ()))
    }
    return [
        (s, p)
        for s, p in allocation.items()
        if p is not None and ((s, p) in unlisted or p not in seeker_prefs.get(s, ()))
    ]


def best_total_allocation(
    scores: Mapping[tuple[str, str], float],
    capacities: Mapping[str, int],
    *,
    host_of: Mapping[str, str] | None = None,
    host_caps: Mapping[str, int] | None = None,
    scale: int | None = None,
) -> Allocation:
    """Maximise the total score of placed pairs under post and host caps by min-cost flow."""
    seekers = list(dict.fromkeys(s for s, _ in scores))
    posts = sorted({p for _, p in scores if capacities.get(p, 0) > 0})
    if scale is None:
        scale = 1 if all(isinstance(v, int) for v in scores.values()) else 1_000_000
    sidx = {s: i for i, s in enumerate(seekers)}
    n_s, n_p = len(seekers), len(posts)
    pidx = {p: n_s + i for i, p in enumerate(posts)}
    hosts = sorted({host_of[p] for p in posts if host_of and host_of.get(p) in (host_caps or {})})
    hidx = {h: n_s + n_p + i for i, h in enumerate(hosts)}
    source, sink = n_s + n_p + len(hosts), n_s + n_p + len(hosts) + 1

    pairs = [(s, p) for (s, p), v in scores.items() if p in pidx and v > 0]
    tails = [sidx[s] for s, _ in pairs]
    heads = [pidx[p] for _, p in pairs]
    costs = [-round(scores[sp] * scale) for sp in pairs]
    caps = [1] * len(pairs)
    for i in range(n_s):
        tails += (source, i)
        heads += (i, sink)
        costs += (0, 0)
        caps += (1, 1)
    for p in posts:
        tails.append(pidx[p])
        heads.append(hidx.get(host_of.get(p, ""), sink) if host_of else sink)
        costs.append(0)
        caps.append(capacities[p])
    for h in hosts:
        tails.append(hidx[h])
        heads.append(sink)
        costs.append(0)
        caps.append(max(host_caps[h], 0) if host_caps else 0)

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32),
        np.asarray(heads, dtype=np.int32),
        np.asarray(caps, dtype=np.int64),
        np.asarray(costs, dtype=np.int64),
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[source], supplies[sink] = n_s, -n_s
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = flow.flows(np.arange(len(pairs), dtype=np.int32))
    result: Allocation = dict.fromkeys(seekers)
    for (s, p), f in zip(pairs, used.tolist(), strict=True):
        if f:
            result[s] = p
    return result


def _choice_rank(seeker_prefs: Prefs, s: str, p: str | None) -> int:
    lst = seeker_prefs.get(s, ())
    return lst.index(p) if p is not None and p in lst else len(lst)


def compare_modes(
    seeker_prefs: Prefs,
    post_prefs: Prefs,
    scores: Mapping[tuple[str, str], float],
    capacities: Mapping[str, int],
    *,
    host_of: Mapping[str, str] | None = None,
    host_caps: Mapping[str, int] | None = None,
    host_by_score: bool = False,
) -> dict[str, ModeSummary]:
    """Summarise the "stable" and "best_total" modes on the same instance side by side."""
    host_scores = scores if host_by_score else None
    stable = stable_allocation(
        seeker_prefs,
        post_prefs,
        capacities,
        host_of=host_of,
        host_caps=host_caps,
        scores=host_scores,
    )
    listed = {p: set(lst) for p, lst in post_prefs.items()}
    acceptable = {
        (s, p): scores[(s, p)]
        for s, lst in seeker_prefs.items()
        for p in lst
        if s in listed.get(p, ()) and (s, p) in scores
    }
    best = best_total_allocation(acceptable, capacities, host_of=host_of, host_caps=host_caps)
    modes = {"stable": stable, "best_total": best}
    ranks = {
        name: {s: _choice_rank(seeker_prefs, s, alloc.get(s)) for s in seeker_prefs}
        for name, alloc in modes.items()
    }
    out = {}
    for name, alloc in modes.items():
        other = "best_total" if name == "stable" else "stable"
        out[name] = ModeSummary(
            allocation=alloc,
            total_score=float(sum(scores[(s, p)] for s, p in alloc.items() if p is not None)),
            placed=sum(p is not None for p in alloc.values()),
            blocking_pairs=len(
                blocking_pairs(
                    alloc,
                    seeker_prefs,
                    post_prefs,
                    capacities,
                    host_of=host_of,
                    host_caps=host_caps,
                    scores=host_scores,
                )
            ),
            worse_off=sum(ranks[name][s] > ranks[other][s] for s in seeker_prefs),
        )
    return out


def _free_seats(
    allocation: Mapping[str, str | None],
    capacities: Mapping[str, int],
    host_of: Mapping[str, str] | None,
    host_caps: Mapping[str, int] | None,
) -> tuple[dict[str, int], dict[str, int]]:
    """Count the seats left at each post and at each capped host."""
    used: dict[str, int] = {}
    for p in allocation.values():
        if p is not None:
            used[p] = used.get(p, 0) + 1
    post_left = {p: c - used.get(p, 0) for p, c in capacities.items()}
    host_left = dict(host_caps or {})
    if host_of:
        for p, n in used.items():
            h = host_of.get(p)
            if h in host_left:
                host_left[h] -= n
    return post_left, host_left


def floor_report(
    allocation: Mapping[str, str | None],
    programs: Mapping[str, Program],
    program_of: Mapping[str, str],
    capacities: Mapping[str, int],
    eligible: Mapping[str, Collection[str]],
    *,
    seeker_prefs: Prefs | None = None,
    host_of: Mapping[str, str] | None = None,
    host_caps: Mapping[str, int] | None = None,
) -> list[FloorLine]:
    """Report each program's placements against its floor and what could close a shortfall."""
    post_left, host_left = _free_seats(allocation, capacities, host_of, host_caps)
    filled: dict[str, int] = {}
    for p in allocation.values():
        if p is not None and p in program_of:
            filled[program_of[p]] = filled.get(program_of[p], 0) + 1
    lines = []
    for name in sorted(programs):
        prog = programs[name]
        n = filled.get(name, 0)
        short = max(prog.minimum - n, 0)
        free = {}
        for p in sorted(q for q, g in program_of.items() if g == name):
            seats = post_left.get(p, 0)
            h = host_of.get(p) if host_of else None
            if h in host_left:
                seats = min(seats, host_left[h])
            if seats > 0:
                free[p] = seats
        unplaced = sorted(s for s in eligible.get(name, ()) if allocation.get(s) is None)
        listed, unlisted = [], []
        for s in unplaced:
            wants = seeker_prefs.get(s, ()) if seeker_prefs else ()
            (listed if any(p in free for p in wants) else unlisted).append(s)
        # Posts of one host share its remaining room, so count each host at most once.
        by_host: dict[str, int] = {}
        room = 0
        for p, seats in free.items():
            h = host_of.get(p) if host_of else None
            if h in host_left:
                by_host[h] = by_host.get(h, 0) + seats
            else:
                room += seats
        room += sum(min(n_h, host_left[h]) for h, n_h in by_host.items())
        notes = []
        if prog.quota is not None:
            room = min(room, prog.quota - n)
            if n > prog.quota:
                notes.append(f"over quota {prog.quota} by {n - prog.quota}")
        closable = short <= min(room, len(unplaced))
        label_zh = prog.name_zh or name
        label_en = prog.name_en or name
        if short:
            zh = f"{label_zh}：已安置 {n} 人，最低 {prog.minimum} 人，尚缺 {short} 人"
            en = f"{label_en}: {n} of at least {prog.minimum} — short by {short}"
        else:
            zh = f"{label_zh}：已安置 {n} 人，最低 {prog.minimum} 人，已达下限"
            en = f"{label_en}: {n} of at least {prog.minimum} — floor met"
        lines.append(
            FloorLine(
                program=name,
                minimum=prog.minimum,
                quota=prog.quota,
                filled=n,
                shortfall=short,
                free_posts=free,
                candidates_listed=listed,
                candidates_unlisted=unlisted,
                seats_free=max(room, 0),
                closable=closable,
                message_zh=zh,
                message_en=en,
                notes=notes,
            )
        )
    return lines


def second_round(
    first: Mapping[str, str | None],
    seeker_prefs: Prefs,
    post_prefs: Prefs,
    capacities: Mapping[str, int],
    *,
    host_of: Mapping[str, str] | None = None,
    host_caps: Mapping[str, int] | None = None,
    scores: Mapping[tuple[str, str], float] | None = None,
) -> Allocation:
    """Place the still unplaced seekers in the seats left, keeping first-round placements."""
    post_left, host_left = _free_seats(first, capacities, host_of, host_caps)
    rest = {s: lst for s, lst in seeker_prefs.items() if first.get(s) is None}
    open_posts = {
        p: [s for s in lst if s in rest] for p, lst in post_prefs.items() if post_left.get(p, 0) > 0
    }
    later = stable_allocation(
        rest,
        open_posts,
        {p: post_left[p] for p in open_posts},
        host_of=host_of,
        host_caps={h: max(n, 0) for h, n in host_left.items()},
        scores=scores,
    )
    result: Allocation = dict(first)
    result.update(later)
    return result
