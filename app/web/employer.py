"""Employer pages: organisation profile, postings with wording screening, applicants, ranked candidates, traineeships."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.schemas.employer import EmployerUpdateSchema
from app.schemas.posting import PostingInSchema, PostingUpdateSchema
from app.services import applications as application_service
from app.services import employers as employer_service
from app.services import invitations as invitation_service
from app.services import postings as posting_service
from app.services import programs as program_service
from app.services import recommendations as recommendation_service
from app.services import settlement as settlement_service
from app.services import traineeships as traineeship_service
from app.services.applications import EMPLOYER_MOVES
from app.web.forms import ButtonForm, EmployerProfileForm, MoveForm, OutcomeForm, PostingForm
from app.web.helpers import (
    BENEFIT_LABELS,
    INVITATION_LABELS,
    KIND_LABELS,
    LOCAL_TZ,
    OUTCOME_LABELS,
    SIZE_LABELS,
    call_service,
    district_choices,
    education_choices,
    highlight,
    int_arg,
    is_english,
    join_list,
    load_with,
    me,
    on_arg,
    page_arg,
    pages,
    role_required,
    split_list,
)

bp = Blueprint("employer", __name__, url_prefix="/employer")

PAGE_SIZE = 20
CANDIDATES = 20


def _program_choices(blank: str) -> list[tuple[str, str]]:
    items, _total = program_service.list_programs({}, 1, 100)
    return [("", blank)] + [(str(p.id), p.name) for p in items]


def _posting_form(posting=None, **kwargs) -> PostingForm:
    form = PostingForm(obj=posting if request.method == "GET" else None, **kwargs)
    form.kind.choices = [(k, str(v)) for k, v in KIND_LABELS.items()]
    form.min_education.choices = education_choices(_("No minimum"))
    form.district_code.choices = district_choices(_("Choose…"))
    form.program_id.choices = _program_choices(_("None"))
    form.benefits.choices = [(k, str(v)) for k, v in BENEFIT_LABELS.items()]
    if request.method == "GET" and posting is not None:
        form.skills.data = join_list(posting.skills)
        form.program_id.data = str(posting.program_id or "")
        form.min_education.data = posting.min_education or ""
    return form


def _posting_data(form: PostingForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "description": (form.description.data or "").strip(),
        "occupation_code": (form.occupation_code.data or "").strip() or None,
        "skills": split_list(form.skills.data),
        "min_education": form.min_education.data or None,
        "salary_min": form.salary_min.data,
        "salary_max": form.salary_max.data,
        "district_code": form.district_code.data,
        "slots": form.slots.data,
        "duration_months": form.duration_months.data,
        "work_address": (form.work_address.data or "").strip() or None,
        "work_hours": (form.work_hours.data or "").strip() or None,
        "benefits": list(form.benefits.data or []),
        "contact_name": (form.contact_name.data or "").strip() or None,
        "contact_phone": (form.contact_phone.data or "").strip() or None,
        "apply_by": form.apply_by.data,
    }


@bp.route("/")
@role_required("employer")
def home():
    """The organisation's postings, newest first, with their status."""
    user = me()
    page = page_arg()
    status = request.args.get("status") or None
    args = {
        "employer_id": user.employer_id,
        "sort": "-created_at",
        **({"status": status} if status else {}),
    }
    items, total = posting_service.list_postings(user, args, page, PAGE_SIZE)
    return render_template(
        "employer/home.html",
        items=items,
        counts=application_service.applicant_counts([p.id for p in items]),
        pager=pages(total, page, PAGE_SIZE),
        status=status,
    )


