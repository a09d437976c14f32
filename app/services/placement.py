"""Quota-aware placement runs for a program: propose → review (override, second round) → confirm.

Inputs are gathered once and stored with the run (preference lists, capacities, host caps,
scores, eligible seekers, seed, model and rulebook versions), so any run can be computed
again later from what it stored and gives the same result.
"""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.errors import Conflict, DomainError, NotFound, RuleViolation
from app.extensions import db
from app.models import Application, MatchResult, MatchRun, Posting, Program, Seeker, User
from app.services import bridge
from app.services.common import (
    Stages,
    audit,
    commit,
    get_or_404,
    no_stages,
    require_office_over,
)
from app.services.recommendations import eligibility_check, pair_parts, ranker, seeker_index
from app.services.rulebooks import program_rulebook
from app.services.traineeships import enrol

CANDIDATES_PER_POST = 300
FALLBACK_POSTS = 10
MODES = ("stable", "best_total")


@dataclass
class Inputs:
    """Everything an allocation needs, in plain JSON-ready form (ids as strings)."""

    seeker_prefs: dict[str, list[str]]
    post_prefs: dict[str, list[str]]
    capacities: dict[str, int]
    host_of: dict[str, str]
    host_caps: dict[str, int]
    scores: dict[str, float]  # "seeker|post" → score
    eligible: list[str]

    def pair_scores(self) -> dict[tuple[str, str], float]:
        """Scores keyed by (seeker, post)."""
        return {tuple(k.split("|")): v for k, v in self.scores.items()}  # type: ignore[misc]


def _open_posts(program: Program) -> list[Posting]:
    return list(
        db.session.scalars(
            select(Posting)
            .where(
                Posting.program_id == program.id,
                Posting.status == "published",
                Posting.slots_filled < Posting.slots,
            )
            .options(joinedload(Posting.employer))
            .order_by(Posting.id)
        )
    )


def held_elsewhere(program: Program) -> dict[str, int]:
    """People placed in an open proposal of another program of the district, with that run's id.

    The district's programs share one pool of people: a person is proposed in one open
    proposal at a time, so a second program's run leaves them out instead of refusing them at
    confirmation.
    """
    rows = db.session.execute(
        select(MatchResult.seeker_id, MatchRun.id, MatchRun.parameters)
        .join(MatchResult.run)
        .where(
            MatchRun.kind == "placement",
            MatchRun.status == "proposed",
            MatchRun.district_code == program.district_code,
        )
    )
    return {
        str(seeker_id): run_id
        for seeker_id, run_id, parameters in rows
        if parameters["program_id"] != program.id
    }


def gather_inputs(
    program: Program,
    fixed: dict[str, str] | None = None,
    left_out: set[tuple[str, str]] | frozenset = frozenset(),
) -> Inputs:
    """Score eligible seekers for every open post; build seekers' lists from applications or scores.

    People held by another program's open proposal are left out, and so is every
    (seeker, post) pair in ``left_out`` (placements an office removed by hand).
    """
    posts = _open_posts(program)
    check = eligibility_check(program, dt.date.today())
    top = ranker().top_seekers_for_postings(
        [bridge.posting_profile(p) for p in posts],
        seeker_index(),
        k=CANDIDATES_PER_POST,
        eligibility=check,
    )
    held = held_elsewhere(program)
    scores: dict[str, float] = {}
    post_prefs: dict[str, list[str]] = {str(p.id): [] for p in posts}
    for pid, ranked in top.items():
        rows = [(s, sc) for s, sc in ranked if s not in held and (s, pid) not in left_out]
        post_prefs[pid] = [s for s, _ in rows]
        for s, score in rows:
            scores[f"{s}|{pid}"] = round(float(score), 6)
    ranked_by = {p: set(lst) for p, lst in post_prefs.items()}
    applied: dict[str, list[str]] = {}
    for a in db.session.scalars(
        select(Application).where(
            Application.posting_id.in_([p.id for p in posts]),
            Application.status.in_(("applied", "shortlisted", "invited")),
        )
    ):
        applied.setdefault(str(a.seeker_id), []).append(str(a.posting_id))
    eligible = sorted({s for lst in post_prefs.values() for s in lst}, key=int)
    seeker_prefs: dict[str, list[str]] = {}
    for s in eligible:
        if fixed and s in fixed:
            continue
        wanted = [p for p in applied.get(s, []) if s in ranked_by[p]]
        if not wanted:
            # No application: fall back to the ranker's order (the seeker consented to be shown).
            wanted = [p for p in post_prefs if s in ranked_by[p]]
        seeker_prefs[s] = sorted(wanted, key=lambda p, s=s: (-scores[f"{s}|{p}"], p))[
            :FALLBACK_POSTS
        ]
    capacities = {str(p.id): p.slots - p.slots_filled for p in posts}
    host_of = {str(p.id): str(p.employer_id) for p in posts}
    host_caps = {
        str(p.employer_id): p.employer.host_cap for p in posts if p.employer.host_cap is not None
    }
    return Inputs(seeker_prefs, post_prefs, capacities, host_of, host_caps, scores, eligible)


