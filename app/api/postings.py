"""Postings: search, create, edit, review."""

from flask import jsonify
from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import actor, require_actor, roles_required
from app.schemas.posting import (
    PostingInSchema,
    PostingOwnerSchema,
    PostingQuery,
    PostingReviewSchema,
    PostingSchema,
    PostingUpdateSchema,
)
from app.services import postings

PREFIX = "/postings"
blp = Blueprint(
    "postings", __name__, description="Jobs, traineeship posts (见习) and internships (实习)"
)


@blp.route("")
class Postings(MethodView):
    @blp.doc(security=[])
    @blp.arguments(PostingQuery, location="query")
    @blp.response(200, PostingSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Search postings: keyword, district, occupation code or prefix, kind, salary, education."""
        p = pagination_parameters
        return page_of(p, postings.list_postings(actor(), args, p.page, p.page_size))

    @roles_required("employer", "office")
    @blp.arguments(PostingInSchema)
    @blp.response(201, PostingOwnerSchema)
    def post(self, data):
        """Create a posting; wording that discriminates is held for office review."""
        return postings.create_posting(require_actor(), data)


@blp.route("/<int:posting_id>")
class PostingItem(MethodView):
    @blp.doc(security=[])
    @blp.response(200, PostingOwnerSchema)
    def get(self, posting_id):
        """One posting (drafts and held postings only for their employer and office).

        Who does not manage it gets the public fields only (no screening, review note or contact).
        """
        user = actor()
        posting = postings.get_posting(user, posting_id)
        if not postings.can_manage(user, posting):
            return jsonify(PostingSchema().dump(posting))
        return posting

    @roles_required("employer", "office")
    @blp.arguments(PostingUpdateSchema)
    @blp.response(200, PostingOwnerSchema)
    def patch(self, data, posting_id):
        """Edit, publish or close a posting you manage."""
        return postings.update_posting(require_actor(), posting_id, data)


@blp.route("/<int:posting_id>/review")
class PostingReview(MethodView):
    @roles_required("office")
    @blp.arguments(PostingReviewSchema)
    @blp.response(200, PostingOwnerSchema)
    def post(self, data, posting_id):
        """Approve or reject a posting held by the screening (offices)."""
        return postings.review_posting(
            require_actor(), posting_id, data["decision"], data.get("note")
        )