@bp.route("/profile", methods=["GET", "POST"])
@role_required("employer")
def profile():
    """Edit the organisation's profile."""
    user = me()
    employer = employer_service.get_employer(user, user.employer_id)
    form = EmployerProfileForm(obj=employer if request.method == "GET" else None)
    form.size_class.choices = [(k, str(v)) for k, v in SIZE_LABELS.items()]
    form.district_code.choices = district_choices(_("Choose…"))
    if form.validate_on_submit():
        loaded = load_with(EmployerUpdateSchema(partial=True), form.organisation_data(), form)
        if loaded and call_service(
            form, employer_service.update_employer, user, employer.id, loaded
        ):
            flash(_("The organisation profile has been saved."), "success")
            return redirect(url_for("employer.profile"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("employer/profile.html", form=form, employer=employer), status


@bp.route("/postings/new", methods=["GET", "POST"])
@role_required("employer")
def new_posting():
    """Write a posting; its wording is screened before it is published."""
    user = me()
    employer = employer_service.get_employer(user, user.employer_id)
    form = _posting_form(district_code=employer.district_code)
    if form.validate_on_submit():
        data = {**_posting_data(form), "kind": form.kind.data, "publish": bool(form.publish.data)}
        if form.program_id.data:
            data["program_id"] = int(form.program_id.data)
        loaded = load_with(PostingInSchema(), data, form)
        posting = loaded and call_service(form, posting_service.create_posting, user, loaded)
        if posting:
            return redirect(url_for("employer.posting", posting_id=posting.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("employer/posting_form.html", form=form, posting=None), status


@bp.route("/postings/<int:posting_id>")
@role_required("employer")
def posting(posting_id: int):
    """A posting as its employer sees it, with the screening result highlighted."""
    item = posting_service.get_managed_posting(me(), posting_id)
    screening = item.screening or {}
    text = f"{item.title}\n{item.description or ''}"
    return render_template(
        "employer/posting.html",
        posting=item,
        screening=screening,
        pieces=highlight(text, screening.get("findings") or []),
        button=ButtonForm(),
    )


@bp.route("/postings/<int:posting_id>/edit", methods=["GET", "POST"])
@role_required("employer")
def edit_posting(posting_id: int):
    """Change a posting; publishing screens the wording again."""
    user = me()
    item = posting_service.get_managed_posting(user, posting_id)
    if item.status == "closed":
        abort(409, description=_("A closed posting cannot be edited."))
    form = _posting_form(item)
    del form.kind, form.program_id
    suggested = (item.screening or {}).get("suggested_text")
    if request.method == "GET" and request.args.get("suggestion") and suggested:
        title, _sep, description = suggested.partition("\n")
        form.title.data, form.description.data = title.strip(), description
    if form.validate_on_submit():
        data = {**_posting_data(form), "status": "published" if form.publish.data else "draft"}
        loaded = load_with(PostingUpdateSchema(), data, form)
        if loaded and call_service(form, posting_service.update_posting, user, item.id, loaded):
            return redirect(url_for("employer.posting", posting_id=item.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("employer/posting_form.html", form=form, posting=item), status


@bp.route("/postings/<int:posting_id>/close", methods=["POST"])
@role_required("employer")
def close_posting(posting_id: int):
    """Stop taking applications for a posting."""
    form = ButtonForm()
    if form.validate_on_submit() and call_service(
        form, posting_service.update_posting, me(), posting_id, {"status": "closed"}
    ):
        flash(_("The posting is closed."), "success")
    for message in form.form_errors:
        flash(str(message), "error")
    return redirect(url_for("employer.posting", posting_id=posting_id))


@bp.route("/applicants")
@role_required("employer")
def applicants():
    """Applicants to the organisation's postings, optionally for one posting or status."""
    user = me()
    page = page_arg()
    args = {}
    posting_id = int_arg("posting_id")
    if posting_id is not None:
        args["posting_id"] = posting_service.get_managed_posting(user, posting_id).id
    if request.args.get("status") in EMPLOYER_MOVES or request.args.get("status") in (
        "hired",
        "rejected",
        "withdrawn",
    ):
        args["status"] = request.args["status"]
    items, total = application_service.list_applications(user, args, page, PAGE_SIZE)
    return render_template(
        "employer/applicants.html",
        items=items,
        pager=pages(total, page, PAGE_SIZE),
        moves=EMPLOYER_MOVES,
        form=MoveForm(),
        posting_id=posting_id,
        status=args.get("status"),
    )


@bp.route("/applications/<int:application_id>/move", methods=["POST"])
@role_required("employer")
def move(application_id: int):
    """Shortlist, invite, hire or reject an applicant."""
    form = MoveForm()
    if form.validate_on_submit():
        note = (form.note.data or "").strip() or None
        interview = {
            "interview_at": form.interview_at.data.replace(tzinfo=LOCAL_TZ)
            if form.interview_at.data
            else None,
            "interview_place": (form.interview_place.data or "").strip() or None,
        }
        if call_service(
            form,
            application_service.move,
            me(),
            application_id,
            form.status.data,
            note,
            form.started_on.data,
            {k: v for k, v in interview.items() if v},
        ):
            flash(_("The application has been updated."), "success")
    for message in [
        *form.form_errors,
        *form.status.errors,
        *form.note.errors,
        *form.interview_at.errors,
        *form.interview_place.errors,
        *form.started_on.errors,
    ]:
        flash(str(message), "error")
    back = request.form.get("back") or url_for("employer.applicants")
    return redirect(back if back.startswith("/employer/") else url_for("employer.applicants"))


@bp.route("/postings/<int:posting_id>/candidates")
@role_required("employer")
def candidates(posting_id: int):
    """Seekers ranked for one of the organisation's postings, with score parts and reasons."""
    user = me()
    item = posting_service.get_managed_posting(user, posting_id)
    include_ineligible = request.args.get("ineligible") == "1"
    found = recommendation_service.candidates_for_posting(
        user, item.id, CANDIDATES, "en" if is_english() else "zh", include_ineligible
    )
    applications, _total = application_service.list_applications(
        user, {"posting_id": item.id}, 1, 500
    )
    results = found["results"]
    return render_template(
        "employer/candidates.html",
        posting=item,
        results=results,
        top_part=max((v for r in results for v in r["parts"].values()), default=0) or 1,
        applications={a.seeker_id: a for a in applications},
        include_ineligible=include_ineligible,
        exposure=found["exposure"],
        moves=EMPLOYER_MOVES,
        form=MoveForm(),
        invited=invitation_service.invited_to(user, item.id),
        invitation_labels=INVITATION_LABELS,
        invites_per_day=current_app.config["INVITES_PER_DAY"],
    )


@bp.route("/postings/<int:posting_id>/invitations", methods=["POST"])
@role_required("employer")
def invite(posting_id: int):
    """Invite a ranked candidate to apply; the daily limit and every refusal come back as a message."""
    form = ButtonForm()
    seeker_id = request.form.get("seeker_id", type=int)
    message = (request.form.get("message") or "").strip()[:500] or None
    if seeker_id is None:
        flash(_("Choose a candidate to invite."), "error")
    elif form.validate_on_submit() and call_service(
        form, invitation_service.invite, me(), posting_id, seeker_id, message
    ):
        flash(_("The candidate has been invited to apply."), "success")
    for error in form.form_errors:
        flash(str(error), "error")
    return redirect(
        url_for("employer.candidates", posting_id=posting_id, _anchor=f"candidate-{seeker_id}")
    )


def _outcome_form(traineeship, submitted: bool = False) -> OutcomeForm:
    form = OutcomeForm(
        prefix=f"t{traineeship.id}", formdata=None if not submitted else request.form
    )
    form.outcome.choices = [
        (code, str(OUTCOME_LABELS[code]))
        for code in OUTCOME_LABELS
        if code in traineeship_service.MOVES.get(traineeship.outcome, set())
    ]
    if not submitted:
        form.ended_on.data = traineeship_service.planned_end(traineeship)
    return form


def _traineeships_page(failed: OutcomeForm | None = None, failed_id: int | None = None):
    user = me()
    page = page_arg()
    items, total = traineeship_service.list_traineeships(user, {}, page, PAGE_SIZE)
    forms = {
        t.id: failed if t.id == failed_id and failed is not None else _outcome_form(t)
        for t in items
        if t.outcome in traineeship_service.MOVES
    }
    subsidy = settlement_service.employer_subsidy(user, user.employer_id)
    status = 422 if failed is not None else 200
    return render_template(
        "employer/traineeships.html",
        items=items,
        pager=pages(total, page, PAGE_SIZE),
        forms=forms,
        subsidy=subsidy,
        on=on_arg(),
    ), status


@bp.route("/traineeships")
@role_required("employer")
def traineeships():
    """The organisation's trainees with outcome forms, and its retention rate, tier and subsidy."""
    return _traineeships_page()


@bp.route("/traineeships/<int:traineeship_id>/outcome", methods=["POST"])
@role_required("employer")
def record_outcome(traineeship_id: int):
    """Record how a traineeship ended (completed, retained, converted early or left early)."""
    user = me()
    traineeship = traineeship_service.get_traineeship(user, traineeship_id)
    form = _outcome_form(traineeship, submitted=True)
    if form.validate_on_submit() and call_service(
        form,
        traineeship_service.record_outcome,
        user,
        traineeship.id,
        form.outcome.data,
        form.ended_on.data,
    ):
        flash(_("The outcome has been recorded."), "success")
        return redirect(url_for("employer.traineeships"))
    return _traineeships_page(form, traineeship.id)
