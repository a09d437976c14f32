"""Employment records: hires and the facts the one-off hiring subsidies test."""

from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import require_actor, roles_required
from app.schemas.employment import EmploymentFactsSchema, EmploymentQuery, EmploymentSchema
from app.services import employment

PREFIX = "/employments"
blp = Blueprint(
    "employments", __name__, description="Hires with contract length and insurance months"
)


@blp.route("")
class Employments(MethodView):
    @roles_required("employer", "office")
    @blp.arguments(EmploymentQuery, location="query")
    @blp.response(200, EmploymentSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Your hires (employer) or your district's (office), by seeker, employer, dates and facts."""
        p = pagination_parameters
        return page_of(p, employment.list_employments(require_actor(), args, p.page, p.page_size))


@blp.route("/<int:employment_id>")
class EmploymentItem(MethodView):
    @roles_required("employer", "office")
    @blp.response(200, EmploymentSchema)
    def get(self, employment_id):
        """One employment record you may see."""
        return employment.get_employment(require_actor(), employment_id)

    @roles_required("employer", "office")
    @blp.arguments(EmploymentFactsSchema)
    @blp.response(200, EmploymentSchema)
    def patch(self, data, employment_id):
        """Record contract length, months of social and unemployment insurance, or the end."""
        return employment.record_facts(require_actor(), employment_id, data)
