"""Office reports: match reports (run, poll, re-open, export, push), 1-3-1-1 tracking, dispatch, early warning, fairness."""

import datetime as dt
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth import require_actor, roles_required
from app.downloads import download
from app.schemas.report import (
    DispatchArgs,
    ExportArgs,
    FairnessArgs,
    MatchReportArgs,
    MatchReportSchema,
    PushedRecommendationSchema,
    PushResultSchema,
    ReportViewArgs,
    RunStatusSchema,
    ScopeArgs,
    ServiceRecordArgs,
    ServiceRecordSchema,
)
from app.services.reports import dispatch, early_warning, exports, fairness, service_tracking
from app.services.reports import match_report as reports

PREFIX = ""
blp = Blueprint(
    "reports",
    __name__,
    description="Office reports: match reports, 1-3-1-1 tracking, dispatch, early warning, fairness",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def plain(value: Any) -> Any:
    """A report dict with dates as ISO strings, ready for JSON."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@blp.route("/reports/match")
class MatchReports(MethodView):
    @roles_required("office")
    @blp.response(200, RunStatusSchema(many=True))
    def get(self):
        """Earlier match-report runs of your district, newest first."""
        return [reports.status_view(r) for r in reports.list_runs(require_actor())]

    @roles_required("office")
    @blp.arguments(MatchReportArgs)
    @blp.response(202, RunStatusSchema)
    def post(self, args):
        """Start a match report for a district or program (a background job when Redis is set)."""
        run = reports.start_report(
            require_actor(),
            args["district_code"],
            args["program_id"],
            args["k"],
            args["max_lists"],
            args["seed"],
            below_education=args["below_education"],
            exclude_employed=args["exclude_employed"],
        )
        return reports.status_view(run)


@blp.route("/reports/match/<int:run_id>")
class MatchReport(MethodView):
    @roles_required("office")
    @blp.arguments(ReportViewArgs, location="query")
    @blp.response(200, MatchReportSchema)
    def get(self, args, run_id):
        """A run's status and progress, and once done the stored report exactly as it was."""
        run = reports.get_run(require_actor(), run_id)
        if run.status != "done":
            return {**reports.status_view(run), "posts": [], "seekers": []}
        return reports.report_view(run, args["lang"])


@blp.route("/reports/match/<int:run_id>/export.xlsx")
class MatchReportXlsx(MethodView):
    @roles_required("office")
    @blp.arguments(ReportViewArgs, location="query")
    @blp.response(200, content_type=XLSX)
    def get(self, args, run_id):
        """The report as XLSX: about sheet, post lists, priority-group recommendations."""
        run = reports.get_run(require_actor(), run_id)
        return download(*exports.match_report_xlsx(run, args["lang"]), XLSX)


@blp.route("/reports/match/<int:run_id>/export.csv")
class MatchReportCsv(MethodView):
    @roles_required("office")
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200, content_type=CSV)
    def get(self, args, run_id):
        """One view of the report (posts or seekers) as UTF-8 CSV."""
        run = reports.get_run(require_actor(), run_id)
        return download(*exports.match_report_csv(run, args["view"], args["lang"]), CSV)


@blp.route("/reports/match/<int:run_id>/push")
class PushRecommendations(MethodView):
    @roles_required("office")
    @blp.response(200, PushResultSchema)
    def post(self, run_id):
        """Push the run's priority-group recommendations to the seekers ("recommended by your office")."""
        return reports.push_recommendations(require_actor(), run_id)


@blp.route("/seekers/<int:seeker_id>/office-recommendations")
class OfficeRecommendations(MethodView):
    @roles_required("seeker", "office")
    @blp.response(200, PushedRecommendationSchema(many=True))
    def get(self, seeker_id):
        """Posts your employment office recommended to you (or to a seeker of your district)."""
        return reports.seeker_pushed_recommendations(require_actor(), seeker_id)


