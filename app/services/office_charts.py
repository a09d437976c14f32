"""Figures for the office dashboard's subsidy charts, scoped to the office's district."""

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import Program, SubsidyLine, User
from app.services.common import office_scope, require_office
from app.services.office_pages import tier_threshold
from app.services.settlement import settlement_view


def _programs(user: User) -> list[Program]:
    require_office(user)
    stmt = select(Program).order_by(Program.starts_on.desc(), Program.id)
    scope = office_scope(user)
    if scope is not None:
        stmt = stmt.where(Program.district_code == scope)
    return list(db.session.scalars(stmt))


def subsidy_by_month(user: User) -> dict[str, int]:
    """Stored subsidy amounts per month (YYYY-MM, ascending) over the district's programs."""
    ids = [p.id for p in _programs(user)]
    rows = db.session.execute(
        select(SubsidyLine.month, func.sum(SubsidyLine.amount))
        .where(SubsidyLine.program_id.in_(ids))
        .group_by(SubsidyLine.month)
        .order_by(SubsidyLine.month)
    ).all()
    return {month: int(total or 0) for month, total in rows}


def retention_by_host(user: User) -> list[dict[str, Any]]:
    """Each host's retention rate in the district's enterprise programs, with the tier line."""
    out = []
    for program in _programs(user):
        threshold = tier_threshold(program)
        if threshold is None:
            continue
        for host in settlement_view(user, program.id, None)["hosts"]:
            if host["retention_rate"] is None:
                continue
            out.append(
                {
                    "program": program,
                    "host_id": host["host_id"],
                    "host_name": host["host_name"],
                    "retention_rate": host["retention_rate"],
                    "threshold_percent": threshold,
                }
            )
    return out
