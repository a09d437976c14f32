"""Seekers."""

from flask.views import MethodView

from app.api.paging import PAGINATION, Blueprint, page_of
from app.auth import require_actor, roles_required
from app.schemas.seeker import (
    ConfirmFactsSchema,
    DesiredJobCheckSchema,
    DesiredJobSchema,
    EraseAccountSchema,
    PersonalDataSchema,
    SeekerCreateSchema,
    SeekerOfficeUpdateSchema,
    SeekerQuery,
    SeekerSchema,
)
from app.services import occupation_checks, personal_data, seekers

PREFIX = "/seekers"
blp = Blueprint("seekers", __name__, description="Job seekers' profiles")


@blp.route("")
class Seekers(MethodView):
    @roles_required("office")
    @blp.arguments(SeekerQuery, location="query")
    @blp.response(200, SeekerSchema(many=True))
    @blp.paginate(**PAGINATION)
    def get(self, args, pagination_parameters):
        """Seekers of your office's district (ID numbers and phones masked)."""
        p = pagination_parameters
        return page_of(p, seekers.list_seekers(require_actor(), args, p.page, p.page_size))

    @roles_required("office")
    @blp.arguments(SeekerCreateSchema)
    @blp.response(201, SeekerSchema)
    def post(self, data):
        """Register a walk-in seeker (offices)."""
        return seekers.create_seeker(require_actor(), data)


@blp.route("/me")
class MySeeker(MethodView):
    @roles_required("seeker")
    @blp.response(200, SeekerSchema)
    def get(self):
        """Your own profile."""
        return seekers.own_seeker(require_actor())


@blp.route("/me/export")
class MyPersonalData(MethodView):
    @roles_required("seeker")
    @blp.response(200, PersonalDataSchema)
    def get(self):
        """Everything the service holds about you, as JSON (PIPL: the right to a copy)."""
        return personal_data.export_for(require_actor())


@blp.route("/me/erase")
class EraseMyAccount(MethodView):
    @roles_required("seeker")
    @blp.arguments(EraseAccountSchema)
    @blp.response(204)
    def post(self, data):
        """Delete your account: personal data erased, records the law requires kept anonymised."""
        personal_data.erase_account(require_actor(), data["password"])


@blp.route("/<int:seeker_id>")
class SeekerItem(MethodView):
    @blp.response(200, SeekerSchema)
    def get(self, seeker_id):
        """A profile: your own, or one in your office's district."""
        return seekers.get_seeker(require_actor(), seeker_id)

    @roles_required("seeker", "office")
    @blp.arguments(SeekerOfficeUpdateSchema(partial=True))
    @blp.response(200, SeekerSchema)
    def patch(self, data, seeker_id):
        """Edit a profile; offices also certify priority groups."""
        return seekers.update_seeker(require_actor(), seeker_id, data)


@blp.route("/<int:seeker_id>/confirmations")
class FactConfirmations(MethodView):
    @roles_required("office")
    @blp.arguments(ConfirmFactsSchema)
    @blp.response(200, SeekerSchema)
    def post(self, data, seeker_id):
        """Confirm self-declared facts (unemployment registration, 户籍, graduation, employment) against the office's records.

        A confirmation holds for the value on file: when the seeker changes the fact it is
        self-declared again. Offices of the person's district only; audited.
        """
        return seekers.confirm_facts(require_actor(), seeker_id, data["facts"])


@blp.route("/<int:seeker_id>/desired-jobs/<int:job_id>")
class DesiredJobItem(MethodView):
    @roles_required("office")
    @blp.arguments(DesiredJobCheckSchema)
    @blp.response(200, DesiredJobSchema)
    def patch(self, data, seeker_id, job_id):
        """Confirm or correct the code of a job the seeker named (offices); the coder learns it."""
        return occupation_checks.check_desired_job(
            require_actor(), seeker_id, job_id, data["occupation_code"]
        )
