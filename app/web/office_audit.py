"""The audit trail page of an office: filters, a table and the CSV of what is shown."""

from flask import Response, render_template, request
from marshmallow import ValidationError

from app.schemas.audit import AuditQuery
from app.services import audit_trail
from app.web.helpers import bi, me, page_arg, pages, role_required
from app.web.office import OFFICE, bp

PAGE_SIZE = 50
FILTERS = ("seeker_id", "posting_id", "subsidy_line_id", "user_id", "action", "since", "until")


def _filters() -> tuple[dict, dict[str, str]]:
    """The filters of the query string; a bad one is dropped with a message beside its field."""
    raw = {k: request.args[k].strip() for k in FILTERS if request.args.get(k, "").strip()}
    try:
        return AuditQuery().load(raw), {}
    except ValidationError as err:
        errors = {k: bi(" ".join(map(str, v))) for k, v in err.messages.items()}
        good = {k: v for k, v in raw.items() if k not in errors}
        return AuditQuery().load(good), errors


@bp.route("/audit")
@role_required(*OFFICE)
def audit_trail_page():
    """Who did what, when and from where, in the office's district (all of it for city staff)."""
    args, errors = _filters()
    page = page_arg()
    items, total = audit_trail.list_events(me(), args, page, PAGE_SIZE)
    raw = {k: request.args.get(k, "") for k in FILTERS}
    return render_template(
        "office/audit.html",
        items=items,
        pager=pages(total, page, PAGE_SIZE),
        raw=raw,
        errors=errors,
        total=total,
    )


@bp.route("/audit.csv")
@role_required(*OFFICE)
def audit_trail_csv():
    """The filtered trail as CSV."""
    args, _errors = _filters()
    data, name = audit_trail.events_csv(me(), args)
    return Response(
        data,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
