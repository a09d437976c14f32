"""Monthly dispatch report (月调度, due by the 3rd, 000 § 16) and its quarterly, half-year and annual roll-ups.

Flows (new postings, placements, completions, subsidy lines) are counted inside the period;
stocks (active trainees, graduate employment) are read at its last day. Subsidy figures are
sums of stored ``subsidy_line`` rows — the same rows the settlement view totals — by the
month they are for: ``due`` lines are settled and awaiting payment, ``paid`` ones were paid.

Graduate employment rate (our reading; the documents set the ≥ 90 % target but do not define
it): among seekers of the scope whose graduation date falls in the period's year and on or
before its last day, the share who by that day are employed (the ``employed`` flag, or a hire
through an application) or in a traineeship (active then, or ended retained / converted early).
"""

import calendar
import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.errors import RuleViolation
from app.extensions import db
from app.models import (
    Application,
    Employer,
    Posting,
    Program,
    Seeker,
    ServiceRecord,
    SubsidyLine,
    Traineeship,
    User,
)
from app.services.reports.service_tracking import report_scope, tracking_report
from app.services.reports.targets import rulebook_targets, target_progress

TARGET_RATE = 0.9
DUE_DAY = 3
PERIOD = re.compile(r"^((?:19|20)\d{2})(?:-(0[1-9]|1[0-2])|-Q([1-4])|-H([12]))?$")
RETAINED = ("retained", "converted_early")
FINISHED = ("completed", "retained", "converted_early")