PROGRAM_HOST = "program"


def constraints(inputs: Inputs, seats_left: int | None) -> tuple[dict[str, str], dict[str, int]]:
    """The caps the allocation runs under: per host, or for the whole program when its quota binds.

    When the program has fewer seats left than its posts together, the program acts as the one
    "host" of all its posts with the remaining quota as its cap, so the result is stable within
    the quota. Hosts' own caps are then enforced afterwards by dropping their lowest-scoring
    placements (an office sees those seekers as unplaced).
    """
    if seats_left is not None and seats_left < sum(inputs.capacities.values()):
        return dict.fromkeys(inputs.capacities, PROGRAM_HOST), {PROGRAM_HOST: max(seats_left, 0)}
    return inputs.host_of, inputs.host_caps


def allocate(inputs: Inputs, mode: str, seed: int, seats_left: int | None) -> dict[str, str | None]:
    """Run one mode on stored inputs; the same inputs and seed always give the same result."""
    from matching import allocation as alloc  # OR-Tools: loaded when a run needs it

    host_of, host_caps = constraints(inputs, seats_left)
    scores = inputs.pair_scores()
    listed = {(s, p) for s, lst in inputs.seeker_prefs.items() for p in lst}
    if mode == "best_total":
        placed = alloc.best_total_allocation(
            {k: v for k, v in scores.items() if k in listed},
            inputs.capacities,
            host_of=host_of,
            host_caps=host_caps,
        )
    else:
        placed = alloc.stable_allocation(
            inputs.seeker_prefs,
            _post_prefs(inputs, seed),
            inputs.capacities,
            host_of=host_of,
            host_caps=host_caps,
            scores=scores,
        )
    if host_of is not inputs.host_of:
        used: dict[str, int] = {}
        for _score, s in sorted(
            ((scores[(s, p)], s) for s, p in placed.items() if p), key=lambda x: (-x[0], int(x[1]))
        ):
            host = inputs.host_of[placed[s]]
            used[host] = used.get(host, 0) + 1
            if used[host] > inputs.host_caps.get(host, used[host]):
                placed[s] = None
    return placed


def _post_prefs(inputs: Inputs, seed: int) -> dict[str, list[str]]:
    """Posts' strict preference lists from scores, ties broken by the seeded lottery."""
    from matching import allocation as alloc  # OR-Tools: loaded when a run needs it

    scores = inputs.pair_scores()
    prefs = alloc.rank_by_score(
        {k: v for k, v in scores.items() if k[1] in inputs.post_prefs}, seed=seed
    ).prefs
    return {p: prefs.get(p, []) for p in inputs.post_prefs}


def _inputs_of(run: MatchRun) -> Inputs:
    return Inputs(**run.parameters["inputs"])


