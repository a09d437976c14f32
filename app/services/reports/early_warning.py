"""Early warning: each program's fill against its floor and quota over time, projected to its end date.

The rulebooks' yearly targets are watched too (``target_warnings``, see targets.py): a
counted figure behind the pro-rata pace of its year is flagged with its rule and clause.

The projection is linear in the pace so far: ``now + (now / days elapsed) × days left``,
for posted trainee seats (slots of the program's published posts, by publication day) and
for placements (traineeships started, by start day). A program whose projected placements
fall short of its floor is flagged with the placements and posts it still needs, and the
weekly pace that would close the gap. A program that has ended is not "at risk" any more: it
either reached its floor or missed it (``missed_floor``), as of the day asked for.
"""

import datetime as dt
import math

from sqlalchemy import select

from app.extensions import db
from app.models import Posting, Program, Traineeship, User
from app.services.reports.service_tracking import report_scope
from app.services.reports.targets import target_progress

STEP_DAYS = 7


def _cumulative(days: list[dt.date], weights: list[int], on: dt.date) -> int:
    return sum(w for d, w in zip(days, weights, strict=True) if d <= on)


def program_progress(program: Program, on: dt.date | None = None) -> dict:
    """Fill, weekly timeline and projection of one program (no permission check: callers check)."""
    on = on or dt.date.today()
    posts = list(
        db.session.scalars(
            select(Posting).where(
                Posting.program_id == program.id,
                Posting.published_at.is_not(None),
                Posting.status.in_(("published", "closed")),
            )
        )
    )
    post_days = [p.published_at.date() for p in posts]
    post_slots = [p.slots for p in posts]
    starts = sorted(
        db.session.scalars(
            select(Traineeship.started_on).where(Traineeship.program_id == program.id)
        )
    )
    until = min(on, program.ends_on)
    timeline = []
    day = program.starts_on
    while day <= until:
        timeline.append(
            {
                "on": day,
                "posts": _cumulative(post_days, post_slots, day),
                "placements": sum(1 for s in starts if s <= day),
            }
        )
        day += dt.timedelta(days=STEP_DAYS)
    if until >= program.starts_on and (not timeline or timeline[-1]["on"] != until):
        timeline.append(
            {
                "on": until,
                "posts": _cumulative(post_days, post_slots, until),
                "placements": sum(1 for s in starts if s <= until),
            }
        )
    posted = _cumulative(post_days, post_slots, until)
    placed = sum(1 for s in starts if s <= until)
    elapsed = max((until - program.starts_on).days + 1, 0)
    left = max((program.ends_on - max(on, program.starts_on)).days, 0)
    if on < program.starts_on:
        phase = "not_started"
    elif on > program.ends_on:
        phase = "ended"
    else:
        phase = "running"
    pace_posts = posted / elapsed if elapsed else 0.0
    pace_placed = placed / elapsed if elapsed else 0.0
    projected_placements = math.floor(placed + pace_placed * left) if phase == "running" else placed
    projected_posts = math.floor(posted + pace_posts * left) if phase == "running" else posted
    if program.quota is not None:
        projected_placements = min(projected_placements, program.quota)
    placements_needed = max(program.floor - placed, 0)
    posts_needed = max(program.floor - posted, 0)
    # Only a running program can still be saved; one that ended short has missed its floor.
    at_risk = phase == "running" and projected_placements < program.floor
    missed_floor = phase == "ended" and placed < program.floor
    return {
        "program_id": program.id,
        "program_key": program.key,
        "program_name": program.name,
        "program_name_en": program.name_en,
        "district_code": program.district_code,
        "starts_on": program.starts_on,
        "ends_on": program.ends_on,
        "on": on,
        "phase": phase,
        "floor": program.floor,
        "quota": program.quota,
        "posts": posted,
        "placements": placed,
        "seats_taken": program.seats_taken,
        "floor_fill": round(placed / program.floor, 4) if program.floor else None,
        "quota_fill": round(placed / program.quota, 4) if program.quota else None,
        "days_elapsed": elapsed,
        "days_left": left,
        "pace_per_week": {
            "posts": round(pace_posts * 7, 2),
            "placements": round(pace_placed * 7, 2),
        },
        "projected": {"posts": projected_posts, "placements": projected_placements},
        "at_risk": at_risk,
        "missed_floor": missed_floor,
        "needs": {
            "placements": placements_needed if at_risk else 0,
            "posts": posts_needed if at_risk else 0,
            "placements_per_week": round(placements_needed / left * 7, 2)
            if at_risk and left
            else None,
        },
        "message": _message(
            program, phase, at_risk, projected_placements, placements_needed, posts_needed
        ),
        "timeline": timeline,
    }


def _message(
    program: Program, phase: str, at_risk: bool, projected: int, placements: int, posts: int
) -> dict[str, str]:
    name_en = program.name_en or program.key
    if phase == "ended":
        return {
            "zh": f"{program.name}：已结束，安置 {projected} 人，下限 {program.floor}",
            "en": f"{name_en}: ended with {projected} placements against a floor of {program.floor}",
        }
    if not at_risk:
        return {
            "zh": f"{program.name}：按目前进度预计可达下限 {program.floor}（预计 {projected}）",
            "en": f"{name_en}: on course for its floor of {program.floor} (projected {projected})",
        }
    return {
        "zh": f"{program.name}：按目前进度预计仅 {projected} 人，低于下限 {program.floor}；"
        f"尚需安置 {placements} 人、募集岗位 {posts} 个",
        "en": f"{name_en}: projected {projected}, below its floor of {program.floor}; "
        f"needs {placements} more placements and {posts} more posts",
    }


def early_warnings(
    user: User, district: str | None = None, on: dt.date | None = None
) -> list[dict]:
    """Every program of the office's district with its projection; those on course to miss the floor first."""
    scope = report_scope(user, district)
    stmt = select(Program).order_by(Program.ends_on, Program.id)
    if scope is not None:
        stmt = stmt.where(Program.district_code == scope)
    rows = [program_progress(p, on) for p in db.session.scalars(stmt)]
    return sorted(rows, key=lambda r: (not r["at_risk"], r["ends_on"], r["program_id"]))


def target_warnings(
    user: User, district: str | None = None, on: dt.date | None = None
) -> list[dict]:
    """The rulebooks' yearly targets for the scope with the year's figures so far; those behind first."""
    rows = target_progress(report_scope(user, district), on or dt.date.today())
    return sorted(rows, key=lambda r: (not r.get("behind", False), not r["counted"]))
