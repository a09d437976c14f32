"""Ranked candidates for a posting and recommended postings for a seeker, with reasons.

The text indexes live in the process (``app.extensions["jianxi.indexes"]``) and are kept in
step with the database incrementally: each request re-reads only the rows changed since the
last one, so one new or edited seeker or posting never rebuilds the index.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from flask import Flask, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import load_only, selectinload

from app.extensions import db
from app.models import Posting, Program, Seeker, Traineeship, User
from app.models.base import utcnow
from app.services import bridge, exposure
from app.services import postings as posting_service
from app.services import seekers as seeker_service
from app.services.rulebooks import program_rulebook
from app.services.traineeships import has_active, person_of
from matching.policy import check_eligibility

if TYPE_CHECKING:  # scikit-learn and SciPy are loaded when an index or the ranker is first used
    import numpy as np

    from matching.features import SeekerBlock
    from matching.index import PostingIndex, SeekerIndex
    from matching.ranker import BelowEducation, RankedRow, Ranker

MAX_K = 100


@dataclass
class _Synced:
    """An index and the time up to which it reflects the database."""

    index: SeekerIndex | PostingIndex
    synced_at: dt.datetime
    ids: set[int] = field(default_factory=set)
    pruned_at: float = field(default_factory=time.monotonic)


# One lock per index: two threads of a process never build or sync the same index at once.
_sync_locks = {"seekers": threading.Lock(), "postings": threading.Lock()}


def _indexes() -> dict[str, _Synced]:
    return current_app.extensions.setdefault("jianxi.indexes", {})


def _prune(synced: _Synced, model: type) -> None:
    """Drop from the index the rows deleted from the database (an erased seeker, a deleted post)."""
    present = set(db.session.scalars(select(model.id)))
    for gone in synced.ids - present:
        synced.index.remove(str(gone))
    synced.ids &= present
    synced.pruned_at = time.monotonic()


def _sync(
    name: str, model: type, build, profile, load=(), where=(), keep=None
) -> SeekerIndex | PostingIndex:
    """Build the index on first use, then apply only rows updated since the last sync.

    ``load`` are loader options for what ``profile`` reads beyond the row itself (or the
    only columns it reads). ``where`` limits which rows the index holds; a changed row
    that no longer passes ``keep`` (the same test in Python) leaves it. Rows deleted from
    the database leave the index at the first sync ``INDEX_PRUNE_SECONDS`` after the last
    check (reading every id costs more than reading the changed rows).
    """
    with _sync_locks[name]:
        cache = _indexes()
        now = utcnow()
        synced = cache.get(name)
        if synced is None:
            rows = db.session.scalars(select(model).where(*where).options(*load)).all()
            synced = _Synced(build([profile(r) for r in rows]), now, {r.id for r in rows})
            cache[name] = synced
            return synced.index
        changed = db.session.scalars(
            select(model).where(model.updated_at >= synced.synced_at).options(*load)
        ).all()
        for row in changed:
            if row.id in synced.ids:
                synced.index.remove(str(row.id))
                synced.ids.discard(row.id)
            if keep is None or keep(row):
                synced.index.add(profile(row))
                synced.ids.add(row.id)
        synced.synced_at = now
        if time.monotonic() - synced.pruned_at >= current_app.config["INDEX_PRUNE_SECONDS"]:
            _prune(synced, model)
        return synced.index


def seeker_index() -> SeekerIndex:
    """The seeker index, in step with the database."""
    from matching.index import SeekerIndex

    return _sync(  # type: ignore[return-value]
        "seekers",
        Seeker,
        SeekerIndex.build,
        bridge.seeker_profile,
        (selectinload(Seeker.desired_jobs),),
        (Seeker.erased_at.is_(None),),
        lambda seeker: seeker.erased_at is None,
    )


_POSTING_COLUMNS = (
    Posting.id,
    Posting.kind,
    Posting.title,
    Posting.description,
    Posting.occupation_code,
    Posting.skills,
    Posting.min_education,
    Posting.majors,
    Posting.district_code,
    Posting.salary_min,
    Posting.salary_max,
    Posting.status,
    Posting.slots,
    Posting.slots_filled,
    Posting.program_id,
    Posting.updated_at,
)
"""What :func:`bridge.posting_profile` reads: the posting index loads these columns only."""


def posting_index() -> PostingIndex:
    """The published postings' index, in step with the database (drafts and closed posts stay out)."""
    from matching.index import PostingIndex

    return _sync(  # type: ignore[return-value]
        "postings",
        Posting,
        PostingIndex.build,
        bridge.posting_profile,
        (load_only(*_POSTING_COLUMNS),),
        (Posting.status == "published",),
        lambda row: row.status == "published",
    )


