"""Office report pages: match reports, 1-3-1-1 service tracking, monthly dispatch and fairness.

Each page calls the same report service as the API and the CLI, so the figures agree.
"""

import datetime as dt

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.downloads import download
from app.errors import DomainError, RuleViolation
from app.services import programs as program_service
from app.services.common import office_scope
from app.services.reports import dispatch, exports, fairness, service_tracking
from app.services.reports import match_report as reports
from app.web import charts
from app.web.forms import ButtonForm, MatchReportForm, ServiceForm
from app.web.helpers import (
    SERVICE_KIND_LABELS,
    bi,
    call_service,
    district_choices,
    district_name,
    int_arg,
    is_english,
    me,
    on_arg,
    role_required,
)
from app.web.office import OFFICE, bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
FINISHED = ("done", "failed")


def _lang() -> str:
    return "en" if is_english() else "zh"


def _programs() -> list:
    scope = office_scope(me())
    items, _total = program_service.list_programs({"district": scope} if scope else {}, 1, 200)
    return items


def _program_name(program) -> str:
    return program.name_en if is_english() and program.name_en else program.name


def _match_form() -> MatchReportForm:
    form = MatchReportForm()
    scope = office_scope(me())
    districts = district_choices(_("Choose…"))
    form.district_code.choices = (
        [c for c in districts if c[0] in ("", scope)] if scope else districts
    )
    if request.method == "GET" and scope:
        form.district_code.data = scope
    form.program_id.choices = [("", _("No program: the whole district"))] + [
        (str(p.id), _program_name(p)) for p in _programs()
    ]
    return form


def _match_page(form: MatchReportForm | None = None):
    from app.services.ranker_models import model_card  # scikit-learn: loaded with this page

    runs = [reports.status_view(r) for r in reports.list_runs(me())]
    programs = {p.id: _program_name(p) for p in _programs()}
    return render_template(
        "office/match_reports.html",
        form=form or _match_form(),
        runs=runs,
        programs=programs,
        card=model_card(),
    ), 422 if form is not None else 200


@bp.route("/reports/match")
@role_required(*OFFICE)
def match_reports():
    """The form to run a match report and the earlier runs of the district."""
    return _match_page()


@bp.route("/reports/match", methods=["POST"])
@role_required(*OFFICE)
def start_match_report():
    """Start a match report (a background job when Redis is set, else now) and open its page."""
    form = _match_form()
    if form.validate_on_submit():
        program_id = int(form.program_id.data) if form.program_id.data else None
        district = None if program_id is not None else (form.district_code.data or None)
        run = call_service(
            form,
            reports.start_report,
            me(),
            district,
            program_id,
            form.k.data,
            form.max_lists.data,
            0,
            True,
            None,
            form.below_education.data,
            form.exclude_employed.data,
        )
        if run is not None:
            return redirect(url_for("office.match_run", run_id=run.id))
    return _match_page(form)


@bp.route("/reports/match/<int:run_id>")
@role_required(*OFFICE)
def match_run(run_id: int):
    """A run's progress while it runs; once done, the stored lists and recommendations."""
    run = reports.get_run(me(), run_id)
    done = run.status == "done"
    view = reports.report_view(run, _lang()) if done else reports.status_view(run)
    program = next((p for p in _programs() if p.id == view["program_id"]), None)
    return render_template(
        "office/match_run.html",
        view=view,
        done=done,
        program_name=_program_name(program) if program else None,
        push_form=ButtonForm(),
    )


@bp.route("/reports/match/<int:run_id>/status")
@role_required(*OFFICE)
def match_run_status(run_id: int):
    """The progress fragment htmx polls; a finished run reloads the whole page."""
    view = reports.status_view(reports.get_run(me(), run_id))
    response = Response(render_template("office/_match_status.html", view=view))
    if view["status"] in FINISHED:
        response.headers["HX-Refresh"] = "true"
    return response


@bp.route("/reports/match/<int:run_id>/export.xlsx")
@role_required(*OFFICE)
def match_run_xlsx(run_id: int):
    """The run as XLSX, from the same export function as the API."""
    run = reports.get_run(me(), run_id)
    return download(*exports.match_report_xlsx(run, _lang()), XLSX)


@bp.route("/reports/match/<int:run_id>/export.csv")
@role_required(*OFFICE)
def match_run_csv(run_id: int):
    """One view of the run (posts or seekers) as UTF-8 CSV."""
    run = reports.get_run(me(), run_id)
    view = "seekers" if request.args.get("view") == "seekers" else "posts"
    return download(*exports.match_report_csv(run, view, _lang()), CSV)


@bp.route("/reports/match/<int:run_id>/push", methods=["POST"])
@role_required(*OFFICE)
def push_match_run(run_id: int):
    """Push the run's recommendations to the priority-group seekers."""
    form = ButtonForm()
    if form.validate_on_submit():
        try:
            result = reports.push_recommendations(me(), run_id)
        except RuleViolation as exc:
            flash(bi(exc.message), "error")
        else:
            flash(
                _(
                    "Pushed %(n)s recommendations (%(old)s were pushed before).",
                    n=result["pushed"],
                    old=result["already_pushed"],
                ),
                "success",
            )
    else:
        flash(_("The form expired. Please try again."), "error")
    return redirect(url_for("office.match_run", run_id=run_id))