def _summary(
    program: Program,
    inputs: Inputs,
    placed: dict[str, str | None],
    mode: str,
    seed: int,
    seats_left: int | None,
    kept: int = 0,
) -> dict:
    """What a run places, its stability and the program's floor counting every round (``kept``)."""
    from matching import allocation as alloc  # OR-Tools: loaded when a run needs it

    scores = inputs.pair_scores()
    host_of, host_caps = constraints(inputs, seats_left)
    blocking = alloc.blocking_pairs(
        placed,
        inputs.seeker_prefs,
        _post_prefs(inputs, seed),
        inputs.capacities,
        host_of=host_of,
        host_caps=host_caps,
        scores=scores,
    )
    over = alloc.check_capacities(
        placed, inputs.capacities, host_of=inputs.host_of, host_caps=inputs.host_caps
    )
    filled = {p: 0 for p in inputs.capacities}
    for p in placed.values():
        if p is not None:
            filled[p] += 1
    before = program.seats_taken + kept
    floor = max(program.floor - before, 0)
    lines = alloc.floor_report(
        placed,
        {
            program.key: alloc.Program(
                minimum=floor,
                quota=None if program.quota is None else program.quota - before,
                name_zh=program.name,
                name_en=program.name_en or program.key,
            )
        },
        dict.fromkeys(inputs.post_prefs, program.key),
        inputs.capacities,
        {program.key: inputs.eligible},
        seeker_prefs=inputs.seeker_prefs,
        host_of=inputs.host_of,
        host_caps=inputs.host_caps,
    )
    line = lines[0]
    total = before + sum(1 for p in placed.values() if p)
    return {
        "mode": mode,
        "seed": seed,
        "placed": sum(1 for p in placed.values() if p),
        "already_enrolled": program.seats_taken,
        "kept_from_earlier_rounds": kept,
        "total_score": round(sum(scores[(s, p)] for s, p in placed.items() if p), 6),
        "blocking_pairs": len(blocking),
        "capacity_problems": over,
        "unplaced_seekers": sorted(s for s, p in placed.items() if p is None),
        "unfilled_posts": {
            p: c - filled[p] for p, c in inputs.capacities.items() if c - filled[p] > 0
        },
        "floor": {
            "minimum": program.floor,
            "reached": total,
            "shortfall": max(program.floor - total, 0),
            "message_zh": f"{program.name}：{total} / 至少 {program.floor}"
            + (f"，尚缺 {program.floor - total}" if total < program.floor else "，已达标"),
            "message_en": f"{program.name_en or program.key}: {total} of at least {program.floor}"
            + (f" — short by {program.floor - total}" if total < program.floor else " — reached"),
            "seats_free": line.seats_free,
            "candidates_listed": line.candidates_listed,
            "candidates_unlisted": line.candidates_unlisted,
            "closable": line.closable,
        },
    }


def _result(
    inputs: Inputs, seeker_id: int, posting_id: int, parts: dict[str, float], extra: list[dict]
) -> MatchResult:
    s, p = str(seeker_id), str(posting_id)
    wanted, ranked = inputs.seeker_prefs.get(s, []), inputs.post_prefs.get(p, [])
    return MatchResult(
        seeker_id=seeker_id,
        posting_id=posting_id,
        rank=wanted.index(p) + 1 if p in wanted else 0,
        score=inputs.scores.get(f"{s}|{p}", 0.0),
        parts=parts,
        reasons=[
            {"code": "post_rank", "rank": ranked.index(s) + 1 if s in ranked else None},
            *extra,
        ],
    )


def _store_results(run: MatchRun, inputs: Inputs, placed: dict[str, str | None]) -> None:
    pairs = sorted((int(s), int(p)) for s, p in placed.items() if p)
    seekers = {
        s.id: s
        for s in db.session.scalars(select(Seeker).where(Seeker.id.in_([s for s, _ in pairs])))
    }
    posts = {
        p.id: p
        for p in db.session.scalars(select(Posting).where(Posting.id.in_([p for _, p in pairs])))
    }
    parts = pair_parts([(posts[p], seekers[s]) for s, p in pairs])
    run.results.clear()
    for (s, p), part in zip(pairs, parts, strict=True):
        run.results.append(_result(inputs, s, p, part, []))


