"""Placement runs for a program: propose, review, override, second round, confirm."""

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth import require_actor, roles_required
from app.schemas.matching import (
    ConfirmSchema,
    OverrideSchema,
    ProposeSchema,
    RecomputeSchema,
    RunSchema,
    TransferSchema,
)
from app.schemas.program import ProgramSchema
from app.services import placement

PREFIX = ""
blp = Blueprint("placements", __name__, description="Quota-aware placement (offices)")


@blp.route("/programs/<int:program_id>/placements")
class Proposals(MethodView):
    @roles_required("office")
    @blp.arguments(ProposeSchema)
    @blp.response(201, RunSchema)
    def post(self, data, program_id):
        """Propose placements for a program's open trainee posts (stable or best total)."""
        run = placement.propose(
            require_actor(), program_id, data["mode"], data["seed"], data.get("after_run_id")
        )
        return placement.run_view(run)


@blp.route("/placements/<int:run_id>")
class Run(MethodView):
    @roles_required("office")
    @blp.response(200, RunSchema)
    def get(self, run_id):
        """A stored placement run, exactly as it was proposed and changed."""
        return placement.run_view(placement.get_run(require_actor(), run_id))


@blp.route("/placements/<int:run_id>/overrides")
class Overrides(MethodView):
    @roles_required("office")
    @blp.arguments(OverrideSchema)
    @blp.response(200, RunSchema)
    def post(self, data, run_id):
        """Move or remove one person's placement by hand, with a reason."""
        run = placement.override(
            require_actor(), run_id, data["seeker_id"], data["posting_id"], data["reason"]
        )
        return placement.run_view(run)


@blp.route("/placements/<int:run_id>/recompute")
class Recompute(MethodView):
    @roles_required("office")
    @blp.response(200, RecomputeSchema)
    def post(self, run_id):
        """Compute the run again from its stored inputs and seed; says whether it is identical."""
        return placement.recompute(require_actor(), run_id)


@blp.route("/placements/<int:run_id>/confirm")
class Confirm(MethodView):
    @roles_required("office")
    @blp.arguments(ConfirmSchema)
    @blp.response(200, RunSchema)
    def post(self, data, run_id):
        """Turn the proposed placements into traineeships; each refusal is reported with its reason."""
        return placement.run_view(placement.confirm(require_actor(), run_id, data["start_date"]))


@blp.route("/programs/seat-transfers")
class SeatTransfers(MethodView):
    @roles_required("office")
    @blp.arguments(TransferSchema)
    @blp.response(200, ProgramSchema(many=True))
    def post(self, data):
        """Move unused seats between two programs of a district, with the approval recorded."""
        return list(
            placement.transfer_seats(
                require_actor(),
                data["from_program_id"],
                data["to_program_id"],
                data["seats"],
                data["approval"],
            )
        )
