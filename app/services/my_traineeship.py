"""The seeker's own traineeships: host, dates, the host's subsidy for them and the outcome."""

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import SubsidyLine, Traineeship, User
from app.services.seekers import own_seeker


def my_traineeships(user: User, on: dt.date) -> list[dict]:
    """Each of the seeker's traineeships, newest first, as of ``on``: whether an outcome is due, subsidy due and paid."""
    seeker = own_seeker(user)
    rows = list(
        db.session.scalars(
            select(Traineeship)
            .where(Traineeship.seeker_id == seeker.id)
            .options(
                joinedload(Traineeship.host),
                joinedload(Traineeship.posting),
                joinedload(Traineeship.program),
            )
            .order_by(Traineeship.started_on.desc(), Traineeship.id.desc())
        )
    )
    sums: dict[int, dict[str, int]] = {}
    last_month: dict[int, str] = {}
    if rows:
        for traineeship_id, status, amount, month in db.session.execute(
            select(
                SubsidyLine.traineeship_id,
                SubsidyLine.status,
                func.sum(SubsidyLine.amount),
                func.max(SubsidyLine.month),
            )
            .where(SubsidyLine.traineeship_id.in_([t.id for t in rows]))
            .group_by(SubsidyLine.traineeship_id, SubsidyLine.status)
        ):
            sums.setdefault(traineeship_id, {})[status] = int(amount or 0)
            last_month[traineeship_id] = max(last_month.get(traineeship_id, ""), month or "")
    return [
        {
            "traineeship": t,
            "planned_end": t.planned_end,
            "awaiting_outcome": t.awaiting_outcome(on),
            "subsidy": {
                "paid": sums.get(t.id, {}).get("paid", 0),
                "due": sums.get(t.id, {}).get("due", 0),
                "settled_through": last_month.get(t.id) or None,
                "in_program": t.program_id is not None,
            },
        }
        for t in rows
    ]
