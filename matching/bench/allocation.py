"""Benchmark allocation: agreement and speed against the ``matching`` library, city scale, flow.

``python -m matching.bench allocation [--quick]``. The PyPI ``matching`` library shares our
package's import name, so it is installed into its own directory under the system temp dir
and run in a subprocess whose path holds only that directory and the standard library.
"""

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from matching.allocation import (
    best_total_allocation,
    blocking_pairs,
    check_capacities,
    compare_modes,
    rank_by_score,
    stable_allocation,
    unacceptable_pairs,
)
from matching.kernels import warm_up

LIB_DIR = Path(tempfile.gettempdir()) / "jianxi-bench" / "matchinglib"

# Runs with ``python -I -S``: no site-packages, no editable install of this repository.
LIB_RUNNER = r"""
import json, sys, threading, time, warnings
sys.path.insert(0, sys.argv[1])
import matching
assert matching.__file__.startswith(sys.argv[1]), matching.__file__
from matching.games import HospitalResident

def run():
    with open(sys.argv[2]) as f:
        inst = json.load(f)
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(
        inst["seeker_prefs"], inst["post_prefs"], inst["capacities"]
    )
    result = game.solve(optimal="resident")
    seconds = time.perf_counter() - t0
    alloc = {r: None for r in inst["seeker_prefs"]}
    for hospital, residents in result.items():
        for r in residents:
            alloc[r.name] = hospital.name
    out["value"] = {"seconds": seconds, "allocation": alloc}

out = {}
sys.setrecursionlimit(1_000_000)
threading.stack_size(512 * 1024 * 1024)
worker = threading.Thread(target=run)
worker.start()
worker.join()
print(json.dumps(out["value"]))
"""


def make_instance(n_seekers: int, n_posts: int, seats: int, seed: int) -> dict:
    """Build seekers ranking 10–30 posts, scored pairs and posts ranked by score with ties."""
    rng = random.Random(seed)
    posts = [f"p{j}" for j in range(n_posts)]
    seeker_prefs = {}
    scores = {}
    for i in range(n_seekers):
        s = f"s{i}"
        chosen = rng.sample(posts, min(rng.randint(10, 30), n_posts))
        seeker_prefs[s] = chosen
        for p in chosen:
            scores[(s, p)] = rng.randint(0, 100)
    post_prefs = rank_by_score(scores, seed=seed).prefs
    for p in posts:
        post_prefs.setdefault(p, [])
    base, extra = divmod(seats, n_posts)
    bonus = set(rng.sample(posts, extra))
    capacities = {p: base + (p in bonus) for p in posts}
    return {
        "seeker_prefs": seeker_prefs,
        "post_prefs": post_prefs,
        "capacities": capacities,
        "scores": scores,
    }


def ensure_library() -> Path | None:
    """Install the ``matching`` library into the cache dir if missing; None if pip cannot."""
    if (LIB_DIR / "matching" / "games").is_dir():
        return LIB_DIR
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(LIB_DIR)]
    try:
        subprocess.run([*cmd, "matching"], check=True, capture_output=True, timeout=300)
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"  skipping the library comparison: pip could not install `matching` ({exc})")
        return None
    return LIB_DIR


