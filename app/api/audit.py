"""The audit trail: admins and city staff read all of it, a district's office its district's."""

from flask import Response
from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import require_actor, roles_required
from app.schemas.audit import AuditEventSchema, AuditQuery
from app.services import audit_trail

PREFIX = "/audit-events"
blp = Blueprint("audit", __name__, description="Who did what, when and from where")
CSV = "text/csv; charset=utf-8"


@blp.route("")
class AuditEvents(MethodView):
    @roles_required("office")
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, AuditEventSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Audit events you may read, newest first, by person, posting, subsidy line, user, action and date."""
        p = pagination_parameters
        return page_of(p, audit_trail.list_events(require_actor(), args, p.page, p.page_size))


@blp.route(".csv")
class AuditEventsCsv(MethodView):
    @roles_required("office")
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, content_type=CSV)
    def get(self, args):
        """The filtered trail as CSV (the export is audited too)."""
        data, name = audit_trail.events_csv(require_actor(), args)
        return Response(
            data, mimetype=CSV, headers={"Content-Disposition": f"attachment; filename={name}"}
        )
