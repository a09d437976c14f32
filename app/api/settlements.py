"""Subsidy settlement per program and month, host subsidy views and claim sheets."""

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth import require_actor, roles_required
from app.downloads import download
from app.schemas.settlement import (
    ClaimsArgs,
    EmployerSubsidySchema,
    MonthArgs,
    OptionalMonthArgs,
    PaymentResultSchema,
    PaymentSchema,
    SettlementRunSchema,
    SettlementViewSchema,
    SubsidyArgs,
)
from app.services import settlement

PREFIX = ""
blp = Blueprint(
    "settlements", __name__, description="Traineeship subsidy settlement, tiers and claim sheets"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/programs/<int:program_id>/settlements")
class SettlementRuns(MethodView):
    @roles_required("office")
    @blp.arguments(MonthArgs, location="query")
    @blp.response(201, SettlementRunSchema)
    def post(self, args, program_id):
        """Settle a program up to the end of a month; stores only new lines (offices)."""
        return settlement.run_settlement(require_actor(), program_id, args["month"])


@blp.route("/programs/<int:program_id>/payments")
class Payments(MethodView):
    @roles_required("office")
    @blp.arguments(PaymentSchema)
    @blp.response(200, PaymentResultSchema)
    def post(self, data, program_id):
        """Record that the finance bureau paid every due line up to a month, with its reference (offices)."""
        return settlement.record_payment(
            require_actor(), program_id, data["month"], data["reference"]
        )


@blp.route("/programs/<int:program_id>/settlement")
class SettlementView(MethodView):
    @roles_required("employer", "office")
    @blp.arguments(OptionalMonthArgs, location="query")
    @blp.response(200, SettlementViewSchema)
    def get(self, args, program_id):
        """Stored lines with explanations and hosts' retention and tier (employers: their own)."""
        return settlement.settlement_view(require_actor(), program_id, args.get("month"))


@blp.route("/programs/<int:program_id>/claims.xlsx")
class Claims(MethodView):
    @roles_required("employer", "office")
    @blp.arguments(ClaimsArgs, location="query")
    @blp.response(200, content_type=XLSX)
    def get(self, args, program_id):
        """The finance bureau's claim sheet, one sheet per host (ID numbers masked)."""
        data, name = settlement.claims_workbook(
            require_actor(), program_id, args.get("host_id"), args.get("month")
        )
        return download(data, name, XLSX)


@blp.route("/employers/<int:employer_id>/subsidy")
class EmployerSubsidy(MethodView):
    @roles_required("employer", "office")
    @blp.arguments(SubsidyArgs, location="query")
    @blp.response(200, EmployerSubsidySchema)
    def get(self, args, employer_id):
        """A host's retention rate, tier, paid and expected amounts, and how far the tier is."""
        return settlement.employer_subsidy(require_actor(), employer_id, args.get("on"))
