"""Ranking benchmark: quality on labelled titles and speed at city scale.

``python -m matching.bench ranking [--quick] [--skip-quality] [--skip-speed]``

Quality: the 4,737 labelled titles of ``testcases.csv`` become postings whose occupation
code is the *out-of-fold* prediction of :func:`matching.occupations.cross_validate` (so
no title is coded by a model trained on it); every CSCO 细类 occupation that has postings
becomes a seeker (name, aliases, tasks). For each seeker the postings are ranked and
graded by the deepest level their labelled code shares with the seeker's (细类 3, 小类 2,
中类 1). The ranker is compared in the same run with plain char TF-IDF cosine and with
rapidfuzz ``WRatio`` on names.

Speed: synthetic Chinese, English and mixed texts of about 150 characters, 100,000
seekers (10,000 with ``--quick``).
"""

import csv
import os
import platform
import resource
import statistics
import time
import tracemalloc
from datetime import date, timedelta

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from matching.evaluate import ndcg_at_k
from matching.features import FEATURES, occupation_keys
from matching.index import PostingIndex, SeekerIndex, TextEncoder
from matching.profiles import PostingProfile, SeekerProfile
from matching.ranker import Ranker
from matching.reference import DEFAULT_OCCUPATIONS_PATH, REFERENCE_DIR, load_districts
from matching.skills import load_skills

TESTCASES = REFERENCE_DIR / "testcases.csv"
_EN = [
    "experience",
    "team",
    "sales",
    "customer",
    "service",
    "warehouse",
    "driver",
    "nurse",
    "teacher",
    "accounting",
    "marketing",
    "design",
    "testing",
    "cooking",
    "cleaning",
    "welding",
    "logistics",
    "office",
    "reports",
    "clients",
    "training",
    "quality",
    "safety",
    "maintenance",
    "operations",
]
_EDU = ("junior_high", "senior_high", "secondary_vocational", "junior_college", "bachelor", None)
_MAJORS = ("计算机科学与技术", "会计", "市场营销", "护理", "机械设计制造及其自动化", "烹饪", None)


def _occupations() -> list[dict[str, str]]:
    with open(DEFAULT_OCCUPATIONS_PATH, encoding="utf-8-sig", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["level"] == "4" and r["tasks"]]


def _gain(posting_code: str, seeker_code: str) -> int:
    return len(set(occupation_keys(posting_code)) & set(occupation_keys(seeker_code)))


def _score_lists(order: np.ndarray, gains: np.ndarray) -> tuple[float, float]:
    ranked = gains[order[:10]]
    ndcg = ndcg_at_k(ranked.tolist(), gains.tolist(), 10)
    return ndcg, float(np.mean(ranked == 3))


def quality() -> None:
    """Rank labelled postings for occupation seekers; print nDCG@10 and P@10 per method."""
    from matching.occupations import cross_validate

    print(_load())
    started = time.perf_counter()
    cv = cross_validate(DEFAULT_OCCUPATIONS_PATH, TESTCASES)
    print(f"out-of-fold occupation coding: {time.perf_counter() - started:.1f} s", flush=True)
    with open(TESTCASES, encoding="utf-8-sig", newline="") as handle:
        titles = [r["job_name"] for r in csv.DictReader(handle)]
    expected = list(cv["expected"])  # type: ignore[arg-type]
    predicted = list(cv["predicted"])  # type: ignore[arg-type]
    postings = [
        PostingProfile(id=str(i), title=t, occupation_code=c or None)
        for i, (t, c) in enumerate(zip(titles, predicted, strict=True))
    ]
    fine = {c for c in expected if len(occupation_keys(c)) == 3}
    occupations = [o for o in _occupations() if o["code"] in fine]
    seekers = [
        SeekerProfile(
            id=o["code"],
            text=f"{o['name']} {o['alias'].replace(',', ' ')} {o['tasks']}",
            desired_occupations=[o["code"]],
        )
        for o in occupations
    ]
    print(f"{len(postings)} postings, {len(seekers)} occupation seekers", flush=True)
    gains = np.array([[_gain(e, s.id) for e in expected] for s in seekers])
    index = PostingIndex.build(postings)
    ranker = Ranker()
    text_only = Ranker(weights={f: float(f == "text") for f in FEATURES})
    results: dict[str, list[tuple[float, float]]] = {
        "ranker (default weights)": [],
        "ranker, text part only": [],
        "plain TF-IDF cosine": [],
        "rapidfuzz WRatio": [],
    }
    positions = {p.id: i for i, p in enumerate(postings)}
    for method, model in (
        ("ranker (default weights)", ranker),
        ("ranker, text part only", text_only),
    ):
        for s, seeker in enumerate(seekers):
            rows = model.rank_postings_for_seeker(seeker, index, 10)
            order = np.array([positions[r.id] for r in rows], dtype=int)
            results[method].append(_score_lists(order, gains[s]))
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3))
    vectorizer.fit(titles + [s.text for s in seekers])
    cosine = (
        vectorizer.transform([s.text for s in seekers]) @ vectorizer.transform(titles).T
    ).toarray()
    names = [f"{o['name']} {o['alias']}" for o in occupations]
    fuzzy = process.cdist(names, titles, scorer=fuzz.WRatio, workers=2)
    for method, matrix in (("plain TF-IDF cosine", cosine), ("rapidfuzz WRatio", fuzzy)):
        for s in range(len(seekers)):
            order = np.argsort(-matrix[s], kind="stable")[:10]
            results[method].append(_score_lists(order, gains[s]))
    print(f"{'method':28} nDCG@10  P@10 (same 细类)")
    for method, values in results.items():
        ndcg = np.mean([v[0] for v in values])
        precision = np.mean([v[1] for v in values])
        print(f"{method:28} {ndcg:.3f}    {precision:.3f}")