def prebuild(app: Flask) -> dict[str, float]:
    """Build the indexes and the occupation coder now (gunicorn's master, before forking); seconds each.

    Forked workers share them copy-on-write and keep them in step from there on.
    """
    from matching.kernels import warm_up  # numba, like scikit-learn, is not loaded at import

    timings = {}
    with app.app_context():
        for name, build in (
            ("seekers", seeker_index),
            ("postings", posting_index),
            ("occupation coder", bridge.occupation_coder),
            ("score kernels", warm_up),
        ):
            start = time.perf_counter()
            build()
            timings[name] = round(time.perf_counter() - start, 2)
        db.session.remove()
        db.engine.dispose()
    return timings


def ranker() -> Ranker:
    """The ranker in use: the promoted learned model, else the default weights; read once per request."""
    from app.services.ranker_models import active_ranker

    if "jianxi_ranker" not in g:
        g.jianxi_ranker = active_ranker()
    return g.jianxi_ranker


def eligibility_check(program: Program, on: dt.date, planned_months: int | None = None):
    """A callback for the ranker: is this seeker eligible for the program's trainee posts, and why not.

    Answers are remembered for the life of the callback, and who already holds an active
    traineeship is read once, so ranking many posts of one program checks each person once.
    """
    book = program_rulebook(program)
    day = bridge.program_day(program, on)
    memo: dict[str, tuple[bool, str]] = {}
    active: set[int] = set()
    loaded = False

    def check(profile) -> tuple[bool, str]:
        nonlocal loaded
        if profile.id not in memo:
            if not loaded:
                active.update(
                    db.session.scalars(
                        select(Traineeship.seeker_id).where(Traineeship.outcome == "active")
                    )
                )
                loaded = True
            seeker = db.session.get(Seeker, int(profile.id))
            decision = check_eligibility(
                book, person_of(seeker, seeker.id in active), program.kind, day, planned_months
            )
            failed = [r for r in decision.reasons if not r.passed]
            memo[profile.id] = (
                decision.eligible,
                "；".join(f"{r.message_zh} ({r.source})" for r in failed),
            )
        return memo[profile.id]

    return check


def pair_parts(pairs: list[tuple[Posting, Seeker]]) -> list[dict[str, float]]:
    """Score parts (weight × feature) of (posting, seeker) pairs under the ranker in use."""
    from matching.features import FEATURES
    from matching.ranker import training_matrix

    if not pairs:
        return []
    index = seeker_index()
    X = training_matrix(
        [(bridge.posting_profile(p), bridge.seeker_profile(s)) for p, s in pairs],
        index.encoder,
        index.context,
    )
    weights = ranker().weight_vector()
    return [
        {f: round(float(w * x), 6) for f, w, x in zip(FEATURES, weights, row, strict=True)}
        for row in X
    ]


NOT_ELIGIBLE_FOR_EMPLOYERS = "不符合本见习计划的申请条件 / does not meet this program's conditions"


def as_employer_sees(row: RankedRow) -> RankedRow:
    """A ranked row without what an employer may not learn of a person.

    Priority-group membership (the boost, its reason and the score it added) and the facts
    behind an ineligibility (dates of birth, graduation, registration) are an office's to see.
    """
    from matching.reasons import Reason  # imports scikit-learn: loaded with the ranker, not the app

    reasons = [
        Reason("ineligible", {"reason": NOT_ELIGIBLE_FOR_EMPLOYERS})
        if r.code == "ineligible"
        else r
        for r in row.reasons
        if r.code != "priority"
    ]
    return replace(
        row,
        score=sum(row.parts.values()),
        reasons=reasons,
        boosted=False,
        rank_without_boost=None,
        ineligible_reason=None if row.eligible else NOT_ELIGIBLE_FOR_EMPLOYERS,
    )


