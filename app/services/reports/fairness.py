"""Fairness report: placement and ranking outcomes by district, household registration, gender, age band and disability.

None of these attributes is a ranking feature (``tests/matching/test_fairness_features.py``
checks ``matching.features.FEATURES`` and the seeker profile); residence enters the ranker
only as distance to the post. The report shows whether outcomes nevertheless differ: for
each group, the share of its seekers placed (a traineeship started or a hire), and, from a
match report run, the share shown in some post's list and their mean best rank. A group
whose rate is below four fifths of the best group's (with at least ``MIN_GROUP`` members)
is flagged.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select

from app.errors import NotFound
from app.extensions import db
from app.models import Application, MatchResult, MatchRun, Seeker, Traineeship, User
from app.services.common import require_office_over
from app.services.reports.dispatch import rate
from app.services.reports.match_report import KIND, view_of
from app.services.reports.service_tracking import report_scope

AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 200))
FOUR_FIFTHS = 0.8
MIN_GROUP = 20
ATTRIBUTES = ("district", "hukou", "gender", "age_band", "disability")


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in whole years on a day."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_band(birth: dt.date, on: dt.date) -> str:
    """The age band a person is in on a day, e.g. ``16-24`` or ``55+``."""
    age = age_on(birth, on)
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return "under-16"


def _groupers(scope: str | None, on: dt.date) -> dict[str, Callable[[Seeker], str]]:
    def hukou(s: Seeker) -> str:
        if s.hukou_district is None:
            return "unknown"
        if scope is None:
            return s.hukou_district
        return "local" if s.hukou_district == scope else "other"

    return {
        "district": lambda s: s.district_code or "unknown",
        "hukou": hukou,
        "gender": lambda s: s.gender or "unknown",
        "age_band": lambda s: age_band(s.birth_date, on),
        "disability": lambda s: "disabled" if s.disability else "not_disabled",
    }


def _latest_run(scope: str | None) -> MatchRun | None:
    stmt = (
        select(MatchRun)
        .where(MatchRun.kind == KIND, MatchRun.status == "done")
        .order_by(MatchRun.id.desc())
        .limit(1)
    )
    if scope is not None:
        stmt = stmt.where(MatchRun.district_code == scope)
    return db.session.scalar(stmt)


def _flag(groups: list[dict], key: str) -> None:
    sized = [g[key] for g in groups if g[key] is not None and g["seekers"] >= MIN_GROUP]
    best = max(sized, default=None)
    for g in groups:
        value = g[key]
        g[f"{key}_ratio"] = round(value / best, 4) if best and value is not None else None
        g[f"{key}_flag"] = bool(
            best and value is not None and g["seekers"] >= MIN_GROUP and value < FOUR_FIFTHS * best
        )


def fairness_report(
    user: User, district: str | None = None, run_id: int | None = None, on: dt.date | None = None
) -> dict:
    """Outcomes per group of each protected attribute, with ratios to the best group and flags."""
    scope = report_scope(user, district)
    on = on or dt.date.today()
    stmt = select(Seeker).order_by(Seeker.id)
    people = [
        s
        for s in db.session.scalars(stmt)
        if scope is None or scope in (s.district_code, s.hukou_district)
    ]
    ids = {s.id for s in people}
    placed = {t for t in db.session.scalars(select(Traineeship.seeker_id)) if t in ids} | {
        a
        for a in db.session.scalars(
            select(Application.seeker_id).where(Application.status == "hired")
        )
        if a in ids
    }
    run = db.session.get(MatchRun, run_id) if run_id is not None else _latest_run(scope)
    if run_id is not None and (run is None or run.kind != KIND):
        raise NotFound("报告不存在 / report run not found")
    if run is not None:
        require_office_over(user, run.district_code)
    best_rank: dict[int, int] = {}
    recommended: set[int] = set()
    considered: set[int] = set()
    if run is not None:
        considered = set(run.parameters.get("inputs", {}).get("seeker_ids", []))
        for r in db.session.scalars(select(MatchResult).where(MatchResult.run_id == run.id)):
            if view_of(r) == "post":
                best_rank[r.seeker_id] = min(best_rank.get(r.seeker_id, r.rank), r.rank)
            else:
                recommended.add(r.seeker_id)
    attributes = {}
    for name, key_of in _groupers(scope, on).items():
        members: dict[str, list[Seeker]] = defaultdict(list)
        for s in people:
            members[key_of(s)].append(s)
        groups = []
        for key in sorted(members):
            group = members[key]
            ranked = [s for s in group if s.id in considered and s.visible]
            shown = [s for s in ranked if s.id in best_rank]
            groups.append(
                {
                    "group": key,
                    "seekers": len(group),
                    "placed": sum(1 for s in group if s.id in placed),
                    "placement_rate": rate(sum(1 for s in group if s.id in placed), len(group)),
                    "ranked": len(ranked),
                    "shown": len(shown),
                    "shown_rate": rate(len(shown), len(ranked)),
                    "mean_best_rank": round(sum(best_rank[s.id] for s in shown) / len(shown), 2)
                    if shown
                    else None,
                    "recommended": sum(1 for s in group if s.id in recommended),
                }
            )
        _flag(groups, "placement_rate")
        _flag(groups, "shown_rate")
        attributes[name] = groups
    return {
        "district_code": scope,
        "on": on,
        "run_id": run.id if run else None,
        "run_number": run.number if run else None,
        "seekers": len(people),
        "min_group": MIN_GROUP,
        "threshold": FOUR_FIFTHS,
        "attributes": attributes,
        "note": {
            "zh": "户籍、性别、年龄和残疾情况均不是排序特征，居住区县只以与岗位的距离参与排序；"
            "本表用于检查结果是否对某一群体不利（低于最佳群体的五分之四且人数不少于 20 时标记）。",
            "en": "Household registration, gender, age and disability are never ranking features, "
            "and residence counts only as distance to the post; this table checks whether "
            "outcomes still disadvantage a group (flagged below four fifths of the best group, "
            "for groups of at least 20).",
        },
    }
