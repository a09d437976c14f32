"""Read-only data the office placement and settlement pages need around the placement and settlement services."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import MatchRun, Posting, Program, Seeker, User
from app.services import placement
from app.services.common import get_or_404, require_office_over
from app.services.rulebooks import current_version, program_rulebook
from matching.subsidy import RULE_TIER

RECENT_RUNS = 20


def office_program(user: User, program_id: int) -> Program:
    """A program the office covers (403 for another district's)."""
    program = get_or_404(Program, program_id, "计划")
    require_office_over(user, program.district_code)
    return program


def placement_runs(user: User, program_id: int) -> list[MatchRun]:
    """The program's recent placement runs, newest first."""
    program = office_program(user, program_id)
    runs = db.session.scalars(
        select(MatchRun)
        .where(MatchRun.kind == "placement", MatchRun.district_code == program.district_code)
        .order_by(MatchRun.id.desc())
    )
    return [r for r in runs if r.parameters.get("program_id") == program.id][:RECENT_RUNS]


def run_page(user: User, run_id: int) -> dict[str, Any]:
    """A run as ``placement.run_view`` gives it, with its program and the posts and people it names."""
    run = placement.get_run(user, run_id)
    view = placement.run_view(run)
    inputs = run.parameters["inputs"]
    post_ids = {int(p) for p in inputs["capacities"]} | {
        p["posting_id"] for p in view["placements"]
    }
    seeker_ids = {int(s) for s in inputs["eligible"]} | {p["seeker_id"] for p in view["placements"]}
    posts = {
        p.id: p
        for p in db.session.scalars(
            select(Posting).where(Posting.id.in_(post_ids)).options(joinedload(Posting.employer))
        )
    }
    seekers = {s.id: s for s in db.session.scalars(select(Seeker).where(Seeker.id.in_(seeker_ids)))}
    return {
        "run": view,
        "program": db.session.get(Program, view["program_id"]),
        "posts": posts,
        "seekers": seekers,
        "capacities": {int(p): c for p, c in inputs["capacities"].items()},
        "eligible": [int(s) for s in inputs["eligible"]],
    }


def tier_threshold(program: Program) -> int | None:
    """The retention rate (in percent) the program's rulebook pays the higher tier from, if any.

    None as well when the program's rulebook is not loaded, so a dashboard still opens.
    """
    if program.kind != "enterprise" or current_version(program.rulebook) is None:
        return None
    book = program_rulebook(program)
    if program.kind != "enterprise" or not book.has_rule(RULE_TIER):
        return None
    return int(book.rule(RULE_TIER).params["threshold_percent"])