def _program_for(user: User, program_id: int) -> Program:
    program = get_or_404(Program, program_id, "计划")
    require_office_over(user, program.district_code)
    return program


def _rounds(run: MatchRun) -> list[MatchRun]:
    """A run and every earlier round it follows."""
    chain = [run]
    while chain[-1].parameters.get("after_run_id") is not None:
        chain.append(db.session.get(MatchRun, chain[-1].parameters["after_run_id"]))
    return chain


def _removed(run: MatchRun) -> set[tuple[str, str]]:
    """(seeker, post) placements an office took out of a run by hand: a later round leaves them out."""
    return {
        (str(o["seeker_id"]), str(o["from_posting_id"]))
        for o in run.parameters["overrides"]
        if o.get("from_posting_id") is not None and o["from_posting_id"] != o["posting_id"]
    }


def propose(
    user: User,
    program_id: int,
    mode: str = "stable",
    seed: int = 0,
    after_run_id: int | None = None,
    progress: Stages = no_stages,
) -> MatchRun:
    """Compute a placement proposal; ``after_run_id`` runs a second round keeping that run's placements."""
    program = _program_for(user, program_id)
    progress(0.05, "候选人排序 ranking candidates")
    if mode not in MODES:
        raise RuleViolation(f"未知模式 {mode} / unknown mode", field="mode")
    earlier = _rounds(get_run(user, after_run_id)) if after_run_id is not None else []
    fixed = {str(r.seeker_id): str(r.posting_id) for run in earlier for r in run.results}
    # Placements of earlier rounds not yet confirmed hold their seats; confirmed ones are
    # enrolled already and counted in the posts' slots and the program's seats.
    pending = [
        str(r.posting_id) for run in earlier if run.status == "proposed" for r in run.results
    ]
    left_out = {pair for run in earlier for pair in _removed(run)}
    inputs = gather_inputs(program, fixed, left_out)
    for p in pending:
        if p in inputs.capacities:
            inputs.capacities[p] -= 1
    inputs.capacities = {p: max(c, 0) for p, c in inputs.capacities.items()}
    seats_left = (
        None if program.quota is None else program.quota - program.seats_taken - len(pending)
    )
    progress(0.6, "分配 allocating")
    placed = allocate(inputs, mode, seed, seats_left)
    progress(0.9, "保存 storing")
    run = MatchRun(
        kind="placement",
        parameters={
            "program_id": program.id,
            "mode": mode,
            "round": len(earlier) + 1,
            "after_run_id": after_run_id,
            "inputs": inputs.__dict__,
            "seats_left": seats_left,
            "kept": len(pending),
            "overrides": [],
            "summary": _summary(program, inputs, placed, mode, seed, seats_left, len(pending)),
            "confirmed": False,
        },
        model_version=ranker().model_version,
        rulebook_version=program_rulebook(program).version,
        seed=seed,
        status="proposed",
        created_by=user.id,
        district_code=program.district_code,
    )
    _store_results(run, inputs, placed)
    db.session.add(run)
    db.session.flush()
    audit(
        user,
        "propose_placement",
        "match_run",
        run.id,
        None,
        {
            "program_id": program.id,
            "mode": mode,
            "seed": seed,
            "placed": run.parameters["summary"]["placed"],
        },
    )
    commit(what="propose placement")
    return run


def get_run(user: User, run_id: int) -> MatchRun:
    """Load a placement run the office may see."""
    run = db.session.get(MatchRun, run_id)
    if run is None or run.kind != "placement":
        raise NotFound("方案不存在 / placement run not found")
    require_office_over(user, run.district_code)
    return run


