"""Office page of one job seeker: the profile, desired jobs and occupations to correct, priority groups to certify."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.schemas.seeker import SeekerOfficeUpdateSchema
from app.services import declared_facts, occupation_checks
from app.services import seekers as seeker_service
from app.web.forms import ConfirmFactsForm, OccupationCheckForm, OfficeSeekerForm
from app.web.helpers import (
    PRIORITY_LABELS,
    call_service,
    is_english,
    iso_date,
    join_list,
    load_with,
    me,
    role_required,
    safe_next,
    split_list,
)
from app.web.office import OFFICE, bp
from app.web.office_occupations import submit_occupation_check
from matching.conditions import PRIORITY_GROUPS


@bp.route("/seekers/<int:seeker_id>", methods=["GET", "POST"])
@role_required(*OFFICE)
def seeker(seeker_id: int):
    """A seeker of the district (ID number and phone masked); correct codes, certify groups."""
    user = me()
    person = seeker_service.get_seeker(user, seeker_id)
    form = _record_form(person, user, request.method == "GET")
    if form.validate_on_submit():
        data = {
            "desired_occupations": split_list(form.desired_occupations.data),
            "registered_unemployed_since": iso_date(form.registered_unemployed_since.data),
            "registered_unemployed_district": (
                form.registered_unemployed_district.data or ""
            ).strip()
            or None,
            "priority_groups": form.priority_groups.data or [],
            "priority_certified_by": (form.priority_certified_by.data or "").strip() or None,
            "priority_certified_on": iso_date(form.priority_certified_on.data),
        }
        loaded = load_with(SeekerOfficeUpdateSchema(), data, form)
        if loaded and call_service(form, seeker_service.update_seeker, user, person.id, loaded):
            flash(_("The seeker's record has been saved."), "success")
            return redirect(url_for("office.seeker", seeker_id=person.id))
    status = 422 if form.errors or form.form_errors else 200
    return _page(person, form, _facts_form(person, None), status)


def _record_form(person, user, fresh: bool) -> OfficeSeekerForm:
    """The office's form over the record: filled from it, or from the posted form."""
    form = OfficeSeekerForm(obj=person) if fresh else OfficeSeekerForm()
    form.priority_groups.choices = [(g, str(PRIORITY_LABELS[g])) for g in PRIORITY_GROUPS]
    if fresh:
        form.desired_occupations.data = join_list(seeker_service.codes_apart_from_jobs(person))
        form.priority_certified_by.data = person.priority_certified_by or user.display_name
    return form


def _facts_form(person, formdata) -> ConfirmFactsForm:
    form = ConfirmFactsForm(formdata=formdata)
    form.facts.choices = [
        (d["fact"], d["label"]["en" if is_english() else "zh"])
        for d in declared_facts.statuses(person)
    ]
    return form


def _page(person, form: OfficeSeekerForm, facts_form: ConfirmFactsForm, status: int):
    return render_template(
        "office/seeker.html",
        person=person,
        form=form,
        facts=declared_facts.statuses(person),
        facts_form=facts_form,
        check_form=OccupationCheckForm(formdata=None),
        suggestions=occupation_checks.suggestions(person.desired_jobs),
    ), status


@bp.route("/seekers/<int:seeker_id>/confirm-facts", methods=["POST"])
@role_required(*OFFICE)
def confirm_facts(seeker_id: int):
    """Confirm the seeker's declared facts the office has checked against its own records."""
    user = me()
    person = seeker_service.get_seeker(user, seeker_id)
    form = _facts_form(person, request.form)
    if form.validate_on_submit() and call_service(
        form, seeker_service.confirm_facts, user, person.id, form.facts.data
    ):
        flash(_("The checked facts are recorded as confirmed."), "success")
        return redirect(url_for("office.seeker", seeker_id=person.id) + "#declared-facts")
    return _page(person, _record_form(person, user, True), form, 422)


@bp.route("/seekers/<int:seeker_id>/jobs/<int:job_id>", methods=["POST"])
@role_required(*OFFICE)
def check_desired_job(seeker_id: int, job_id: int):
    """Confirm or correct the code of one job the seeker named."""
    back = url_for("office.seeker", seeker_id=seeker_id)
    if submit_occupation_check(occupation_checks.check_desired_job, seeker_id, job_id):
        return redirect(safe_next(request.args.get("next"), back))
    return redirect(back + f"#job-{job_id}")
