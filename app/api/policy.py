"""Policy: eligibility checks, the policy finder (政策找人) and the one-off hiring subsidies paid."""

from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import require_actor, roles_required
from app.schemas.settlement import (
    FinderArgs,
    FinderSchema,
    HiringGrantInSchema,
    HiringGrantSchema,
)
from app.schemas.traineeship import EligibilityInSchema, EligibilitySchema
from app.services import hiring_grants, policy_finder, traineeships

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


@blp.route("/hiring-grants")
class HiringGrants(MethodView):
    @roles_required("office")
    @blp.response(200, HiringGrantSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, pagination_parameters):
        """One-off hiring subsidies recorded as paid in your district, latest first."""
        p = pagination_parameters
        return page_of(p, hiring_grants.grants(require_actor(), p.page, p.page_size))

    @roles_required("office")
    @blp.arguments(HiringGrantInSchema)
    @blp.response(201, HiringGrantSchema)
    def post(self, data):
        """Record a one-off hiring subsidy as paid; refused unless the finder rates the person qualifies."""
        return hiring_grants.grant(
            require_actor(),
            data["seeker_id"],
            data["rule"],
            data["reference"],
            data.get("granted_on"),
        )
