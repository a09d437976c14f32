"""Reading the audit trail: admins and city staff see all of it, a district's office its own."""

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.services.cells import safe_row
from app.services.common import office_scope, paginate, require_office, security_event

COLUMNS = (
    "id",
    "at",
    "user_id",
    "action",
    "entity",
    "entity_id",
    "district",
    "ip",
    "before",
    "after",
)


def _query(user, args: dict):
    require_office(user)
    stmt = select(AuditEvent)
    if scope := office_scope(user):
        stmt = stmt.where(AuditEvent.district == scope)
    if args.get("seeker_id") is not None:
        stmt = stmt.where(
            AuditEvent.entity == "seeker", AuditEvent.entity_id == str(args["seeker_id"])
        )
    if args.get("posting_id") is not None:
        stmt = stmt.where(
            AuditEvent.entity == "posting", AuditEvent.entity_id == str(args["posting_id"])
        )
    if args.get("subsidy_line_id") is not None:
        stmt = stmt.where(
            AuditEvent.entity == "subsidy_line",
            AuditEvent.entity_id == str(args["subsidy_line_id"]),
        )
    for key in ("user_id", "action", "entity"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(AuditEvent, key) == args[key])
    if args.get("since"):
        stmt = stmt.where(AuditEvent.at >= dt.datetime.combine(args["since"], dt.time(), dt.UTC))
    if args.get("until"):
        end = dt.datetime.combine(args["until"] + dt.timedelta(days=1), dt.time(), dt.UTC)
        stmt = stmt.where(AuditEvent.at < end)
    return stmt.order_by(AuditEvent.id.desc())


def list_events(user, args: dict, page: int, page_size: int) -> tuple[list[AuditEvent], int]:
    """The audit events the user may read, newest first, filtered by person, posting, subsidy
    line, user, action, entity and date."""
    return paginate(_query(user, args), page, page_size)


def events_csv(user, args: dict) -> tuple[bytes, str]:
    """The filtered trail as UTF-8 CSV (cells neutralised); the export is itself audited."""
    rows = db.session.scalars(_query(user, args).limit(100_000)).all()
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(safe_row(_cell(getattr(e, c)) for c in COLUMNS) for e in rows)
    security_event(user, "audit_trail_exported", {"rows": len(rows), **_plain_args(args)})
    db.session.commit()
    return buffer.getvalue().encode("utf-8"), "audit-trail.csv"


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return "" if value is None else value


def _plain_args(args: dict) -> dict:
    return {
        k: v.isoformat() if isinstance(v, dt.date) else v for k, v in args.items() if v is not None
    }
