"""Match report: every open post's top-k eligible candidates and three posts per priority-group seeker.

An office picks a district or a program. The candidates are the seekers living in, or
registered (户籍) in, that district; the posts are the district's (or program's) open posts.
Post lists come from the ranker's batch function with each program's eligibility check and
the exposure cap (no seeker appears in more than ``max_lists`` lists); each priority-group
seeker (POLICY.md § 3) gets ``per_seeker`` posts scored by the same linear model. Runs are
stored as ``MatchRun(kind="match_report")`` with their inputs, model and rulebook versions,
seed and the names shown, so a run re-opens exactly as it was.

A post's minimum education is a requirement: a seeker below it comes after everyone who
meets it and is marked, or is left out (``below_education``); the office may leave
employed people out (``exclude_employed``); every candidate carries their employment
status, and every list shorter than k says why (the exposure cap, or too few candidates).

The ranking core (NumPy, SciPy, scikit-learn) is imported by the functions that compute a
run, so pages that only show stored runs do not load it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload, selectinload

from app.errors import NotFound, RuleViolation
from app.extensions import db
from app.models import (
    MatchResult,
    MatchRun,
    Posting,
    Program,
    PushedRecommendation,
    Seeker,
    ServiceRecord,
    User,
)
from app.services import bridge, notices
from app.services.common import (
    audit,
    commit,
    get_or_404,
    office_scope,
    require_office,
    require_office_over,
)
from app.services.recommendations import eligibility_check, ranker
from app.services.rulebooks import program_rulebook
from matching.diversity import cap_exposure

if TYPE_CHECKING:
    import numpy as np

    from matching.features import PostingBlock, SeekerBlock
    from matching.index import SeekerIndex
    from matching.profiles import PostingProfile, SeekerProfile
    from matching.ranker import BelowEducation, Ranker, SeekerCheck
    from matching.reasons import Reason

KIND = "match_report"
DEFAULT_K = 10
DEFAULT_MAX_LISTS = 3
PER_SEEKER = 3
MAX_K = 50
SHORT_BY_CAP = "exposure_cap"
SHORT_FEW = "too_few_candidates"
POOL_FACTOR = 5
PAIR_CHUNK = 256
POST_CHUNK = 256
INSERT_CHUNK = 5000
N_JOBS = 2
# After losing the database (a restart) a run waits for it: this many tries, seconds apart.
DATABASE_TRIES = 10
DATABASE_WAIT = 3.0

Progress = Callable[[float, str], None]
T = TypeVar("T")
log = logging.getLogger("jianxi.services")


def _quiet(fraction: float, stage: str) -> None:
    """A progress callback that reports nothing."""


@dataclass
class Row:
    """One shown pair: a seeker for a post (post view) or a post for a seeker (seeker view)."""

    seeker_id: str
    posting_id: str
    rank: int
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class Assembled:
    """The two views of a report and what the exposure cap did."""

    posts: dict[str, list[Row]]
    seekers: dict[str, list[Row]]
    max_lists: int | None
    capped_seekers: int
    short_lists: int
    short_reasons: dict[str, str] = field(default_factory=dict)


def _members(model: Ranker, block: SeekerBlock) -> np.ndarray:
    """Seekers the ranker boosts on trainee posts (any group when it names none)."""
    import numpy as np

    from matching.features import group_members

    if model.priority_groups is None:
        return np.asarray(block.groups.getnnz(axis=1) > 0)
    return group_members(block, model.priority_groups)


def _details(
    model: Ranker,
    pb: PostingBlock,
    sb: SeekerBlock,
    postings: Sequence[PostingProfile],
    seekers: Sequence[SeekerProfile],
    pairs: list[tuple[int, int, float]],
    context,
) -> list[tuple[dict[str, float], list[Reason]]]:
    """Score parts and reasons of (posting row, seeker row, score) pairs, a chunk at a time."""
    import numpy as np

    from matching.features import FEATURES, feature_matrix
    from matching.reasons import Reason, explain

    w = model.weight_vector().tolist()
    boost = model.boost_value()
    members = _members(model, sb)
    out: list[tuple[dict[str, float], list[Reason]]] = []
    for start in range(0, len(pairs), PAIR_CHUNK):
        chunk = pairs[start : start + PAIR_CHUNK]
        # Each side holds the pairs' rows in order, so the wanted features are the diagonal.
        pc = pb.take(np.array([p for p, _, _ in chunk]))
        sc = sb.take(np.array([s for _, s, _ in chunk]))
        diagonal = np.arange(len(chunk))
        values = feature_matrix(pc, sc, (pc.text @ sc.text_t).toarray())[diagonal, diagonal]
        for (p, s, _score), row in zip(chunk, values.tolist(), strict=True):
            features = dict(zip(FEATURES, row, strict=True))
            parts = {f: round(wf * x, 6) for f, wf, x in zip(FEATURES, w, row, strict=True)}
            reasons = explain(
                seekers[s],
                postings[p],
                features,
                skills=context.skills,
                districts=context.districts,
                occupations=context.occupations,
                seeker_skills=sb.skill_ids[s],
                posting_skills=pb.skill_ids[p],
            )
            if pb.traineeship[p] and members[s] and boost:
                reasons.append(Reason("priority", {"boost": boost}))
            out.append((parts, reasons))
    return out


def assemble(
    model: Ranker,
    index: SeekerIndex,
    postings: Sequence[PostingProfile],
    checks: dict[str | None, SeekerCheck | None],
    priority: Sequence[str],
    k: int = DEFAULT_K,
    max_lists: int | None = DEFAULT_MAX_LISTS,
    per_seeker: int = PER_SEEKER,
    progress: Progress = _quiet,
    below_education: BelowEducation = "last",
) -> Assembled:
    """Build both views of a report from plain profiles (no database): the library-level core."""
    from matching.features import encode_postings, encode_seekers
    from matching.index import PostingIndex

    open_posts = sorted(
        (p for p in postings if p.open and p.slots_left > 0), key=lambda p: _id_key(p.id)
    )
    pool = POOL_FACTOR * k
    by_program: dict[str | None, list[PostingProfile]] = defaultdict(list)
    for p in open_posts:
        by_program[p.program].append(p)
    lists: dict[str, list[tuple[str, float]]] = {}
    for n, (program, group) in enumerate(sorted(by_program.items(), key=lambda x: x[0] or "")):
        lists.update(
            model.top_seekers_for_postings(
                group,
                index,
                k=pool,
                pool=pool,
                eligibility=checks.get(program),
                below_education=below_education,
            )
        )
        progress(0.05 + 0.45 * (n + 1) / len(by_program), "ranked seekers for posts")
    ordered = {p.id: lists.get(p.id, []) for p in open_posts}
    shown = (
        cap_exposure(ordered, k=k, max_lists=max_lists)
        if max_lists
        else {pid: ranked[:k] for pid, ranked in ordered.items()}
    )
    exposure = Counter(s for ranked in shown.values() for s, _ in ranked)
    capped = sum(1 for n in exposure.values() if max_lists and n >= max_lists)
    short = sum(1 for pid, ranked in shown.items() if len(ranked) < min(k, len(ordered[pid])))
    short_reasons = {
        pid: SHORT_BY_CAP if len(ordered[pid]) > len(ranked) else SHORT_FEW
        for pid, ranked in shown.items()
        if len(ranked) < k
    }

    people_ids = sorted(set(exposure) | {s for s in priority if s in index}, key=_id_key)
    people = [index.get(s) for s in people_ids]
    context = index.context
    sb = encode_seekers(people, index.encoder.transform(p.text for p in people), context)
    pb = encode_postings(
        open_posts,
        index.encoder.transform(PostingIndex._text(p) for p in open_posts),
        context,
    )
    s_row = {s: n for n, s in enumerate(people_ids)}
    p_row = {p.id: n for n, p in enumerate(open_posts)}
    post_pairs = [
        (p_row[pid], s_row[s], score) for pid, ranked in shown.items() for s, score in ranked
    ]
    progress(0.55, "encoded shown seekers and posts")
    post_details = _details(model, pb, sb, open_posts, people, post_pairs, context)
    posts: dict[str, list[Row]] = {p.id: [] for p in open_posts}
    for (p, s, score), (parts, reasons) in zip(post_pairs, post_details, strict=True):
        pid = open_posts[p].id
        posts[pid].append(Row(people_ids[s], pid, len(posts[pid]) + 1, score, parts, reasons))

    progress(0.7, "explained post lists")
    seeker_pairs = _posts_for_seekers(
        model,
        pb,
        sb,
        open_posts,
        people,
        [s_row[s] for s in priority if s in s_row],
        checks,
        per_seeker,
        below_education,
    )
    progress(0.85, "recommended posts to priority-group seekers")
    seeker_details = _details(model, pb, sb, open_posts, people, seeker_pairs, context)
    seekers: dict[str, list[Row]] = {s: [] for s in priority if s in s_row}
    for (p, s, score), (parts, reasons) in zip(seeker_pairs, seeker_details, strict=True):
        sid = people_ids[s]
        seekers[sid].append(
            Row(sid, open_posts[p].id, len(seekers[sid]) + 1, score, parts, reasons)
        )
    progress(0.95, "explained recommendations")
    return Assembled(posts, seekers, max_lists, capped, short, short_reasons)


def _id_key(value: str) -> tuple[int, str]:
    return (int(value), value) if value.isdigit() else (0, value)


def _posts_for_seekers(
    model: Ranker,
    pb: PostingBlock,
    sb: SeekerBlock,
    postings: Sequence[PostingProfile],
    people: Sequence[SeekerProfile],
    rows: Sequence[int],
    checks: dict[str | None, SeekerCheck | None],
    per_seeker: int,
    below_education: BelowEducation = "last",
) -> list[tuple[int, int, float]]:
    """Top posts for each given seeker row, skipping trainee posts of programs they may not join.

    Posts whose minimum education the seeker is below come after the others (or are left
    out); the scores returned are without that tier.
    """
    import numpy as np

    from matching.features import linear_scores

    if not rows or not len(pb):
        return []
    weights = model.weight_vector()
    boost = np.float32(model.boost_value())
    below = model.below_education_value(below_education)
    trainee = np.flatnonzero(pb.traineeship)
    window = min(len(pb), 8 * per_seeker)

    def scores(chunk: np.ndarray) -> np.ndarray:
        block = sb.take(chunk)
        score = linear_scores(pb, block, weights, below_education=below)
        score[np.ix_(trainee, np.flatnonzero(_members(model, block)))] += boost
        return score

    # Score chunks of posts against all the seekers at once (the ranker's orientation), keeping
    # each seeker's best ``window`` posts as the chunks come in.
    chunk = np.array(rows)
    block = sb.take(chunk)
    members = np.flatnonzero(_members(model, block))

    def best(start: int) -> tuple[np.ndarray, np.ndarray]:
        part = pb.take(np.arange(start, min(start + POST_CHUNK, len(pb))))
        score = linear_scores(part, block, weights, below_education=below)
        score[np.ix_(np.flatnonzero(part.traineeship), members)] += boost
        m = min(window, score.shape[0])
        top = np.argpartition(-score, m - 1, axis=0)[:m]
        return top + start, np.take_along_axis(score, top, axis=0)

    top = np.empty((0, len(chunk)), dtype=np.int64)
    top_scores = np.empty((0, len(chunk)), dtype=np.float32)
    with ThreadPoolExecutor(max_workers=N_JOBS) as executor:
        for more, more_scores in executor.map(best, range(0, len(pb), POST_CHUNK)):
            top = np.concatenate([top, more])
            top_scores = np.concatenate([top_scores, more_scores])
            if top.shape[0] > window:
                keep = np.argpartition(-top_scores, window - 1, axis=0)[:window]
                top = np.take_along_axis(top, keep, axis=0)
                top_scores = np.take_along_axis(top_scores, keep, axis=0)
    # Best first, ties by row (postings are in id order): sort by row, then stably by score.
    by_row = np.argsort(top, axis=0)
    top = np.take_along_axis(top, by_row, axis=0)
    top_scores = np.take_along_axis(top_scores, by_row, axis=0)
    order = np.argsort(-top_scores, axis=0, kind="stable")
    ranked_rows = np.take_along_axis(top, order, axis=0).T.tolist()
    ranked_scores = np.take_along_axis(top_scores, order, axis=0).T.tolist()
    pairs: list[tuple[int, int, float]] = []
    for col, s in enumerate(chunk.tolist()):
        found = dict(zip(ranked_rows[col], ranked_scores[col], strict=True))
        ranked = [p for p in ranked_rows[col] if np.isfinite(found[p])]
        taken = _eligible_posts(ranked, postings, people[s], checks, per_seeker)
        if len(taken) < per_seeker and len(ranked) == len(ranked_rows[col]):
            # Rare: most of the best posts are trainee posts this person may not take.
            column = scores(np.array([s]))[:, 0]
            found = dict(enumerate(column.tolist()))
            order = [p for p in np.argsort(-column, kind="stable").tolist() if found[p] > -np.inf]
            taken = _eligible_posts(order, postings, people[s], checks, per_seeker)
        # A post whose minimum the seeker is below is shown with its score, the tier taken off.
        pairs.extend((p, s, found[p] - below if found[p] < below / 2 else found[p]) for p in taken)
    return pairs


def _eligible_posts(
    ranked: Sequence[int],
    postings: Sequence[PostingProfile],
    person: SeekerProfile,
    checks: dict[str | None, SeekerCheck | None],
    wanted: int,
) -> list[int]:
    taken: list[int] = []
    for p in ranked:
        post = postings[p]
        check = checks.get(post.program) if post.kind == "traineeship" else None
        if check is None or check(person)[0]:
            taken.append(int(p))
            if len(taken) == wanted:
                break
    return taken


# --- the service: runs stored as MatchRun(kind="match_report") -------------------------------


def _scope_of(user: User | None, district: str | None, program_id: int | None) -> tuple:
    if (district is None) == (program_id is None):
        raise RuleViolation(
            "请选择一个区县或一个计划 / choose one district or one program", field="district_code"
        )
    program = get_or_404(Program, program_id, "计划") if program_id is not None else None
    code = program.district_code if program else district
    if program is None:
        from app.services.common import check_district

        check_district(code)
    if user is not None:
        require_office_over(user, code)
    return code, program


def start_report(
    user: User | None,
    district_code: str | None = None,
    program_id: int | None = None,
    k: int = DEFAULT_K,
    max_lists: int | None = DEFAULT_MAX_LISTS,
    seed: int = 0,
    background: bool = True,
    progress: Progress | None = None,
    below_education: BelowEducation = "last",
    exclude_employed: bool = False,
) -> MatchRun:
    """Record a report run and start it: on a worker when Redis is configured, else now.

    ``background=False`` computes in this process with ``progress`` (the CLI's bar);
    ``user=None`` is the trusted operator at the shell. ``below_education``: seekers below
    a post's minimum education are listed last and marked, or left out (``"exclude"``);
    ``exclude_employed`` leaves out people who already have a job.
    """
    from app.jobs import submit

    code, program = _scope_of(user, district_code, program_id)
    if not 1 <= k <= MAX_K:
        raise RuleViolation(f"k 须在 1–{MAX_K} 之间 / k must be 1–{MAX_K}", field="k")
    if below_education not in ("last", "exclude"):
        raise RuleViolation(
            "学历规则须为 last 或 exclude / below_education must be last or exclude",
            field="below_education",
        )
    run = MatchRun(
        kind=KIND,
        parameters={
            "district_code": code,
            "program_id": program.id if program else None,
            "k": k,
            "max_lists": max_lists,
            "per_seeker": PER_SEEKER,
            "below_education": below_education,
            "exclude_employed": exclude_employed,
            "on": dt.date.today().isoformat(),
            "progress": 0.0,
            "stage": "queued",
        },
        model_version=ranker().model_version,
        rulebook_version=program_rulebook(program).version if program else None,
        seed=seed,
        status="queued",
        created_by=user.id if user else None,
        district_code=code,
    )
    db.session.add(run)
    db.session.flush()
    audit(user, "start_match_report", "match_run", run.id, None, dict(run.parameters))
    commit(what="start match report")
    if not background:
        compute(run.id, progress)
        return db.session.get(MatchRun, run.id)
    job_id = submit("app.services.reports.match_report:compute", run.id)
    db.session.refresh(run)
    if job_id:
        run.parameters = {**run.parameters, "job_id": job_id}
        commit(what="match report job id")
    return run


def _set_progress(run: MatchRun, fraction: float, stage: str, status: str = "running") -> None:
    run.status = status
    run.parameters = {**run.parameters, "progress": round(fraction, 3), "stage": stage}
    commit(what="match report progress")


def _scope_seekers(code: str) -> list[Seeker]:
    return list(
        db.session.scalars(
            select(Seeker)
            .where(Seeker.of_district(code), Seeker.erased_at.is_(None))
            .options(selectinload(Seeker.desired_jobs))
            .order_by(Seeker.id)
        )
    )


def _scope_posts(code: str, program: Program | None) -> list[Posting]:
    stmt = (
        select(Posting)
        .where(Posting.status == "published", Posting.slots_filled < Posting.slots)
        .options(joinedload(Posting.employer), joinedload(Posting.program))
        .order_by(Posting.id)
    )
    if program is not None:
        stmt = stmt.where(Posting.program_id == program.id)
    else:
        stmt = stmt.where(Posting.district_code == code)
    return list(db.session.scalars(stmt))


def compute(run_id: int, progress: Progress | None = None) -> None:
    """Compute a queued report run and store its rows (the worker's and the CLI's entry point).

    A run that loses the database midway (a PostgreSQL restart ends the connection it holds
    while it ranks) starts over once the database is back; a second failure marks it failed.
    """
    run = db.session.get(MatchRun, run_id)
    if run is None or run.kind != KIND:
        raise NotFound("报告不存在 / report run not found")
    try:
        try:
            _compute(run, progress)
        except OperationalError:
            log.warning("match report %s lost the database; starting over once it is back", run_id)
            _compute(_when_back(partial(db.session.get, MatchRun, run_id)), progress)
    except Exception as exc:
        _when_back(partial(_mark_failed, run_id, exc))
        raise


def _when_back(action: Callable[[], T]) -> T:
    """Roll back and do ``action``; while the database is unreachable, wait and try again."""
    tries = DATABASE_TRIES
    while True:
        db.session.rollback()
        try:
            return action()
        except OperationalError:
            tries -= 1
            if tries == 0:
                raise
            time.sleep(DATABASE_WAIT)


def _mark_failed(run_id: int, exc: Exception) -> None:
    """Record the run as failed with the error (otherwise it would stay "running" for good)."""
    run = db.session.get(MatchRun, run_id)
    run.status = "failed"
    run.parameters = {**run.parameters, "stage": "failed", "error": str(exc)[:500]}
    commit(what="match report failed")


def _compute(run: MatchRun, progress: Progress | None) -> None:
    from matching.features import FEATURES
    from matching.index import SeekerIndex

    params = dict(run.parameters)
    program = db.session.get(Program, params["program_id"]) if params["program_id"] else None
    last = [-1.0]

    def report(fraction: float, stage: str) -> None:
        if progress is not None:
            progress(fraction, stage)
        if fraction - last[0] >= 0.1 or stage in ("stored",):
            last[0] = fraction
            _set_progress(run, fraction, stage)

    report(0.0, "loading")
    model = ranker()
    seekers = _scope_seekers(params["district_code"])
    if params.get("exclude_employed"):
        seekers = [s for s in seekers if not s.employed]
    posts = _scope_posts(params["district_code"], program)
    on = dt.date.fromisoformat(params["on"])
    index = SeekerIndex.build([bridge.seeker_profile(s) for s in seekers])
    programs = {p.program for p in posts if p.program is not None}
    checks: dict[str | None, SeekerCheck | None] = {
        str(p.id): eligibility_check(p, on) for p in programs
    }
    priority = [str(s.id) for s in seekers if s.priority_groups]
    result = assemble(
        model,
        index,
        [bridge.posting_profile(p) for p in posts],
        checks,
        priority,
        k=params["k"],
        max_lists=params["max_lists"],
        per_seeker=params["per_seeker"],
        progress=report,
        below_education=params.get("below_education", "last"),
    )
    db.session.execute(delete(MatchResult).where(MatchResult.run_id == run.id))
    stored = [
        {"run_id": run.id, **_stored_row(view, row)}
        for view, rows in (("post", result.posts), ("seeker", result.seekers))
        for items in rows.values()
        for row in items
    ]
    for start in range(0, len(stored), INSERT_CHUNK):
        db.session.execute(insert(MatchResult), stored[start : start + INSERT_CHUNK])
    people = {s.id: s for s in seekers}
    shown = {int(r.seeker_id) for rows in result.posts.values() for r in rows} | {
        int(s) for s in result.seekers
    }
    run.parameters = {
        **params,
        "inputs": {
            "posting_ids": [p.id for p in posts],
            "seeker_ids": [s.id for s in seekers],
            "priority_seeker_ids": [int(s) for s in priority],
            "weights": dict(zip(FEATURES, map(float, model.weight_vector()), strict=True)),
            "priority_boost": model.priority_boost,
            "rulebooks": {
                str(p.id): program_rulebook(p).version for p in sorted(programs, key=lambda p: p.id)
            },
        },
        "labels": {
            "posts": {
                str(p.id): {**_post_label(p), "short_reason": result.short_reasons.get(str(p.id))}
                for p in posts
            },
            "seekers": {
                str(i): {
                    "name": people[i].name,
                    "groups": list(people[i].priority_groups or []),
                    "employed": people[i].employed,
                }
                for i in sorted(shown)
            },
        },
        "summary": {
            "posts": len(result.posts),
            "posts_with_candidates": sum(1 for r in result.posts.values() if r),
            "seekers_in_scope": len(seekers),
            "priority_seekers": len(result.seekers),
            "priority_seekers_with_posts": sum(1 for r in result.seekers.values() if r),
            "seekers_shown": len({r.seeker_id for rows in result.posts.values() for r in rows}),
            "max_lists": result.max_lists,
            "capped_seekers": result.capped_seekers,
            "short_lists": result.short_lists,
            "short_by_cap": sum(1 for r in result.short_reasons.values() if r == SHORT_BY_CAP),
            "short_too_few": sum(1 for r in result.short_reasons.values() if r == SHORT_FEW),
            "below_education_shown": sum(
                1 for rows in result.posts.values() for r in rows if _below(r.reasons)
            ),
        },
        "progress": 1.0,
        "stage": "done",
    }
    run.status = "done"
    commit(what="match report")


def _below(reasons: Sequence[Reason]) -> bool:
    """Whether a row's seeker is below the post's minimum education (its reasons say so)."""
    return any(r.code == "education_below" for r in reasons)


def _post_label(post: Posting) -> dict:
    return {
        "title": post.title,
        "employer": post.employer.name,
        "kind": post.kind,
        "program": post.program.key if post.program else None,
        "district_code": post.district_code,
        "slots_left": post.slots - post.slots_filled,
    }


def _stored_row(view: str, row: Row) -> dict:
    from matching.reasons import render

    return {
        "seeker_id": int(row.seeker_id),
        "posting_id": int(row.posting_id),
        "rank": row.rank,
        "score": round(float(row.score), 6),
        "parts": row.parts,
        "reasons": [
            {"code": "view", "view": view},
            {"code": "rendered", "zh": render(row.reasons, "zh"), "en": render(row.reasons, "en")},
            *(
                {
                    "code": r.code,
                    **{k: v for k, v in r.params.items() if isinstance(v, str | int | float)},
                }
                for r in row.reasons
            ),
        ],
    }


def get_run(user: User, run_id: int) -> MatchRun:
    """Load a report run the office may see."""
    run = db.session.get(MatchRun, run_id)
    if run is None or run.kind != KIND:
        raise NotFound("报告不存在 / report run not found")
    require_office_over(user, run.district_code)
    return run


def list_runs(user: User, limit: int = 50) -> list[MatchRun]:
    """Earlier report runs of the office's district (all for city staff), newest first."""
    require_office(user)
    stmt = select(MatchRun).where(MatchRun.kind == KIND).order_by(MatchRun.id.desc()).limit(limit)
    scope = office_scope(user)
    if scope is not None:
        stmt = stmt.where(MatchRun.district_code == scope)
    return list(db.session.scalars(stmt))


def view_of(result: MatchResult) -> str:
    """Which view a stored row belongs to: ``post`` lists or ``seeker`` recommendations."""
    return next((r["view"] for r in result.reasons if r.get("code") == "view"), "post")


def _meets_education(result: MatchResult) -> bool:
    return not any(r.get("code") == "education_below" for r in result.reasons)


SHORT_NOTES = {
    SHORT_BY_CAP: {
        "zh": "名单不足 k 人：其余候选人已达到曝光上限",
        "en": "Fewer than k: the other candidates reached the exposure cap",
    },
    SHORT_FEW: {
        "zh": "名单不足 k 人：符合条件的候选人不够",
        "en": "Fewer than k: too few candidates qualify",
    },
}
"""Why a post's list is shorter than k, in both languages (exports and pages)."""


def _rendered(result: MatchResult, lang: str) -> str:
    return next((r[lang] for r in result.reasons if r.get("code") == "rendered"), "")


def exposure_note(run: MatchRun) -> dict[str, str]:
    """The sentence every export and view carries about the exposure cap."""
    cap = run.parameters.get("max_lists")
    summary = run.parameters.get("summary", {})
    if not cap:
        return {"zh": "未设曝光上限。", "en": "No exposure cap was applied."}
    return {
        "zh": f"曝光上限：每位求职者最多出现在 {cap} 个岗位的候选名单中（共 {summary.get('capped_seekers', 0)} 人达到上限），"
        "以免少数人占满所有名单。",
        "en": f"Exposure cap: each seeker appears in at most {cap} post lists "
        f"({summary.get('capped_seekers', 0)} reached the cap), so no seeker tops every list.",
    }


def status_view(run: MatchRun) -> dict:
    """A run's status and progress, for polling while it runs."""
    params = run.parameters
    return {
        "id": run.id,
        "number": run.number,
        "status": run.status,
        "progress": params.get("progress", 0.0),
        "stage": params.get("stage"),
        "error": params.get("error"),
        "district_code": run.district_code,
        "program_id": params.get("program_id"),
        "k": params.get("k"),
        "max_lists": params.get("max_lists"),
        "below_education": params.get("below_education", "last"),
        "exclude_employed": params.get("exclude_employed", False),
        "seed": run.seed,
        "model_version": run.model_version,
        "rulebook_version": run.rulebook_version,
        "rulebooks": params.get("inputs", {}).get("rulebooks", {}),
        "created_at": run.created_at,
        "summary": params.get("summary"),
        "exposure_note": exposure_note(run),
    }


def report_view(run: MatchRun, lang: str = "zh") -> dict:
    """The stored report as it was computed: post lists and priority-group recommendations."""
    labels = run.parameters.get("labels", {"posts": {}, "seekers": {}})
    posts: dict[int, list[dict]] = defaultdict(list)
    seekers: dict[int, list[dict]] = defaultdict(list)
    for r in sorted(run.results, key=lambda r: (r.posting_id, r.rank, r.seeker_id)):
        item = {
            "rank": r.rank,
            "seeker_id": r.seeker_id,
            "posting_id": r.posting_id,
            "score": r.score,
            "parts": r.parts,
            "reasons": _rendered(r, lang),
            "meets_education": _meets_education(r),
        }
        (posts[r.posting_id] if view_of(r) == "post" else seekers[r.seeker_id]).append(item)
    post_ids = run.parameters.get("inputs", {}).get("posting_ids", [])
    return {
        **status_view(run),
        "posts": [
            {
                "posting_id": pid,
                **labels["posts"].get(str(pid), {}),
                "short_note": SHORT_NOTES.get(
                    labels["posts"].get(str(pid), {}).get("short_reason"), {}
                ).get(lang),
                "candidates": [
                    {
                        **c,
                        "name": labels["seekers"].get(str(c["seeker_id"]), {}).get("name"),
                        "employed": labels["seekers"].get(str(c["seeker_id"]), {}).get("employed"),
                    }
                    for c in posts.get(pid, [])
                ],
            }
            for pid in post_ids
        ],
        "seekers": [
            {
                "seeker_id": sid,
                **labels["seekers"].get(str(sid), {}),
                "posts": [
                    {**p, **{"title": labels["posts"].get(str(p["posting_id"]), {}).get("title")}}
                    for p in sorted(seekers[sid], key=lambda x: x["rank"])
                ],
            }
            for sid in run.parameters.get("inputs", {}).get("priority_seeker_ids", [])
        ],
    }


def push_recommendations(user: User, run_id: int) -> dict:
    """Push a finished run's recommendations to its seekers; each push is also a service record."""
    run = get_run(user, run_id)
    if run.status != "done":
        raise RuleViolation("报告尚未完成 / the report has not finished", field="run_id")
    done = set(
        db.session.execute(
            select(PushedRecommendation.seeker_id, PushedRecommendation.posting_id).where(
                PushedRecommendation.run_id == run.id
            )
        ).all()
    )
    today = dt.date.today()
    added = 0
    titles: dict[int, list[int]] = {}
    for r in sorted(run.results, key=lambda r: (r.seeker_id, r.rank)):
        if view_of(r) != "seeker" or (r.seeker_id, r.posting_id) in done:
            continue
        db.session.add(
            PushedRecommendation(
                run_id=run.id,
                seeker_id=r.seeker_id,
                posting_id=r.posting_id,
                rank=r.rank,
                score=r.score,
                reasons_text={"zh": _rendered(r, "zh"), "en": _rendered(r, "en")},
                pushed_by=user.id,
                district_code=run.district_code,
            )
        )
        db.session.add(
            ServiceRecord(
                seeker_id=r.seeker_id,
                kind="recommendation",
                delivered_on=today,
                by_user_id=user.id,
                by_name=user.display_name or user.username,
                district_code=run.district_code,
                posting_id=r.posting_id,
                match_run_id=run.id,
                note=f"match report {run.id}",
            )
        )
        added += 1
        titles.setdefault(r.seeker_id, []).append(r.posting_id)
    _tell_seekers(titles, run.id)
    audit(user, "push_recommendations", "match_run", run.id, None, {"pushed": added})
    commit(what="push recommendations")
    return {"run_id": run.id, "pushed": added, "already_pushed": len(done)}


def _tell_seekers(pushed: dict[int, list[int]], run_id: int) -> None:
    """One notice per seeker who got new recommendations from this push."""
    ids = sorted(pushed)
    post_ids = sorted({i for posts in pushed.values() for i in posts})
    titles = dict(
        db.session.execute(select(Posting.id, Posting.title).where(Posting.id.in_(post_ids))).all()
    )
    for start in range(0, len(ids), 900):
        for seeker in db.session.scalars(
            select(Seeker).where(Seeker.id.in_(ids[start : start + 900]))
        ):
            notices.recommendations_pushed(seeker, [titles[i] for i in pushed[seeker.id]], run_id)


RECOMMENDED_BY = {"zh": "就业服务机构为您推荐", "en": "Recommended by your employment office"}


def pushed_recommendations(seeker: Seeker) -> list[dict]:
    """Posts an office pushed to this seeker that are still open, newest push first, one per post."""
    rows = db.session.execute(
        select(PushedRecommendation, Posting)
        .join(Posting, Posting.id == PushedRecommendation.posting_id)
        .where(
            PushedRecommendation.seeker_id == seeker.id,
            Posting.status == "published",
            Posting.slots_filled < Posting.slots,
        )
        .order_by(PushedRecommendation.pushed_at.desc(), PushedRecommendation.rank)
    ).all()
    seen: set[int] = set()
    out = []
    for push, posting in rows:
        if posting.id in seen:
            continue
        seen.add(posting.id)
        out.append(
            {
                "posting": posting,
                "posting_id": posting.id,
                "title": posting.title,
                "rank": push.rank,
                "score": push.score,
                "reasons": push.reasons_text,
                "recommended_by": RECOMMENDED_BY,
                "district_code": push.district_code,
                "run_id": push.run_id,
                "pushed_at": push.pushed_at,
            }
        )
    return out


def seeker_pushed_recommendations(user: User, seeker_id: int) -> list[dict]:
    """Pushed recommendations of a seeker the user may see (the seeker themself or their office)."""
    from app.services.seekers import get_seeker

    return pushed_recommendations(get_seeker(user, seeker_id))