def recompute(user: User, run_id: int) -> dict:
    """Recompute a run from its stored inputs and seed, and say whether the result is identical."""
    run = get_run(user, run_id)
    placed = allocate(
        _inputs_of(run), run.parameters["mode"], run.seed, run.parameters["seats_left"]
    )
    again = {(int(s), int(p)) for s, p in placed.items() if p}
    overridden = {o["seeker_id"] for o in run.parameters["overrides"]}
    stored = {(r.seeker_id, r.posting_id) for r in run.results if r.seeker_id not in overridden}
    return {
        "run_id": run.id,
        "identical": {x for x in again if x[0] not in overridden} == stored,
        "placed": len(again),
    }


def override(
    user: User, run_id: int, seeker_id: int, posting_id: int | None, reason: str
) -> MatchRun:
    """Change one placement of a proposal by hand, with a reason; capacities and eligibility still hold."""
    run = get_run(user, run_id)
    if run.status != "proposed":
        raise Conflict(
            "方案已确认，不能修改 / the run is confirmed and can no longer change", field="run_id"
        )
    inputs = _inputs_of(run)
    current = {r.seeker_id: r for r in run.results}
    if posting_id is not None:
        key = str(posting_id)
        if key not in inputs.capacities:
            raise RuleViolation(
                "该岗位不在本计划的空缺岗位中 / the post is not an open post of this program",
                field="posting_id",
            )
        if str(seeker_id) not in inputs.post_prefs.get(key, []):
            raise RuleViolation(
                "此人不符合该岗位条件或未被该岗位排序 / the person is not eligible for this post",
                field="seeker_id",
            )
        used = sum(
            1 for r in run.results if r.posting_id == posting_id and r.seeker_id != seeker_id
        )
        if used >= inputs.capacities[key]:
            raise Conflict("该岗位名额已满 / the post has no free seat", field="posting_id")
    before = (
        {"posting_id": current[seeker_id].posting_id}
        if seeker_id in current
        else {"posting_id": None}
    )
    if seeker_id in current:
        run.results.remove(current[seeker_id])
    if posting_id is not None:
        pair = (db.session.get(Posting, posting_id), db.session.get(Seeker, seeker_id))
        extra = [{"code": "override", "reason": reason}]
        run.results.append(_result(inputs, seeker_id, posting_id, pair_parts([pair])[0], extra))
    run.parameters = {
        **run.parameters,
        "overrides": [
            *run.parameters["overrides"],
            {
                "seeker_id": seeker_id,
                "posting_id": posting_id,
                "from_posting_id": before["posting_id"],
                "reason": reason,
                "by": user.id,
            },
        ],
    }
    run.parameters = {**run.parameters, "summary": _recount(run, inputs)}
    audit(
        user,
        "override_placement",
        "match_run",
        run.id,
        before,
        {"seeker_id": seeker_id, "posting_id": posting_id, "reason": reason},
    )
    commit(what="override placement")
    return run


def _recount(run: MatchRun, inputs: Inputs) -> dict:
    """The run's summary for its placements as they stand after overrides."""
    placed: dict[str, str | None] = dict.fromkeys(inputs.seeker_prefs)
    placed.update({str(r.seeker_id): str(r.posting_id) for r in run.results})
    return _summary(
        db.session.get(Program, run.parameters["program_id"]),
        inputs,
        placed,
        run.parameters["mode"],
        run.seed,
        run.parameters["seats_left"],
        run.parameters.get("kept", 0),
    )