def _service_form() -> ServiceForm:
    form = ServiceForm()
    form.kind.choices = [("", _("Choose…"))] + [(k, str(v)) for k, v in SERVICE_KIND_LABELS.items()]
    if request.method == "GET":
        form.seeker_id.data = int_arg("seeker_id")
        form.delivered_on.data = dt.date.today()
    return form


def _services_page(form: ServiceForm | None = None):
    report = service_tracking.tracking_report(me(), on=on_arg())
    return render_template(
        "office/services.html",
        report=report,
        form=form or _service_form(),
        scope_name=district_name(report["district_code"]) if report["district_code"] else None,
    ), 422 if form is not None else 200


@bp.route("/services")
@role_required(*OFFICE)
def services():
    """Difficult graduates and what each still lacks; registered unemployed not contacted in a month."""
    return _services_page()


@bp.route("/services", methods=["POST"])
@role_required(*OFFICE)
def record_service():
    """Record a service delivered to a seeker of the district, by the current user."""
    form = _service_form()
    if form.validate_on_submit():
        note = (form.note.data or "").strip() or None
        try:
            record = call_service(
                form,
                service_tracking.record_service,
                me(),
                form.seeker_id.data,
                form.kind.data,
                form.delivered_on.data,
                None,
                note,
            )
        except DomainError as exc:
            form.seeker_id.errors = [bi(exc.message)]
            record = None
        if record is not None:
            flash(_("The service has been recorded."), "success")
            return redirect(url_for("office.services"))
    return _services_page(form)


def _default_period() -> str:
    first = dt.date.today().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def _period_choices(latest: str | None) -> list[tuple[str, str]]:
    today = dt.date.today()
    last = today.replace(day=1) - dt.timedelta(days=1)
    quarter = (today.month - 1) // 3 + 1
    half = 1 if today.month <= 6 else 2
    own = [
        (period, p.name_en if is_english() and p.name_en else p.name)
        for period, p in dispatch.program_periods(me())
    ]
    latest_choice = [(latest, _("Latest month with data"))] if latest else []
    return [
        *latest_choice,
        *own,
        (last.strftime("%Y-%m"), _("Last month")),
        (today.strftime("%Y-%m"), _("This month")),
        (f"{today.year}-Q{quarter}", _("This quarter")),
        (f"{today.year}-H{half}", _("This half-year")),
        (str(today.year), _("This year")),
        (str(today.year - 1), _("Last year")),
    ]


@bp.route("/reports/dispatch")
@role_required(*OFFICE)
def dispatch_page():
    """The dispatch report (月调度) of a month, quarter, half-year or year, with charts."""
    latest = dispatch.latest_month_with_data(me(), dt.date.today())
    period = (request.args.get("period") or "").strip() or latest or _default_period()
    error = None
    report = None
    try:
        report = dispatch.dispatch_report(me(), period)
    except RuleViolation as exc:
        error = bi(exc.message)
    return render_template(
        "office/dispatch.html",
        period=period,
        error=error,
        report=report,
        choices=_period_choices(latest),
        charts=charts.dispatch_charts(report) if report else None,
    ), 422 if error else 200


@bp.route("/reports/dispatch.xlsx")
@role_required(*OFFICE)
def dispatch_xlsx():
    """The dispatch report as XLSX, from the same export function as the API."""
    period = (request.args.get("period") or "").strip() or _default_period()
    try:
        report = dispatch.dispatch_report(me(), period)
    except RuleViolation:
        flash(_("Choose a valid period first."), "error")
        return redirect(url_for("office.dispatch_page", period=period))
    return download(*exports.dispatch_xlsx(report), XLSX)


@bp.route("/reports/fairness")
@role_required(*OFFICE)
def fairness_page():
    """Outcomes by district, household registration, gender, age band and disability."""
    on = on_arg()
    report = fairness.fairness_report(me(), None, int_arg("run_id"), on)
    return render_template(
        "office/fairness.html",
        report=report,
        on=on,
        charts={
            name: charts.group_rate_chart(groups, name)
            for name, groups in report["attributes"].items()
        },
    )


@bp.route("/services/contacts.<fmt>")
@role_required(*OFFICE)
def contact_list(fmt: str):
    """Download the people to contact (XLSX or CSV) with their phones; the export is audited."""
    if fmt not in ("xlsx", "csv"):
        abort(404)
    data = service_tracking.contact_list(me(), on=on_arg())
    if fmt == "csv":
        return download(*exports.contact_list_csv(data), CSV)
    return download(*exports.contact_list_xlsx(data), XLSX)


@bp.route("/services/<int:seeker_id>/phone", methods=["POST"])
@role_required(*OFFICE)
def reveal_phone(seeker_id: int):
    """Show one person's phone to call them (audited); htmx gets the number in place."""
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(url_for("office.services"))
    found = service_tracking.reveal_phone(me(), seeker_id)
    if request.headers.get("HX-Request"):
        return render_template("office/_phone.html", found=found)
    flash(
        _("Phone of %(name)s: %(phone)s", name=found["name"], phone=found["phone"] or "—"), "info"
    )
    return redirect(url_for("office.services", _anchor="uncontacted-title"))