def run_library(lib: Path, inst: dict) -> tuple[float, dict]:
    """Solve the instance with ``HospitalResident`` in a clean subprocess."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({k: inst[k] for k in ("seeker_prefs", "post_prefs", "capacities")}, f)
    try:
        out = subprocess.run(
            [sys.executable, "-I", "-S", "-c", LIB_RUNNER, str(lib), f.name],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        Path(f.name).unlink()
    data = json.loads(out.stdout)
    return data["seconds"], data["allocation"]


def best_of(runs: int, inst: dict) -> tuple[float, dict]:
    """Time ``stable_allocation`` on the instance, best of ``runs``."""
    best = float("inf")
    alloc: dict = {}
    for _ in range(runs):
        t0 = time.perf_counter()
        alloc = stable_allocation(inst["seeker_prefs"], inst["post_prefs"], inst["capacities"])
        best = min(best, time.perf_counter() - t0)
    return best, alloc


def compare_library(quick: bool) -> None:
    """Check identical resident-optimal results and report the speed ratio."""
    lib = ensure_library()
    if lib is None:
        return
    sizes = [(1_000, 100, 5)] if quick else [(1_000, 100, 10), (10_000, 1_000, 2)]
    for n_s, n_p, count in sizes:
        same = 0
        ratios = []
        for k in range(count):
            inst = make_instance(n_s, n_p, n_s, seed=k)
            ours_s, ours = best_of(3, inst)
            lib_s, theirs = run_library(lib, inst)
            same += ours == theirs
            ratios.append(lib_s / ours_s)
            if k == 0:
                print(
                    f"  {n_s:>6,} seekers / {n_p:>5,} posts: ours {ours_s * 1e3:7.1f} ms, "
                    f"HospitalResident {lib_s:6.2f} s, ratio {lib_s / ours_s:6.0f}×"
                )
        print(
            f"  {n_s:>6,} / {n_p:>5,}: identical on {same} of {count} instances; "
            f"ratio min {min(ratios):.0f}× median {sorted(ratios)[len(ratios) // 2]:.0f}×"
        )


def city_scale(quick: bool) -> None:
    """Allocate and check stability at city scale, with and without host caps."""
    n_s, n_p, seats = (10_000, 1_000, 11_000) if quick else (100_000, 10_000, 110_000)
    started = time.perf_counter()
    warm_up()
    print(
        f"  numba kernels loaded (once per process, not timed below): {time.perf_counter() - started:.2f} s"
    )
    inst = make_instance(n_s, n_p, seats, seed=2024)
    sp, pp, caps = inst["seeker_prefs"], inst["post_prefs"], inst["capacities"]
    posts = list(caps)
    host_of = {p: f"h{j // 5}" for j, p in enumerate(posts)}
    host_caps: dict[str, int] = {}
    for p, h in host_of.items():
        host_caps[h] = host_caps.get(h, 0) + caps[p]
    host_caps = {h: n * 4 // 5 for h, n in host_caps.items()}
    for label, kw in [
        ("no host caps", {}),
        ("host caps", {"host_of": host_of, "host_caps": host_caps}),
    ]:
        t0 = time.perf_counter()
        alloc = stable_allocation(sp, pp, caps, **kw)
        t1 = time.perf_counter()
        blocking = blocking_pairs(alloc, sp, pp, caps, **kw)
        over = check_capacities(alloc, caps, **kw)
        bad = unacceptable_pairs(alloc, sp, pp)
        t2 = time.perf_counter()
        placed = sum(p is not None for p in alloc.values())
        print(
            f"  {n_s:,} seekers / {n_p:,} posts / {seats:,} seats, {label}: allocate "
            f"{t1 - t0:.2f} s, check {t2 - t1:.2f} s, total {t2 - t0:.2f} s; placed {placed:,}; "
            f"blocking pairs {len(blocking)}, capacity problems {len(over)}, "
            f"unacceptable {len(bad)}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process (instance included): {peak:,.0f} MiB")


def flow_modes(quick: bool) -> None:
    """Time the best-total flow and set it against the stable allocation."""
    n_s, n_p = (1_000, 100) if quick else (10_000, 1_000)
    inst = make_instance(n_s, n_p, n_s, seed=7)
    t0 = time.perf_counter()
    modes = compare_modes(
        inst["seeker_prefs"], inst["post_prefs"], inst["scores"], inst["capacities"]
    )
    seconds = time.perf_counter() - t0
    print(f"  {n_s:,} / {n_p:,}: compare_modes (stable + flow + checks) {seconds:.2f} s")
    for name, m in modes.items():
        print(
            f"  {name:>10}: total score {m.total_score:,.0f}, placed {m.placed:,}, "
            f"blocking pairs {m.blocking_pairs:,}, seekers worse off than in the other mode "
            f"{m.worse_off:,}"
        )
    t0 = time.perf_counter()
    best_total_allocation(inst["scores"], inst["capacities"])
    print(f"  best_total_allocation alone: {time.perf_counter() - t0:.2f} s")


def main(argv: list[str]) -> None:
    """Run the allocation benchmarks; ``--quick`` uses smaller sizes."""
    quick = "--quick" in argv
    print("-- against the `matching` library's HospitalResident (resident-optimal)", flush=True)
    compare_library(quick)
    print("-- city scale: deferred acceptance plus stability and capacity checks", flush=True)
    city_scale(quick)
    print("-- best total (OR-Tools min-cost flow) against stable", flush=True)
    flow_modes(quick)
