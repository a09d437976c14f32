"""Ranked candidates for a posting and recommendations for a seeker."""

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth import require_actor, roles_required
from app.schemas.invitation import InvitationAnswerSchema, InvitationInSchema, InvitationSchema
from app.schemas.matching import CandidatesSchema, RankQuery, RecommendationsSchema
from app.services import invitations, recommendations

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


@blp.route("/postings/<int:posting_id>/invitations")
class Invitations(MethodView):
    @roles_required("employer")
    @blp.arguments(InvitationInSchema)
    @blp.response(201, InvitationSchema)
    @blp.alt_response(409, description="already invited, or already applied")
    @blp.alt_response(429, description="today's invitations are used up (INVITES_PER_DAY)")
    def post(self, data, posting_id):
        """Invite a ranked candidate to apply to your own published post; they are told and may accept or decline."""
        return invitations.invite(
            require_actor(), posting_id, data["seeker_id"], data.get("message")
        )


@blp.route("/invitations")
class InvitationList(MethodView):
    @roles_required("seeker", "employer")
    @blp.response(200, InvitationSchema(many=True))
    def get(self):
        """Your invitations to apply (seeker) or those you sent (employer), open ones first."""
        return invitations.list_invitations(require_actor())


@blp.route("/invitations/<int:invitation_id>/<any(accept, decline):answer>")
class InvitationAnswer(MethodView):
    @roles_required("seeker")
    @blp.arguments(InvitationAnswerSchema)
    @blp.response(200, InvitationSchema)
    def post(self, data, invitation_id, answer):
        """Accept (which sends your application) or decline an invitation to apply."""
        return invitations.respond(
            require_actor(), invitation_id, answer == "accept", data.get("note")
        )
