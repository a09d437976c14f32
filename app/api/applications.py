"""Applications."""

from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import require_actor, roles_required
from app.schemas.application import (
    ApplicationInSchema,
    ApplicationQuery,
    ApplicationSchema,
    ApplicationUpdateSchema,
    TimelineSchema,
)
from app.services import application_history, applications

PREFIX = "/applications"
blp = Blueprint("applications", __name__, description="Applications and hiring decisions")


@blp.route("")
class Applications(MethodView):
    @blp.arguments(ApplicationQuery, location="query")
    @blp.response(200, ApplicationSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Your applications (seeker), your applicants (employer) or your district's (office)."""
        p = pagination_parameters
        return page_of(
            p, applications.list_applications(require_actor(), args, p.page, p.page_size)
        )

    @roles_required("seeker")
    @blp.arguments(ApplicationInSchema)
    @blp.response(201, ApplicationSchema)
    def post(self, data):
        """Apply to a published posting."""
        return applications.apply(require_actor(), data["posting_id"], data.get("note"))


@blp.route("/<int:application_id>")
class ApplicationItem(MethodView):
    @blp.response(200, ApplicationSchema)
    def get(self, application_id):
        """One application you may see."""
        return applications.get_application(require_actor(), application_id)

    @blp.arguments(ApplicationUpdateSchema)
    @blp.response(200, ApplicationSchema)
    def patch(self, data, application_id):
        """Withdraw (seeker) or shortlist, invite, hire, reject (employer, office); hiring on a trainee post enrols."""
        return applications.move(
            require_actor(),
            application_id,
            data["status"],
            data.get("note"),
            data.get("started_on"),
            {k: data[k] for k in ("interview_at", "interview_place") if data.get(k)},
        )


@blp.route("/<int:application_id>/timeline")
class ApplicationTimeline(MethodView):
    @blp.response(200, TimelineSchema)
    def get(self, application_id):
        """Every status the application took, when and by whom (an invitation's time and place)."""
        return application_history.timeline(require_actor(), application_id)
