"""Traineeships: enrolment under the program's rulebook, the register, outcomes."""

import datetime as dt

from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import require_actor, roles_required
from app.schemas.traineeship import (
    MineQuery,
    MyTraineeshipSchema,
    TraineeshipInSchema,
    TraineeshipOutcomeSchema,
    TraineeshipQuery,
    TraineeshipSchema,
)
from app.services import my_traineeship, traineeships

PREFIX = "/traineeships"
blp = Blueprint(
    "traineeships", __name__, description="Traineeships (就业见习): enrolment and outcomes"
)


@blp.route("")
class Traineeships(MethodView):
    @roles_required("employer", "office")
    @blp.arguments(TraineeshipQuery, location="query")
    @blp.response(200, TraineeshipSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Your own trainees (host employer) or your district's (office)."""
        p = pagination_parameters
        return page_of(
            p, traineeships.list_traineeships(require_actor(), args, p.page, p.page_size)
        )

    @roles_required("employer", "office")
    @blp.arguments(TraineeshipInSchema)
    @blp.response(201, TraineeshipSchema)
    @blp.alt_response(409, description="quota or post full, or an active traineeship exists")
    @blp.alt_response(
        422, description="not eligible: every failed rule with field, source clause, zh and en"
    )
    def post(self, data):
        """Enrol a seeker into a program's trainee post (office of the district, or the host)."""
        return traineeships.enrol(require_actor(), data)


@blp.route("/mine")
class MyTraineeships(MethodView):
    @roles_required("seeker")
    @blp.arguments(MineQuery, location="query")
    @blp.response(200, MyTraineeshipSchema(many=True))
    def get(self, args):
        """Your own traineeships (seeker): host, dates, the host's subsidy, outcome or that one is due."""
        on = args.get("on") or dt.date.today()
        return my_traineeship.my_traineeships(require_actor(), on)


@blp.route("/<int:traineeship_id>")
class TraineeshipItem(MethodView):
    @roles_required("employer", "office")
    @blp.response(200, TraineeshipSchema)
    def get(self, traineeship_id):
        """One traineeship you host or your office covers."""
        return traineeships.get_traineeship(require_actor(), traineeship_id)

    @roles_required("employer", "office")
    @blp.arguments(TraineeshipOutcomeSchema)
    @blp.response(200, TraineeshipSchema)
    def patch(self, data, traineeship_id):
        """Record the outcome: completed, retained, converted early or left early, with the end date."""
        return traineeships.record_outcome(
            require_actor(), traineeship_id, data["outcome"], data["ended_on"]
        )
