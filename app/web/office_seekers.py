"""Office page of one job seeker: the profile, desired jobs and occupations to correct, priority groups to certify."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.schemas.seeker import SeekerOfficeUpdateSchema
from app.services import occupation_checks
from app.services import seekers as seeker_service
from app.web.forms import OccupationCheckForm, OfficeSeekerForm
from app.web.helpers import (
    PRIORITY_LABELS,
    call_service,
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
    form = OfficeSeekerForm(obj=person if request.method == "GET" else None)
    form.priority_groups.choices = [(g, str(PRIORITY_LABELS[g])) for g in PRIORITY_GROUPS]
    if request.method == "GET":
        form.desired_occupations.data = join_list(seeker_service.codes_apart_from_jobs(person))
        form.priority_certified_by.data = person.priority_certified_by or user.display_name
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
    return render_template(
        "office/seeker.html",
        person=person,
        form=form,
        check_form=OccupationCheckForm(formdata=None),
        suggestions=occupation_checks.suggestions(person.desired_jobs),
    ), status


@bp.route("/seekers/<int:seeker_id>/jobs/<int:job_id>", methods=["POST"])
@role_required(*OFFICE)
def check_desired_job(seeker_id: int, job_id: int):
    """Confirm or correct the code of one job the seeker named."""
    back = url_for("office.seeker", seeker_id=seeker_id)
    if submit_occupation_check(occupation_checks.check_desired_job, seeker_id, job_id):
        return redirect(safe_next(request.args.get("next"), back))
    return redirect(back + f"#job-{job_id}")
