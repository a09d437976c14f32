"""Office page for checking the occupation codes the coder gave postings and seekers' desired jobs (职业代码校对)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import jobs
from app.models.desired_job import DESIRED_JOB_SOURCES
from app.models.posting import OCCUPATION_SOURCES
from app.services import bridge, occupation_checks
from app.web.forms import ButtonForm, OccupationCheckForm
from app.web.helpers import call_service, me, page_arg, pages, role_required
from app.web.office import OFFICE, PAGE_SIZE, bp


def _what_arg() -> str:
    return "jobs" if request.args.get("what") == "jobs" else "postings"


def _source_arg() -> str:
    source = request.args.get("source", "auto")
    sources = DESIRED_JOB_SOURCES if _what_arg() == "jobs" else OCCUPATION_SOURCES
    return source if source in sources else "auto"


@bp.route("/occupations")
@role_required(*OFFICE)
def occupations():
    """The district's postings, or its seekers' desired jobs, by who set their occupation code."""
    user = me()
    page, what, source = page_arg(), _what_arg(), _source_arg()
    listing = (
        occupation_checks.desired_jobs_to_check
        if what == "jobs"
        else occupation_checks.postings_to_check
    )
    items, total = listing(user, source, page, PAGE_SIZE)
    return render_template(
        "office/occupations.html",
        items=items,
        suggestions=occupation_checks.suggestions(items),
        what=what,
        source=source,
        pager=pages(total, page, PAGE_SIZE),
        form=OccupationCheckForm(),
        button=ButtonForm(),
        encoder_trained_at=bridge.encoder_trained_at(),
    )


def submit_occupation_check(check, *ids: int) -> bool:
    """Run one office code check from the posted form and flash what became of it; True when saved."""
    form = OccupationCheckForm()
    if form.validate_on_submit():
        item = call_service(form, check, me(), *ids, form.chosen_code())
        if item:
            flash(
                _(
                    "Occupation of “%(title)s” saved as %(code)s.",
                    title=item.title,
                    code=item.occupation_code,
                ),
                "success",
            )
            return True
    for message in [*form.form_errors, *form.occupation_code.errors, *form.other_code.errors]:
        flash(str(message), "error")
    return False


@bp.route("/occupations/<int:posting_id>", methods=["POST"])
@role_required(*OFFICE)
def check_occupation(posting_id: int):
    """Confirm or correct one posting's occupation code."""
    source = _source_arg()
    if submit_occupation_check(occupation_checks.check_posting_occupation, posting_id):
        return redirect(url_for("office.occupations", source=source))
    return redirect(url_for("office.occupations", source=source) + f"#posting-{posting_id}")


@bp.route("/occupations/confirm-page", methods=["POST"])
@role_required(*OFFICE)
def confirm_occupations():
    """Confirm the current codes of the postings listed on one page, in one step."""
    form = ButtonForm()
    ids = [int(v) for v in request.form.getlist("posting_id") if v.isdigit()]
    if form.validate_on_submit() and ids:
        confirmed = call_service(form, occupation_checks.confirm_posting_codes, me(), ids)
        if confirmed:
            flash(_("%(n)s occupation codes confirmed.", n=confirmed), "success")
    for message in form.form_errors:
        flash(str(message), "error")
    return redirect(url_for("office.occupations", source=_source_arg()))


@bp.route("/occupations/retrain", methods=["POST"])
@role_required(*OFFICE)
def retrain_encoder():
    """Start the encoder's fine-tuning on the background worker (it takes minutes)."""
    form = ButtonForm()
    if form.validate_on_submit():
        if jobs.queue() is None:
            flash(
                _("Retraining needs the background worker (Redis); ask the operator to set it up."),
                "error",
            )
        else:
            jobs.submit("app.services.occupation_training:train_occupation_encoder")
            flash(_("Retraining started on the background worker; it takes a few minutes."), "info")
    return redirect(url_for("office.occupations", source=_source_arg()))
