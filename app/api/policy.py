"""Policy: eligibility checks and the policy finder (政策找人)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth import require_actor, roles_required
from app.schemas.settlement import FinderArgs, FinderSchema
from app.schemas.traineeship import EligibilityInSchema, EligibilitySchema
from app.services import policy_finder, traineeships

PREFIX = "/policy"
blp = Blueprint(
    "policy", __name__, description="Eligibility under the rulebooks and the policy finder"
)


@blp.route("/eligibility")
class Eligibility(MethodView):
    @blp.arguments(EligibilityInSchema)
    @blp.response(200, EligibilitySchema)
    def post(self, data):
        """Check a seeker or a person record against a program, with every rule and source clause."""
        return traineeships.check_person(require_actor(), data)


@blp.route("/finder")
class Finder(MethodView):
    @roles_required("office")
    @blp.arguments(FinderArgs, location="query")
    @blp.response(200, FinderSchema)
    def get(self, args):
        """Hires that may qualify for one-off hiring subsidies, with evidence and missing facts."""
        return policy_finder.find(require_actor(), args.get("rule"))