def synthetic(
    n_seekers: int, n_postings: int, seed: int = 0
) -> tuple[list[SeekerProfile], list[PostingProfile]]:
    """Generate seekers and postings with zh, en and mixed texts of about 150 characters."""
    rng = np.random.default_rng(seed)
    occupations = _occupations()
    skills = [s.zh for s in load_skills()]
    districts = sorted(load_districts())
    groups = ("disabled", "low_income_family", "veteran", "long_term_unemployed")

    def text(o: dict[str, str]) -> str:
        aliases = o["alias"].split(",")
        tasks = [t[2:] for t in o["tasks"].split(" ") if len(t) > 4] or [o["definition"]]
        mode = rng.random()
        parts = [aliases[rng.integers(len(aliases))], o["name"]]
        while sum(map(len, parts)) < 150:
            if mode < 0.2 or (mode < 0.6 and rng.random() < 0.4):
                parts.append(" ".join(rng.choice(_EN, 4)))
            if mode >= 0.2:
                parts.append(tasks[rng.integers(len(tasks))][:50])
        return "，".join(parts)[:160]

    start = date(2025, 3, 1)
    seekers = []
    for i in range(n_seekers):
        o = occupations[rng.integers(len(occupations))]
        seekers.append(
            SeekerProfile(
                id=f"s{i}",
                text=text(o),
                desired_occupations=[o["code"]],
                skills=list(rng.choice(skills, 4)),
                education=_EDU[rng.integers(len(_EDU))],
                major=_MAJORS[rng.integers(len(_MAJORS))],
                district=districts[rng.integers(len(districts))],
                expected_salary=int(rng.integers(25, 120)) * 100,
                available_from=start + timedelta(days=int(rng.integers(-30, 90))),
                priority_groups=[groups[rng.integers(4)]] if rng.random() < 0.1 else [],
                visible=bool(rng.random() < 0.97),
            )
        )
    postings = []
    for i in range(n_postings):
        o = occupations[rng.integers(len(occupations))]
        low = int(rng.integers(25, 100)) * 100
        postings.append(
            PostingProfile(
                id=f"p{i}",
                kind="traineeship" if rng.random() < 0.3 else "job",
                title=o["name"],
                text=text(o),
                occupation_code=o["code"],
                skills=list(rng.choice(skills, 5)),
                min_education=_EDU[rng.integers(len(_EDU))],
                majors=[m for m in [_MAJORS[rng.integers(len(_MAJORS))]] if m],
                district=districts[rng.integers(len(districts))],
                salary_min=low,
                salary_max=low + 2000,
                start=start,
            )
        )
    return seekers, postings


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def speed(scale: float) -> None:
    """Time index build, single-posting ranking, updates and the 10k-posting batch."""
    n_seekers, n_postings = int(100_000 * scale), int(10_000 * scale)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {_load()}"
    )
    started = time.perf_counter()
    seekers, postings = synthetic(n_seekers, n_postings)
    print(
        f"generated {n_seekers} seekers, {n_postings} postings: {time.perf_counter() - started:.1f} s"
    )
    print(f"mean text length: {np.mean([len(s.text) for s in seekers[:2000]]):.0f} chars")
    for jobs in (1, 2):
        started = time.perf_counter()
        index = SeekerIndex.build(seekers, encoder=TextEncoder(n_jobs=jobs))
        built = time.perf_counter() - started
        print(
            f"index build incl. encoder fit, {n_seekers} seekers, hashing on {jobs} "
            f"thread(s): {built:.1f} s ({_load()})",
            flush=True,
        )
    ranker = Ranker()
    timings, cpu = [], []
    for posting in postings[:110]:
        started, started_cpu = time.perf_counter(), time.process_time()
        rows = ranker.rank_seekers_for_posting(posting, index, 10)
        rows[0].reasons_text("zh")
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    timings, cpu = sorted(timings[10:]), sorted(cpu[10:])
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"one posting vs {n_seekers} seekers, top 10 with reasons: "
        f"p50 {1000 * statistics.median(timings):.1f} ms, p95 {1000 * p95:.1f} ms "
        f"(CPU time p50 {1000 * statistics.median(cpu):.1f} ms; {_load()})"
    )
    print("  e.g. " + rows[0].reasons_text("zh"))
    print("       " + rows[0].reasons_text("en"))
    adds = []
    for i in range(40):
        fresh = SeekerProfile(id=f"s{i}", text=seekers[i + 1].text, skills=["python"])
        started = time.perf_counter()
        index.add(fresh)
        adds.append(time.perf_counter() - started)
    print(
        f"single add/update: median {1000 * statistics.median(adds):.1f} ms, "
        f"max {1000 * max(adds):.1f} ms (includes merging small segments), "
        f"{len(index.segments)} segments"
    )
    started = time.perf_counter()
    ranker.rank_seekers_for_posting(postings[0], index, 10)
    print(f"first query after updates: {1000 * (time.perf_counter() - started):.1f} ms")
    started = time.perf_counter()
    index.compact()
    print(f"compact: {time.perf_counter() - started:.1f} s")
    before = _peak_gib()
    started, started_cpu = time.perf_counter(), time.process_time()
    batch = ranker.top_seekers_for_postings(postings, index, k=10)
    took, took_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(
        f"top 10 for each of {n_postings} postings vs {n_seekers} seekers (all features): "
        f"{took:.1f} s (CPU time {took_cpu:.1f} s), peak RSS {_peak_gib():.2f} GiB "
        f"(before: {before:.2f} GiB; {_load()})",
        flush=True,
    )
    sample = postings[:256]
    full = ranker.top_seekers_for_postings(sample, index, k=10, shortlist=len(index))
    same = sum(full[p.id] == batch[p.id] for p in sample)
    print(f"  shortlist + bound vs every pair scored in full: {same}/{len(sample)} lists identical")
    started = time.perf_counter()
    capped = ranker.top_seekers_for_postings(postings, index, k=10, max_lists=3)
    print(
        f"  same with exposure cap 3 lists/seeker: {time.perf_counter() - started:.1f} s; "
        f"max lists per seeker {_max_exposure(batch)} → {_max_exposure(capped)}"
    )
    subset = min(500, n_postings)
    X = index.segments[0].block.text
    Q = index.encoder.transform(PostingIndex._text(p) for p in postings[:subset])
    nn = NearestNeighbors(n_neighbors=10, metric="cosine", algorithm="brute").fit(X)
    started, started_cpu = time.perf_counter(), time.process_time()
    nn.kneighbors(Q)
    baseline = (time.perf_counter() - started) * n_postings / subset
    baseline_cpu = (time.process_time() - started_cpu) * n_postings / subset
    print(
        f"NearestNeighbors(cosine, brute), text part only: {subset} postings timed, "
        f"extrapolated to {n_postings}: {baseline:.1f} s (CPU time {baseline_cpu:.1f} s; "
        f"{_load()}); ratio ours/baseline {took / baseline:.2f} wall, "
        f"{took_cpu / baseline_cpu:.2f} CPU"
    )
    _sparse_dot_topn(index, postings, took)