def _row_dict(row: RankedRow, lang: str) -> dict:
    return {
        "score": round(float(row.score), 6),
        "parts": {k: round(float(v), 6) for k, v in row.parts.items()},
        "reasons": [
            {
                "code": r.code,
                **{k: v for k, v in r.params.items() if isinstance(v, str | int | float)},
            }
            for r in row.reasons
        ],
        "reasons_text": row.reasons_text("en" if lang == "en" else "zh"),
        "eligible": row.eligible,
        "ineligible_reason": row.ineligible_reason,
        "boosted": row.boosted,
        "rank_without_boost": row.rank_without_boost,
        "meets_education": row.meets_education,
    }


def candidates_for_posting(
    user: User,
    posting_id: int,
    k: int,
    lang: str,
    include_ineligible: bool,
    below_education: BelowEducation = "last",
    exclude_employed: bool = False,
) -> dict:
    """Ranked seekers for a posting its employer or office manages; ineligible trainees left out or marked.

    Seekers below the posting's minimum education come after all who meet it, marked, or
    are left out (``below_education="exclude"``); ``exclude_employed`` leaves out people who
    already have a job. For an employer, the exposure cap of :mod:`app.services.exposure`
    leaves out people who already fill their share of other posts' lists in the district;
    a list shorter than k says why.
    """
    posting = posting_service.get_managed_posting(user, posting_id)
    k = min(k, MAX_K)
    check = (
        eligibility_check(posting.program, dt.date.today(), posting.duration_months)
        if posting.program
        else None
    )
    import numpy as np

    # The cap shields employers from all seeing the same few people; offices keep the full view.
    held = exposure.held_elsewhere(posting) if user.role == "employer" else None
    capped = held.seekers if held else set()

    def leave_out(block: SeekerBlock) -> np.ndarray:
        mask = np.fromiter((i in capped for i in block.ids), dtype=bool, count=len(block))
        return mask | block.employed if exclude_employed else mask

    rows = ranker().rank_seekers_for_posting(
        bridge.posting_profile(posting),
        seeker_index(),
        k,
        eligibility=check,
        mark_ineligible=include_ineligible,
        below_education=below_education,
        exclude=leave_out,
    )
    if user.role == "employer":
        rows = [as_employer_sees(r) for r in rows]
    seekers = {
        s.id: s
        for s in db.session.scalars(select(Seeker).where(Seeker.id.in_([int(r.id) for r in rows])))
    }
    short = None
    if sum(r.eligible for r in rows) < k:
        short = "exposure_cap" if capped else "too_few_candidates"
    return {
        "posting_id": posting.id,
        "model_version": ranker().model_version,
        "exposure": {
            "max_lists": exposure.MAX_LISTS,
            "held_elsewhere": len(capped),
            "lists_made_at": (
                dt.datetime.fromtimestamp(held.made_at, dt.UTC).isoformat(timespec="seconds")
                if held and held.made_at
                else None
            ),
            "preparing": bool(held and held.made_at is None),
        },
        "short_reason": short,
        "results": [
            {"rank": i + 1, "seeker": seekers[int(r.id)], **_row_dict(r, lang)}
            for i, r in enumerate(rows)
        ],
    }


def recommendations_for_seeker(user: User, seeker_id: int, k: int, lang: str) -> dict:
    """Open postings that fit a seeker best, with reasons; trainee posts they may not take are left out."""
    seeker = seeker_service.get_seeker(user, seeker_id)
    k = min(k, MAX_K)
    person = person_of(seeker, has_active(seeker.id))
    programs = {p.id: p for p in db.session.scalars(select(Program))}
    verdicts: dict[int, tuple[bool, str]] = {}

    def check(profile) -> tuple[bool, str]:
        if profile.program is None:
            return True, ""
        program_id = int(profile.program)
        if program_id not in verdicts:
            program = programs[program_id]
            day = bridge.program_day(program, dt.date.today())
            decision = check_eligibility(program_rulebook(program), person, program.kind, day)
            failed = [r for r in decision.reasons if not r.passed]
            verdicts[program_id] = (decision.eligible, "；".join(r.message_zh for r in failed))
        return verdicts[program_id]

    rows = ranker().rank_postings_for_seeker(
        bridge.seeker_profile(seeker), posting_index(), k, posting_eligibility=check
    )
    found = {
        p.id: p
        for p in db.session.scalars(
            select(Posting).where(Posting.id.in_([int(r.id) for r in rows]))
        )
    }
    return {
        "seeker_id": seeker.id,
        "model_version": ranker().model_version,
        "results": [
            {"rank": i + 1, "posting": found[int(r.id)], **_row_dict(r, lang)}
            for i, r in enumerate(rows)
        ],
    }