@blp.route("/services")
class ServiceRecords(MethodView):
    @roles_required("office")
    @blp.arguments(ServiceRecordArgs)
    @blp.response(201, ServiceRecordSchema)
    def post(self, args):
        """Record a service delivered to a seeker of your district (guidance, recommendation, training, traineeship, contact)."""
        return service_tracking.record_service(
            require_actor(),
            args["seeker_id"],
            args["kind"],
            args["delivered_on"],
            args["posting_id"],
            args["note"],
        )


@blp.route("/seekers/<int:seeker_id>/services")
class ServiceFile(MethodView):
    @roles_required("office")
    @blp.response(200)
    def get(self, seeker_id):
        """A seeker's file (一人一档): every service with who and when, and the 1-3-1-1 package status."""
        return plain(service_tracking.service_file(require_actor(), seeker_id))


@blp.route("/reports/services")
class ServiceTracking(MethodView):
    @roles_required("office")
    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """Difficult graduates' 1-3-1-1 packages and who still misses what; registered unemployed not contacted in a month."""
        return plain(
            service_tracking.tracking_report(require_actor(), args["district_code"], args["on"])
        )


@blp.route("/reports/services/contacts.xlsx")
class ContactListXlsx(MethodView):
    @roles_required("office")
    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200, content_type=XLSX)
    def get(self, args):
        """The registered unemployed not contacted in a month, with phones, as XLSX (the export is audited)."""
        data = service_tracking.contact_list(require_actor(), args["district_code"], args["on"])
        return download(*exports.contact_list_xlsx(data), XLSX)


@blp.route("/reports/services/contacts.csv")
class ContactListCsv(MethodView):
    @roles_required("office")
    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200, content_type=CSV)
    def get(self, args):
        """The same contact list as UTF-8 CSV (the export is audited)."""
        data = service_tracking.contact_list(require_actor(), args["district_code"], args["on"])
        return download(*exports.contact_list_csv(data), CSV)


@blp.route("/seekers/<int:seeker_id>/phone")
class RevealPhone(MethodView):
    @roles_required("office")
    @blp.response(200)
    def post(self, seeker_id):
        """Reveal a seeker's phone number to call them (offices of their district; every reveal is audited)."""
        return service_tracking.reveal_phone(require_actor(), seeker_id)


@blp.route("/reports/dispatch")
class Dispatch(MethodView):
    @roles_required("office")
    @blp.arguments(DispatchArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """The dispatch report (月调度) of a month, quarter (YYYY-Qn), half-year (YYYY-Hn) or year."""
        return plain(
            dispatch.dispatch_report(require_actor(), args["period"], args["district_code"])
        )


@blp.route("/reports/dispatch.xlsx")
class DispatchXlsx(MethodView):
    @roles_required("office")
    @blp.arguments(DispatchArgs, location="query")
    @blp.response(200, content_type=XLSX)
    def get(self, args):
        """The dispatch report as XLSX (summary, months with charts, subsidies, definitions)."""
        report = dispatch.dispatch_report(require_actor(), args["period"], args["district_code"])
        return download(*exports.dispatch_xlsx(report), XLSX)


@blp.route("/reports/early-warning")
class EarlyWarning(MethodView):
    @roles_required("office")
    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """Programs' fill against floor and quota with a projection to their end; those at risk first."""
        return plain(
            early_warning.early_warnings(require_actor(), args["district_code"], args["on"])
        )


@blp.route("/reports/targets")
class Targets(MethodView):
    @roles_required("office")
    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """The rulebooks' yearly targets for your district (or the city) with the year's figures so far; those behind pace first."""
        return plain(
            early_warning.target_warnings(require_actor(), args["district_code"], args["on"])
        )


@blp.route("/reports/fairness")
class Fairness(MethodView):
    @roles_required("office")
    @blp.arguments(FairnessArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """Placement and ranking outcomes by district, household registration, gender, age band and disability."""
        return plain(
            fairness.fairness_report(
                require_actor(), args["district_code"], args["run_id"], args["on"]
            )
        )