def _sparse_dot_topn(index: SeekerIndex, postings: list[PostingProfile], ours: float) -> None:
    """Time ``sparse_dot_topn`` (a dev dependency) on the text part alone: the strongest baseline."""
    try:
        from sparse_dot_topn import sp_matmul_topn
    except ImportError:
        print("sparse_dot_topn not installed (pip install -e '.[dev]'): baseline skipped")
        return
    X = index.segments[0].block.text_t.tocsr()
    Q = index.encoder.transform(PostingIndex._text(p) for p in postings)
    started, started_cpu = time.perf_counter(), time.process_time()
    sp_matmul_topn(Q, X, top_n=10, n_threads=os.cpu_count() or 1)
    wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    print(
        f"sparse_dot_topn, text part only, all {len(postings)} postings on {os.cpu_count()} "
        f"threads: {wall:.1f} s (CPU time {cpu:.1f} s; {_load()}); "
        f"ratio ours (all features)/sparse_dot_topn {ours / wall:.2f} wall"
    )


def recommend(scale: float) -> None:
    """Time one seeker's recommendations against 20,000 postings (the ``/me/recommended`` page)."""
    n_postings = int(20_000 * scale)
    seekers, postings = synthetic(200, n_postings, seed=1)
    started = time.perf_counter()
    index = PostingIndex.build(postings)
    print(f"posting index, {n_postings} postings: {time.perf_counter() - started:.1f} s")
    ranker = Ranker()
    timings, cpu, peaks = [], [], []
    for seeker in seekers[:60]:
        tracemalloc.start()
        started, started_cpu = time.perf_counter(), time.process_time()
        ranker.rank_postings_for_seeker(seeker, index, 10)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    timings, cpu = sorted(timings[10:]), sorted(cpu[10:])
    print(
        f"one seeker vs {n_postings} postings, top 10 with reasons: "
        f"p50 {1000 * statistics.median(timings):.1f} ms, "
        f"p95 {1000 * timings[int(0.95 * (len(timings) - 1))]:.1f} ms "
        f"(CPU time p50 {1000 * statistics.median(cpu):.1f} ms), "
        f"memory allocated per call p50 {statistics.median(peaks):.1f} MiB ({_load()})"
    )