@dataclass(frozen=True)
class Period:
    """A reporting period: a month, quarter, half-year or year."""

    label: str
    kind: str
    start: dt.date
    end: dt.date

    def months(self) -> list[str]:
        """The YYYY-MM months the period covers."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def due_by(self) -> dt.date:
        """The day the report is due: the 3rd of the month after the period."""
        nxt = self.end + dt.timedelta(days=1)
        return nxt.replace(day=DUE_DAY)


def parse_period(text: str) -> Period:
    """Read ``YYYY-MM``, ``YYYY-Qn``, ``YYYY-Hn`` or ``YYYY``, within 1900–2099."""
    found = PERIOD.match(text or "")
    if not found:
        raise RuleViolation(
            "期间格式应为 1900—2099 年的 YYYY-MM、YYYY-Qn、YYYY-Hn 或 YYYY / "
            "period must be YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY within 1900–2099",
            field="period",
        )
    year = int(found.group(1))
    month, quarter, half = found.group(2), found.group(3), found.group(4)
    if month:
        first, last, kind = int(month), int(month), "month"
    elif quarter:
        first, last, kind = 3 * int(quarter) - 2, 3 * int(quarter), "quarter"
    elif half:
        first, last, kind = 6 * int(half) - 5, 6 * int(half), "half_year"
    else:
        first, last, kind = 1, 12, "year"
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(text, kind, dt.date(year, first, 1), end)


@dataclass
class _Data:
    postings: list[Posting]
    traineeships: list[Traineeship]
    hires: list[Application]
    lines: list[SubsidyLine]
    seekers: list[Seeker]
    services: list[ServiceRecord]
    programs: dict[int, Program]


def _district_of_traineeship(t: Traineeship) -> str:
    return t.program.district_code if t.program else t.host.district_code


def _load(scope: str | None, period: Period) -> _Data:
    programs = {p.id: p for p in db.session.scalars(select(Program))}
    postings = [
        p
        for p in db.session.scalars(select(Posting).where(Posting.published_at.is_not(None)))
        if scope is None or p.district_code == scope
    ]
    traineeships = [
        t
        for t in db.session.scalars(
            select(Traineeship).options(
                joinedload(Traineeship.program), joinedload(Traineeship.host)
            )
        )
        if scope is None or _district_of_traineeship(t) == scope
    ]
    hires = [
        a
        for a in db.session.scalars(
            select(Application)
            .join(Application.posting)
            .where(Application.status == "hired", Posting.kind != "traineeship")
            .options(joinedload(Application.posting))
        )
        if scope is None or a.posting.district_code == scope
    ]
    in_scope = {t.id for t in traineeships}
    lines = [
        row
        for row in db.session.scalars(select(SubsidyLine).order_by(SubsidyLine.id))
        if row.traineeship_id in in_scope
    ]
    seekers = list(db.session.scalars(select(Seeker).order_by(Seeker.id)))
    if scope is not None:
        seekers = [s for s in seekers if scope in (s.district_code, s.hukou_district)]
    ids = {s.id for s in seekers}
    services = [
        r
        for r in db.session.scalars(
            select(ServiceRecord).where(
                ServiceRecord.delivered_on >= period.start, ServiceRecord.delivered_on <= period.end
            )
        )
        if r.seeker_id in ids
    ]
    return _Data(postings, traineeships, hires, lines, seekers, services, programs)


def _day(value: dt.datetime | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _within(value: dt.datetime | dt.date | None, start: dt.date, end: dt.date) -> bool:
    day = _day(value)
    return day is not None and start <= day <= end


def rate(numerator: int, denominator: int) -> float | None:
    """A share rounded to 4 places, or None when there is nothing to divide by."""
    return round(numerator / denominator, 4) if denominator else None


def _flows(data: _Data, start: dt.date, end: dt.date, months: list[str]) -> dict:
    new = [p for p in data.postings if _within(p.published_at, start, end)]
    started = [t for t in data.traineeships if start <= t.started_on <= end]
    hires = [a for a in data.hires if _within(a.decided_at, start, end)]
    ended = [t for t in data.traineeships if _within(t.ended_on, start, end)]
    counts = {o: sum(1 for t in ended if t.outcome == o) for o in (*FINISHED, "left_early")}
    kept = counts["retained"] + counts["converted_early"]
    lines = [row for row in data.lines if row.month in months]
    return {
        "new_postings": len(new),
        "new_trainee_posts": sum(1 for p in new if p.kind == "traineeship"),
        "new_slots": sum(p.slots for p in new),
        "hires": len(hires),
        "traineeships_started": len(started),
        "placements": len(hires) + len(started),
        "completions": sum(counts[o] for o in FINISHED),
        "retained": counts["retained"],
        "converted_early": counts["converted_early"],
        "completed_not_retained": counts["completed"],
        "left_early": counts["left_early"],
        "retention_rate": rate(kept, kept + counts["completed"]),
        "subsidy_settled": sum(row.amount for row in lines),
        "subsidy_due": sum(row.amount for row in lines if row.status == "due"),
        "subsidy_paid": sum(row.amount for row in lines if row.status == "paid"),
    }


def _active_on(t: Traineeship, day: dt.date) -> bool:
    return t.started_on <= day and (t.ended_on is None or t.ended_on > day)


def _graduates(data: _Data, period: Period) -> dict:
    end = period.end
    cohort = [
        s
        for s in data.seekers
        if s.graduation_date and s.graduation_date.year == end.year and s.graduation_date <= end
    ]
    ids = {s.id for s in cohort}
    hired = {
        a.seeker_id for a in data.hires if a.seeker_id in ids and (_day(a.decided_at) or end) <= end
    }
    trainee = {
        t.seeker_id
        for t in data.traineeships
        if t.seeker_id in ids
        and (_active_on(t, end) or (t.outcome in RETAINED and t.ended_on and t.ended_on <= end))
    }
    employed = {s.id for s in cohort if s.employed} | hired
    placed = employed | trainee
    n = len(cohort)
    need = max(math.ceil(TARGET_RATE * n) - len(placed), 0)
    return {
        "graduation_year": end.year,
        "graduates": n,
        "employed": len(employed),
        "in_traineeship": len(trainee - employed),
        "employed_or_trainee": len(placed),
        "rate": rate(len(placed), n),
        "target": TARGET_RATE,
        "meets_target": n > 0 and len(placed) >= math.ceil(TARGET_RATE * n),
        "still_needed": need,
    }


def _by_program(data: _Data, months: list[str]) -> list[dict]:
    totals: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in data.lines:
        if row.month in months:
            totals[row.program_id]["settled"] += row.amount
            totals[row.program_id][row.status] += row.amount
    out = []
    for program_id, sums in sorted(totals.items(), key=lambda x: x[0] or 0):
        program = data.programs.get(program_id) if program_id else None
        out.append(
            {
                "program_id": program_id,
                "program_key": program.key if program else None,
                "program_name": program.name if program else None,
                "settled": sums["settled"],
                "due": sums["due"],
                "paid": sums["paid"],
            }
        )
    return out


def dispatch_report(user: User | None, period: str, district: str | None = None) -> dict:
    """The dispatch figures of a month (or quarter, half-year, year) for an office's district."""
    scope = report_scope(user, district)
    p = parse_period(period)
    data = _load(scope, p)
    months = p.months()
    figures = _flows(data, p.start, p.end, months)
    figures["active_trainees"] = sum(1 for t in data.traineeships if _active_on(t, p.end))
    series = []
    for month in months:
        m = parse_period(month)
        series.append({"month": month, **_flows(data, m.start, m.end, [month])})
        series[-1]["active_trainees"] = sum(1 for t in data.traineeships if _active_on(t, m.end))
    tracking = tracking_report(user, scope, on=p.end)
    services = {
        kind: 0 for kind in ("guidance", "recommendation", "training", "traineeship", "contact")
    }
    for r in data.services:
        services[r.kind] += 1
    return {
        "period": p.label,
        "kind": p.kind,
        "start": p.start,
        "end": p.end,
        "due_by": p.due_by,
        "district_code": scope,
        "figures": figures,
        "subsidy_by_program": _by_program(data, months),
        "priority_services": {
            "delivered": services,
            "people_served": len({r.seeker_id for r in data.services}),
            "difficult_graduates": tracking["difficult_graduates"],
            "package_complete": tracking["complete"],
            "package_missing": tracking["missing_totals"],
            "registered_unemployed": tracking["registered_unemployed"],
            "uncontacted": len(tracking["uncontacted"]),
        },
        "graduate_employment": _graduates(data, p),
        "targets": rulebook_targets(scope, p.start, p.end),
        "target_progress": target_progress(scope, p.end),
        "months": series,
        "definitions": {
            "graduate_employment_rate": (
                "graduates of the year (graduation date in the period's year, on or before its end) "
                "who by the end are employed (flag or hire) or in a traineeship (active, or ended "
                "retained / converted early), over all such graduates; target ≥ 90 %"
            ),
            "retention_rate": "(retained + converted early) / (completed + retained + converted early) among traineeships ended in the period; early leavers excluded",
            "placements": "hires through applications decided in the period (not on trainee posts, whose hire is the traineeship) plus traineeships started in it",
            "subsidy": "sums of stored subsidy lines for the period's months (settled = due + paid)",
        },
    }


