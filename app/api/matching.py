"""Ranked candidates for a posting and recommendations for a seeker."""

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth import require_actor, roles_required
from app.schemas.matching import CandidatesSchema, RankQuery, RecommendationsSchema
from app.services import recommendations

PREFIX = ""
blp = Blueprint(
    "matching", __name__, description="Ranked candidates and recommendations with reasons"
)


@blp.route("/postings/<int:posting_id>/candidates")
class Candidates(MethodView):
    @roles_required("employer", "office")
    @blp.arguments(RankQuery, location="query")
    @blp.response(200, CandidatesSchema)
    def get(self, args, posting_id):
        """Best-fitting seekers for a posting you manage, with score parts and reasons."""
        return recommendations.candidates_for_posting(
            require_actor(),
            posting_id,
            args["k"],
            args["lang"],
            args["include_ineligible"],
            below_education=args["below_education"],
            exclude_employed=args["exclude_employed"],
        )


@blp.route("/seekers/<int:seeker_id>/recommendations")
class Recommendations(MethodView):
    @roles_required("seeker", "office")
    @blp.arguments(RankQuery, location="query")
    @blp.response(200, RecommendationsSchema)
    def get(self, args, seeker_id):
        """Open postings that fit a seeker best (yourself, or one in your office's district)."""
        return recommendations.recommendations_for_seeker(
            require_actor(), seeker_id, args["k"], args["lang"]
        )
