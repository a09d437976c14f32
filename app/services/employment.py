"""Employments: a record per hire, opened when an application is hired or a trainee kept on.

The employer (its own hires) or the office (its district) then records the facts the one-off
hiring subsidies test: labour-contract length and months of social and unemployment insurance.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import joinedload

from app.errors import Forbidden, RuleViolation
from app.extensions import db
from app.models import Application, Employer, Employment, Posting, Traineeship, User
from app.models.employment import MONTH_FIELDS
from app.services.common import (
    apply_changes,
    apply_sort,
    audit,
    commit,
    get_or_404,
    office_scope,
    paginate,
)

HIRED_TRAINEES = ("retained", "converted_early")
TRAINEE_POST_HIRE = (
    exists()
    .where(
        Application.id == Employment.application_id,
        Posting.id == Application.posting_id,
        Posting.kind == "traineeship",
    )
    .correlate(Employment)
)
"""An employment record opened (before enrolment became the hire) for a hire on a trainee post:
no labour contract, so no hiring subsidy."""


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar day in Chongqing of a stored UTC time."""
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def hire_date_of_trainee(ended_on: dt.date) -> dt.date:
    """A trainee kept on is employed from the day after the last day served."""
    return ended_on + dt.timedelta(days=1)


def _open(
    user: User | None,
    seeker_id: int,
    employer_id: int,
    hire_date: dt.date,
    *,
    application_id: int | None = None,
    traineeship_id: int | None = None,
) -> Employment | None:
    """Add an employment record for a hire unless one already exists (the caller commits)."""
    same_source = (
        Employment.application_id == application_id
        if application_id is not None
        else Employment.traineeship_id == traineeship_id
    )
    same_hire = and_(
        Employment.seeker_id == seeker_id,
        Employment.employer_id == employer_id,
        Employment.hire_date == hire_date,
    )
    with db.session.no_autoflush:
        known = db.session.scalar(select(Employment.id).where(or_(same_source, same_hire)))
    if known is not None:
        return None
    employment = Employment(
        seeker_id=seeker_id,
        employer_id=employer_id,
        hire_date=hire_date,
        application_id=application_id,
        traineeship_id=traineeship_id,
        recorded_by=user.id if user is not None else None,
    )
    db.session.add(employment)
    db.session.flush()
    audit(
        user,
        "employment_opened",
        "employment",
        employment.id,
        None,
        {"hire_date": hire_date, "source": employment.source},
    )
    return employment


def open_for_application(user: User | None, application: Application) -> Employment | None:
    """Open the employment record of a hired application (nothing for any other status).

    A hire on a trainee post is an enrolment, not a labour contract: its traineeship is the
    record, and an employment opens only if the trainee is kept on (``open_for_traineeship``).
    """
    if (
        application.status != "hired"
        or application.decided_at is None
        or application.posting.kind == "traineeship"
    ):
        return None
    return _open(
        user,
        application.seeker_id,
        application.posting.employer_id,
        local_date(application.decided_at),
        application_id=application.id,
    )


def open_for_traineeship(user: User | None, traineeship: Traineeship) -> Employment | None:
    """Open the employment record of a trainee retained or converted early (nothing otherwise)."""
    if traineeship.outcome not in HIRED_TRAINEES or traineeship.ended_on is None:
        return None
    return _open(
        user,
        traineeship.seeker_id,
        traineeship.host_id,
        hire_date_of_trainee(traineeship.ended_on),
        traineeship_id=traineeship.id,
    )


def can_manage(user: User, employment: Employment) -> bool:
    """The hiring employer, or an office covering the employer's district."""
    if user.role == "employer":
        return user.employer_id == employment.employer_id
    if user.role in ("office", "admin"):
        scope = office_scope(user)
        return scope is None or scope == employment.employer.district_code
    return False