def transfer_seats(
    user: User, from_program_id: int, to_program_id: int, seats: int, approval: str
) -> tuple[Program, Program]:
    """Move unused seats between two programs of a district (e.g. public → enterprise), with a recorded approval."""
    source, target = _program_for(user, from_program_id), _program_for(user, to_program_id)
    if source.quota is None or target.quota is None:
        raise RuleViolation(
            "只能在两个设有名额上限的计划之间调剂 / seats move only between two programs with a cap",
            field="from_program_id" if source.quota is None else "to_program_id",
        )
    if source.id == target.id or source.district_code != target.district_code:
        raise RuleViolation(
            "只能在同一区县的两个计划之间调剂 / seats move between two programs of the same district",
            field="to_program_id",
        )
    unused = source.quota - source.seats_taken
    if seats < 1 or seats > unused:
        raise Conflict(f"可调剂名额为 {unused} / {unused} seats are unused", field="seats")
    before = {"from_quota": source.quota, "to_quota": target.quota}
    source.quota -= seats
    target.quota += seats
    audit(
        user,
        "transfer_seats",
        "program",
        source.id,
        before,
        {
            "from_quota": source.quota,
            "to_quota": target.quota,
            "to_program_id": target.id,
            "seats": seats,
            "approval": approval,
        },
    )
    commit(what="transfer seats")
    return source, target


def confirm(user: User, run_id: int, start_date: dt.date) -> MatchRun:
    """Enrol every proposed placement as a traineeship; refusals (full, not eligible) are reported, not hidden.

    Each enrolment is its own transaction through the same service the employer and seeker
    sides use, so the database's seat and slot limits hold whatever else happens at once.
    """
    run = get_run(user, run_id)
    if run.status != "proposed":
        raise Conflict("方案已确认 / the run is already confirmed", field="run_id")
    program_id = run.parameters["program_id"]
    pairs = [(r.seeker_id, r.posting_id) for r in sorted(run.results, key=lambda r: r.id)]
    enrolled, refused = [], []
    for seeker_id, posting_id in pairs:
        try:
            t = enrol(
                user,
                {
                    "program_id": program_id,
                    "posting_id": posting_id,
                    "seeker_id": seeker_id,
                    "started_on": start_date,
                },
            )
            enrolled.append(
                {"seeker_id": seeker_id, "posting_id": posting_id, "traineeship_id": t.id}
            )
        except DomainError as err:
            refused.append(
                {
                    "seeker_id": seeker_id,
                    "posting_id": posting_id,
                    "code": err.code,
                    "message": err.message,
                    "errors": err.errors,
                }
            )
    run = get_run(user, run_id)
    run.status = "confirmed"
    run.parameters = {
        **run.parameters,
        "confirmed": True,
        "confirmation": {
            "start_date": start_date.isoformat(),
            "enrolled": enrolled,
            "refused": refused,
            "by": user.id,
        },
    }
    audit(
        user,
        "confirm_placement",
        "match_run",
        run.id,
        {"status": "proposed"},
        {"status": "confirmed", "enrolled": len(enrolled), "refused": len(refused)},
    )
    commit(what="confirm placement")
    return run


def run_view(run: MatchRun) -> dict:
    """The proposal as an office reads it: placements with both ranks and score parts, gaps and the floor."""
    seekers = {
        s.id: s
        for s in db.session.scalars(
            select(Seeker).where(Seeker.id.in_([r.seeker_id for r in run.results]))
        )
    }
    return {
        "id": run.id,
        "number": run.number,
        "status": run.status,
        "program_id": run.parameters["program_id"],
        "mode": run.parameters["mode"],
        "round": run.parameters["round"],
        "seed": run.seed,
        "model_version": run.model_version,
        "rulebook_version": run.rulebook_version,
        "summary": run.parameters["summary"],
        "overrides": run.parameters["overrides"],
        "placements": [
            {
                "seeker_id": r.seeker_id,
                "seeker_name": seekers[r.seeker_id].name if r.seeker_id in seekers else None,
                "posting_id": r.posting_id,
                "seeker_rank_of_post": r.rank or None,
                "post_rank_of_seeker": next(
                    (x.get("rank") for x in r.reasons if x.get("code") == "post_rank"), None
                ),
                "score": r.score,
                "parts": r.parts,
                "override": next(
                    (x.get("reason") for x in r.reasons if x.get("code") == "override"), None
                ),
            }
            for r in sorted(run.results, key=lambda r: (r.posting_id, -r.score))
        ],
        "confirmed": run.parameters.get("confirmed", False),
        "confirmation": run.parameters.get("confirmation"),
    }
