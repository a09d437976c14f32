"""Traineeship programs."""

from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import require_actor, roles_required
from app.schemas.program import ProgramInSchema, ProgramQuery, ProgramSchema, ProgramUpdateSchema
from app.services import programs

PREFIX = "/programs"
blp = Blueprint("programs", __name__, description="Traineeship programs with quotas")


@blp.route("")
class Programs(MethodView):
    @blp.doc(security=[])
    @blp.arguments(ProgramQuery, location="query")
    @blp.response(200, ProgramSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Programs with their quotas and seats taken."""
        p = pagination_parameters
        return page_of(p, programs.list_programs(args, p.page, p.page_size))

    @roles_required("office")
    @blp.arguments(ProgramInSchema)
    @blp.response(201, ProgramSchema)
    def post(self, data):
        """Open a program (offices, in their district)."""
        return programs.create_program(require_actor(), data)


@blp.route("/<int:program_id>")
class ProgramItem(MethodView):
    @blp.doc(security=[])
    @blp.response(200, ProgramSchema)
    def get(self, program_id):
        """One program."""
        return programs.get_program(program_id)

    @roles_required("office")
    @blp.arguments(ProgramUpdateSchema)
    @blp.response(200, ProgramSchema)
    def patch(self, data, program_id):
        """Change names, quota, floor or end date (offices)."""
        return programs.update_program(require_actor(), program_id, data)
