"""Office pages: dashboard, review queue for held postings, programs, employers and seekers of the district.

Placement runs and the traineeship register are in ``office_placement``, settlement in
``office_settlement``; both add their routes to this blueprint.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.services import employers as employer_service
from app.services import office_charts, office_dashboard
from app.services import postings as posting_service
from app.services import programs as program_service
from app.services import seekers as seeker_service
from app.services.common import office_scope
from app.services.reports import early_warning
from app.web import charts
from app.web.forms import BlacklistForm, ReviewForm
from app.web.helpers import (
    call_service,
    district_name,
    highlight,
    me,
    on_arg,
    page_arg,
    pages,
    role_required,
)

bp = Blueprint("office", __name__, url_prefix="/office")

PAGE_SIZE = 30
OFFICE = ("office", "admin")


def _review_form() -> ReviewForm:
    form = ReviewForm()
    form.decision.choices = [("approve", _("Approve and publish")), ("reject", _("Reject"))]
    return form


@bp.route("/")
@role_required(*OFFICE)
def dashboard():
    """Counts, programs' quota fill, early warnings on floors and rulebook targets, subsidy and retention."""
    user = me()
    on = on_arg()
    figures = office_dashboard.dashboard(user)
    scope = office_scope(user)
    by_month = office_charts.subsidy_by_month(user)
    retention = office_charts.retention_by_host(user)
    return render_template(
        "office/dashboard.html",
        figures=figures,
        quota_chart=charts.quota_chart(figures["programs"]),
        by_month=by_month,
        subsidy_chart=charts.subsidy_chart(by_month) if by_month else None,
        retention=retention,
        retention_chart=(
            charts.retention_chart(retention, retention[0]["threshold_percent"])
            if retention
            else None
        ),
        scope_name=district_name(scope) if scope else None,
        warnings=early_warning.early_warnings(user, on=on),
        targets=early_warning.target_warnings(user, on=on),
        on=on,
    )


@bp.route("/review")
@role_required(*OFFICE)
def review():
    """Postings held by the wording screening, oldest first."""
    user = me()
    page = page_arg()
    items, total = posting_service.list_postings(
        user, {"status": "pending_review", "sort": "created_at"}, page, PAGE_SIZE
    )
    pieces = {
        p.id: highlight(
            f"{p.title}\n{p.description or ''}", (p.screening or {}).get("findings") or []
        )
        for p in items
    }
    return render_template(
        "office/review.html",
        items=items,
        pieces=pieces,
        pager=pages(total, page, PAGE_SIZE),
        form=_review_form(),
    )


@bp.route("/review/<int:posting_id>", methods=["POST"])
@role_required(*OFFICE)
def decide(posting_id: int):
    """Approve or reject a held posting."""
    form = _review_form()
    if form.validate_on_submit():
        note = (form.note.data or "").strip() or None
        posting = call_service(
            form, posting_service.review_posting, me(), posting_id, form.decision.data, note
        )
        if posting:
            message = (
                _("Posting approved and published.")
                if posting.status == "published"
                else _("Posting rejected.")
            )
            flash(message, "success")
            return redirect(url_for("office.review"))
    for message in [*form.form_errors, *form.decision.errors, *form.note.errors]:
        flash(str(message), "error")
    return redirect(url_for("office.review") + f"#posting-{posting_id}")


@bp.route("/programs")
@role_required(*OFFICE)
def programs():
    """Traineeship programs of the district with their quota fill."""
    scope = office_scope(me())
    page = page_arg()
    items, total = program_service.list_programs(
        {"district": scope} if scope else {}, page, PAGE_SIZE
    )
    return render_template("office/programs.html", items=items, pager=pages(total, page, PAGE_SIZE))


@bp.route("/employers")
@role_required(*OFFICE)
def employers():
    """Employers of the district; filter by name or blacklist."""
    page = page_arg()
    args: dict = {}
    if request.args.get("q", "").strip():
        args["q"] = request.args["q"].strip()[:60]
    if request.args.get("blacklisted") == "1":
        args["blacklisted"] = True
    items, total = employer_service.list_employers(me(), args, page, PAGE_SIZE)
    return render_template(
        "office/employers.html", items=items, pager=pages(total, page, PAGE_SIZE), args=args
    )


@bp.route("/employers/<int:employer_id>", methods=["GET", "POST"])
@role_required(*OFFICE)
def employer(employer_id: int):
    """One employer with its postings; blacklist it or lift the blacklist."""
    user = me()
    item = employer_service.get_employer(user, employer_id)
    form = BlacklistForm(obj=item if request.method == "GET" else None)
    if form.validate_on_submit():
        data = {
            "blacklisted": form.blacklisted.data,
            "blacklist_reason": (form.blacklist_reason.data or "").strip() or None,
        }
        if call_service(form, employer_service.update_employer, user, item.id, data):
            flash(_("The employer has been updated."), "success")
            return redirect(url_for("office.employer", employer_id=item.id))
    postings, _total = posting_service.list_postings(
        user, {"employer_id": item.id, "sort": "-created_at"}, 1, 50
    )
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "office/employer.html", employer=item, form=form, postings=postings
    ), status


@bp.route("/seekers")
@role_required(*OFFICE)
def seekers():
    """Seekers registered or living in the district (ID numbers masked)."""
    page = page_arg()
    args: dict = {}
    if request.args.get("q", "").strip():
        args["q"] = request.args["q"].strip()[:60]
    items, total = seeker_service.list_seekers(me(), args, page, PAGE_SIZE)
    return render_template(
        "office/seekers.html", items=items, pager=pages(total, page, PAGE_SIZE), args=args
    )
