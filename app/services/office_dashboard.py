"""Figures for an office's dashboard, scoped to its district (city staff see all)."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Application, DesiredJob, Employer, Posting, Program, Seeker, User
from app.services.common import office_scope, require_office


def dashboard(user: User) -> dict:
    """Counts of postings by status and with unchecked occupation codes, desired jobs with unchecked codes, employers, seekers, applications by status, and programs' quota fill."""
    require_office(user)
    scope = office_scope(user)

    def scoped(stmt, column):
        return stmt if scope is None else stmt.where(column == scope)

    postings = dict(
        db.session.execute(
            scoped(
                select(Posting.status, func.count()).group_by(Posting.status), Posting.district_code
            )
        ).all()
    )
    applications = dict(
        db.session.execute(
            scoped(
                select(Application.status, func.count())
                .join(Application.posting)
                .group_by(Application.status),
                Posting.district_code,
            )
        ).all()
    )
    codes_to_check = (
        db.session.scalar(
            scoped(
                select(func.count())
                .select_from(Posting)
                .where(Posting.occupation_source == "auto"),
                Posting.district_code,
            )
        )
        or 0
    )
    employers = (
        db.session.scalar(
            scoped(select(func.count()).select_from(Employer), Employer.district_code)
        )
        or 0
    )
    blacklisted = (
        db.session.scalar(
            scoped(
                select(func.count()).select_from(Employer).where(Employer.blacklisted.is_(True)),
                Employer.district_code,
            )
        )
        or 0
    )

    def of_seekers(stmt):
        return stmt if scope is None else stmt.where(Seeker.of_district(scope))

    seekers = db.session.scalar(of_seekers(select(func.count()).select_from(Seeker))) or 0
    jobs_to_check = (
        db.session.scalar(
            of_seekers(
                select(func.count())
                .select_from(DesiredJob)
                .join(Seeker)
                .where(DesiredJob.occupation_source == "auto")
            )
        )
        or 0
    )
    programs = list(
        db.session.scalars(
            scoped(
                select(Program).order_by(Program.starts_on.desc(), Program.id),
                Program.district_code,
            )
        )
    )
    return {
        "postings": postings,
        "codes_to_check": codes_to_check,
        "jobs_to_check": jobs_to_check,
        "applications": applications,
        "employers": employers,
        "blacklisted": blacklisted,
        "seekers": seekers,
        "programs": programs,
    }
