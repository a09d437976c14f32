"""Employers."""

from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import require_actor, roles_required
from app.schemas.employer import (
    EmployerInSchema,
    EmployerOfficeUpdateSchema,
    EmployerQuery,
    EmployerSchema,
)
from app.services import employers

PREFIX = "/employers"
blp = Blueprint("employers", __name__, description="Employers and trainee hosts")


@blp.route("")
class Employers(MethodView):
    @blp.arguments(EmployerQuery, location="query")
    @blp.response(200, EmployerSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Employers you manage: your own, or your office's district."""
        p = pagination_parameters
        return page_of(p, employers.list_employers(require_actor(), args, p.page, p.page_size))

    @roles_required("office")
    @blp.arguments(EmployerInSchema)
    @blp.response(201, EmployerSchema)
    def post(self, data):
        """Register an employer (offices)."""
        return employers.create_employer(require_actor(), data)


@blp.route("/<int:employer_id>")
class EmployerItem(MethodView):
    @blp.response(200, EmployerSchema)
    def get(self, employer_id):
        """One employer you manage."""
        return employers.get_employer(require_actor(), employer_id)

    @roles_required("employer", "office")
    @blp.arguments(EmployerOfficeUpdateSchema(partial=True))
    @blp.response(200, EmployerSchema)
    def patch(self, data, employer_id):
        """Edit an employer; approval, host cap and blacklist are for offices."""
        return employers.update_employer(require_actor(), employer_id, data)
