"""Rulebook targets (kind ``target``) measured against what the service counts, year to date.

A target rule's parameters are yearly figures for its rulebook's jurisdiction (003 § (十七):
110,000 trainee posts and at least 10,000 trainees in the city in the year). Where the service
holds the figure it counts it from the 1st of January to the day asked for and compares it
with the pro-rata pace: the target times the share of the year gone. A figure the service
does not hold (三支一扶 recruits, incubators…) is listed as not counted, and a city-wide
target seen from a district as counted city-wide, so an office sees what it must still report by hand.
"""

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select

from app.extensions import db
from app.models import Employer, Posting, Program, Seeker, ServiceRecord, Traineeship
from app.services.rulebooks import latest_rulebooks

Counter = Callable[[str | None, dt.date, dt.date], int]
CITY = "500000"


def _posted_slots(kind: str) -> Counter:
    def count(scope: str | None, start: dt.date, end: dt.date) -> int:
        stmt = select(func.coalesce(func.sum(Posting.slots), 0)).where(
            Posting.kind == kind,
            Posting.published_at.is_not(None),
            func.date(Posting.published_at) >= start,
            func.date(Posting.published_at) <= end,
        )
        if scope is not None:
            stmt = stmt.where(Posting.district_code == scope)
        return int(db.session.scalar(stmt))

    return count


def _trainees(scope: str | None, start: dt.date, end: dt.date) -> int:
    stmt = select(func.count(Traineeship.id)).where(
        Traineeship.started_on >= start, Traineeship.started_on <= end
    )
    if scope is not None:
        # A traineeship lies in its program's district, or its host's when it has no program.
        stmt = (
            stmt.join(Employer, Employer.id == Traineeship.host_id)
            .outerjoin(Program, Program.id == Traineeship.program_id)
            .where(func.coalesce(Program.district_code, Employer.district_code) == scope)
        )
    return int(db.session.scalar(stmt))


def _guidance(scope: str | None, start: dt.date, end: dt.date) -> int:
    stmt = select(func.count(ServiceRecord.id)).where(
        ServiceRecord.kind == "guidance",
        ServiceRecord.delivered_on >= start,
        ServiceRecord.delivered_on <= end,
    )
    if scope is not None:
        stmt = stmt.join(Seeker, Seeker.id == ServiceRecord.seeker_id).where(
            Seeker.of_district(scope)
        )
    return int(db.session.scalar(stmt))


# (rule id, parameter) → how the service counts it; every other parameter is not counted.
COUNTED: dict[tuple[str, str], tuple[Counter, str, str]] = {
    ("target.traineeship", "posts"): (
        _posted_slots("traineeship"),
        "见习岗位（已发布岗位的名额）",
        "trainee posts (places of published posts)",
    ),
    ("target.traineeship", "trainees_min"): (
        _trainees,
        "见习人数（开始见习）",
        "trainees (traineeships started)",
    ),
    ("target.internship", "internship_posts"): (
        _posted_slots("internship"),
        "实习岗位（已发布岗位的名额）",
        "internship posts (places of published posts)",
    ),
    ("target.career_guidance", "sessions_min"): (
        _guidance,
        "职业指导服务人次",
        "career guidance sessions",
    ),
}


def rulebook_targets(scope: str | None, start: dt.date, end: dt.date) -> list[dict]:
    """Target rules of the rulebooks covering the scope (the city's alone city-wide) in force between the dates."""
    out = []
    for book in latest_rulebooks():
        if not (book.covers(scope) if scope else book.jurisdiction == CITY):
            continue
        for rule in book.of_kind("target"):
            if rule.valid_from <= end and (rule.valid_until is None or start <= rule.valid_until):
                out.append(
                    {
                        "rulebook": book.id,
                        "jurisdiction": book.jurisdiction,
                        "rule": rule.id,
                        "source": rule.source,
                        "name": {"zh": rule.name_zh, "en": rule.name_en},
                        "figures": dict(rule.params),
                    }
                )
    return out


def _year_share(on: dt.date) -> float:
    """The share of ``on``'s year gone by the end of ``on``."""
    first, last = dt.date(on.year, 1, 1), dt.date(on.year, 12, 31)
    return ((on - first).days + 1) / ((last - first).days + 1)


def target_progress(scope: str | None, on: dt.date) -> list[dict]:
    """Every target in force on ``on`` for the scope, each figure with what the service counted so far."""
    first = dt.date(on.year, 1, 1)
    out = []
    for target in rulebook_targets(scope, first, dt.date(on.year, 12, 31)):
        rule = target["rule"]
        for name, figure in sorted(target["figures"].items()):
            counted = COUNTED.get((rule, name))
            elsewhere = target["jurisdiction"] != (scope or CITY)
            row = {
                "rulebook": target["rulebook"],
                "rule": rule,
                "source": target["source"],
                "name": target["name"],
                "figure": name,
                "target": figure,
                "counted": counted is not None and not elsewhere,
            }
            if elsewhere or counted is None:
                message = (
                    {"zh": "全市目标，按全市统计", "en": "a city-wide target, counted city-wide"}
                    if elsewhere
                    else {"zh": "本系统不统计此项", "en": "not counted by the service"}
                )
                out.append({**row, "message": message})
                continue
            count, label_zh, label_en = counted
            achieved = count(scope, first, on)
            expected = int(figure * _year_share(on))
            behind = achieved < expected
            zh = f"{label_zh}：年内至 {on} 已 {achieved}，目标 {figure}，按进度应达 {expected}"
            en = f"{label_en}: {achieved} this year to {on}, target {figure}, pace {expected}"
            out.append(
                {
                    **row,
                    "label": {"zh": label_zh, "en": label_en},
                    "achieved": achieved,
                    "share": round(achieved / figure, 4) if figure else None,
                    "expected_by_now": expected,
                    "behind": behind,
                    "message": {
                        "zh": zh + ("，落后于进度" if behind else ""),
                        "en": en + (", behind pace" if behind else ""),
                    },
                }
            )
    return out