def _max_exposure(lists: dict[str, list[tuple[str, float]]]) -> int:
    counts: dict[str, int] = {}
    for ranked in lists.values():
        for sid, _ in ranked:
            counts[sid] = counts.get(sid, 0) + 1
    return max(counts.values(), default=0)


def million(n_seekers: int = 1_000_000, n_postings: int = 60) -> None:
    """One posting against a million seekers: index build, p50/p95 of the top 10, memory."""
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {_load()}")
    started = time.perf_counter()
    seekers, postings = synthetic(n_seekers, n_postings, seed=1)
    print(f"generated {n_seekers:,} seekers: {time.perf_counter() - started:.0f} s", flush=True)
    before = _peak_gib()
    started = time.perf_counter()
    index = SeekerIndex.build(seekers, encoder=TextEncoder(n_jobs=2))
    print(
        f"index build, {n_seekers:,} seekers: {time.perf_counter() - started:.0f} s; peak RSS "
        f"{_peak_gib():.1f} GiB (profiles alone {before:.1f} GiB)",
        flush=True,
    )
    ranker = Ranker()
    timings = []
    for posting in postings:
        started = time.perf_counter()
        rows = ranker.rank_seekers_for_posting(posting, index, 10)
        rows[0].reasons_text("zh")
        timings.append(time.perf_counter() - started)
    timings = sorted(timings[10:])
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"one posting vs {n_seekers:,} seekers, top 10 with reasons: "
        f"p50 {1000 * statistics.median(timings):.1f} ms, p95 {1000 * p95:.1f} ms ({_load()})"
    )


def main(argv: list[str]) -> None:
    """Run the quality and speed parts (``--quick``: speed at 1/10 size; ``--million``: only
    one posting against a million seekers)."""
    if "--million" in argv:
        million()
        return
    if "--skip-quality" not in argv and "--recommend-only" not in argv:
        quality()
    if "--skip-speed" not in argv:
        recommend(0.1 if "--quick" in argv else 1.0)
    if "--skip-speed" not in argv and "--recommend-only" not in argv:
        speed(0.1 if "--quick" in argv else 1.0)