def latest_month_with_data(user: User | None, today: dt.date) -> str | None:
    """The last month up to ``today``'s last full month in which a traineeship of the scope began or ended."""
    scope = report_scope(user, None)
    district = func.coalesce(Program.district_code, Employer.district_code)
    stmt = (
        select(func.max(Traineeship.started_on), func.max(Traineeship.ended_on))
        .outerjoin(Program, Traineeship.program_id == Program.id)
        .join(Employer, Traineeship.host_id == Employer.id)
        .where(Traineeship.started_on <= today)
    )
    if scope is not None:
        stmt = stmt.where(district == scope)
    started, ended = db.session.execute(stmt).one()
    days = [d for d in (started, ended) if d is not None and d <= today]
    if not days:
        return None
    last_full = today.replace(day=1) - dt.timedelta(days=1)
    return min(max(days), last_full).strftime("%Y-%m")


def covering_period(start: dt.date, end: dt.date) -> str:
    """The shortest period label (month, quarter, half-year or year) that covers start to end."""
    if start.year != end.year:
        return str(start.year)
    for label, size in (("", 1), ("Q", 3), ("H", 6)):
        first, last = (start.month - 1) // size, (end.month - 1) // size
        if first == last:
            return f"{start.year}-{label}{first + 1}" if label else start.strftime("%Y-%m")
    return str(start.year)


def program_periods(user: User | None) -> list[tuple[str, Program]]:
    """Each program of the scope with the period that covers it, newest first."""
    scope = report_scope(user, None)
    stmt = select(Program).order_by(Program.starts_on.desc(), Program.id)
    if scope is not None:
        stmt = stmt.where(Program.district_code == scope)
    return [(covering_period(p.starts_on, p.ends_on), p) for p in db.session.scalars(stmt)]