def get_employment(user: User, employment_id: int) -> Employment:
    """Load an employment record the user may see."""
    employment = get_or_404(Employment, employment_id, "就业记录")
    if not can_manage(user, employment):
        raise Forbidden("无权查看该就业记录 / you may not see this employment record")
    return employment


def scoped(user: User) -> Select:
    """Employment records the user may see: the employer's own hires or the office's district."""
    stmt = (
        select(Employment)
        .join(Employment.employer)
        .options(joinedload(Employment.seeker), joinedload(Employment.employer))
    )
    if user.role == "employer":
        return stmt.where(Employment.employer_id == user.employer_id)
    if user.role not in ("office", "admin"):
        raise Forbidden("仅限用人单位和就业服务机构 / employers and offices only")
    scope = office_scope(user)
    return stmt.where(Employer.district_code == scope) if scope else stmt


def list_employments(
    user: User, args: dict, page: int, page_size: int
) -> tuple[list[Employment], int]:
    """The employer's hires or the office district's, filtered by seeker, employer, dates and facts."""
    stmt = scoped(user)
    for key in ("seeker_id", "employer_id"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Employment, key) == args[key])
    if args.get("hired_from") is not None:
        stmt = stmt.where(Employment.hire_date >= args["hired_from"])
    if args.get("hired_until") is not None:
        stmt = stmt.where(Employment.hire_date <= args["hired_until"])
    if args.get("ongoing") is not None:
        ended = Employment.ended_on.is_not(None)
        stmt = stmt.where(~ended if args["ongoing"] else ended)
    if args.get("facts_complete") is not None:
        complete = and_(*(getattr(Employment, name).is_not(None) for name in MONTH_FIELDS))
        stmt = stmt.where(complete if args["facts_complete"] else ~complete)
    stmt = apply_sort(stmt, Employment, args.get("sort"), ("hire_date", "id"), "-hire_date")
    return paginate(stmt, page, page_size)


def record_facts(user: User, employment_id: int, data: dict) -> Employment:
    """The employer or office records contract length, insurance months or the end of a hire."""
    employment = get_employment(user, employment_id)
    ended_on = data.get("ended_on", employment.ended_on)
    if ended_on is not None and ended_on < employment.hire_date:
        raise RuleViolation(
            f"离职日期不能早于招用日期 {employment.hire_date} / ended_on must not precede the hire date {employment.hire_date}",
            field="ended_on",
        )
    before, after = apply_changes(employment, data)
    if after:
        employment.recorded_by = user.id
        audit(user, "employment_facts", "employment", employment.id, before, after)
        commit(what="employment facts")
    return employment


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months - (1 if end.day < start.day else 0))


def demo_facts(seeker_id: int, hire_date: dt.date, today: dt.date) -> dict[str, int | None]:
    """Plausible facts for a demo hire, fixed by the seeker id: full, short, unrecorded or a short contract."""
    served = _months_between(hire_date, today)
    kind = seeker_id % 4
    contract = {0: 36, 1: 24, 2: 12, 3: 6}[kind]
    insured = {0: served, 1: min(served, 4), 2: None, 3: served}[kind]
    return {
        "contract_months": contract,
        "social_insurance_months": insured,
        "unemployment_insurance_months": None if insured is None else min(insured, served),
    }


def open_demo_hires(today: dt.date) -> int:
    """Give every demo hire (hired applications, trainees kept on) a record with demo facts."""
    db.session.flush()
    opened = [
        open_for_application(None, a)
        for a in db.session.scalars(select(Application).where(Application.status == "hired"))
    ] + [
        open_for_traineeship(None, t)
        for t in db.session.scalars(
            select(Traineeship).where(Traineeship.outcome.in_(HIRED_TRAINEES))
        )
    ]
    records = [e for e in opened if e is not None]
    for employment in records:
        for name, value in demo_facts(employment.seeker_id, employment.hire_date, today).items():
            setattr(employment, name, value)
    return len(records)
