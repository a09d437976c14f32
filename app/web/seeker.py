"""Seeker pages: recommendations, profile, applications and their timelines, my traineeship, favourites, saved searches and notifications."""

import datetime as dt
import json
import re

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from app.schemas.seeker import SeekerProfileSchema
from app.services import application_history, listing_hints, my_traineeship, personal_data
from app.services import applications as application_service
from app.services import favourites as favourite_service
from app.services import invitations as invitation_service
from app.services import postings as posting_service
from app.services import recommendations as recommendation_service
from app.services import saved_searches as search_service
from app.services import seekers as seeker_service
from app.services.reports import match_report
from app.web.forms import ApplyForm, ButtonForm, EraseAccountForm, SaveSearchForm, SeekerProfileForm
from app.web.helpers import (
    call_service,
    district_choices,
    education_choices,
    int_arg,
    is_english,
    iso_date,
    join_list,
    load_with,
    me,
    occupation_name,
    on_arg,
    page_arg,
    pages,
    role_required,
    safe_next,
    split_list,
)

bp = Blueprint("seeker", __name__, url_prefix="/me")

PAGE_SIZE = 20
RECOMMENDED = 20
PROFILE_FIELDS = (
    "name",
    "phone",
    "district_code",
    "hukou_district",
    "education",
    "school",
    "major",
    "graduation_date",
    "expected_salary",
    "summary",
    "visible",
)


CODE_IN_TEXT = re.compile(r"\d-\d{2}-\d{2}-\d{2}")


def _occupation_named(text: str) -> str | None:
    """The code of the occupation a seeker chose in the lookup (its code, or its exact name)."""
    if found := CODE_IN_TEXT.search(text):
        code = found.group()
        return code if listing_hints.occupations_by_code([code]) else None
    exact = [o for o in listing_hints.find_occupations(text.strip(), 50) if o.name == text.strip()]
    return exact[0].code if exact else None


def _history_rows(form: SeekerProfileForm, seeker) -> None:
    """Fill the history rows: those kept, then one blank row of each kind to add another."""
    levels = education_choices(_("Not given"))
    for rows, kept in (
        (form.education_history, seeker.education_history),
        (form.work_history, seeker.work_history),
    ):
        if request.method == "GET":
            for entry in kept or []:
                rows.append_entry(
                    {
                        k: dt.date.fromisoformat(v) if k in ("start", "end") and v else v
                        for k, v in entry.items()
                    }
                )
            rows.append_entry()
        for row in rows:
            if "level" in row.form._fields:
                row.form.level.choices = levels


@bp.route("/profile", methods=["GET", "POST"])
@role_required("seeker")
def profile():
    """Edit the seeker's own profile."""
    seeker = seeker_service.own_seeker(me())
    form = SeekerProfileForm(obj=seeker if request.method == "GET" else None)
    if request.method == "GET":
        form.education_history.entries, form.work_history.entries = [], []
    form.education.choices = education_choices()
    form.district_code.choices = district_choices(_("Not given"))
    form.hukou_district.choices = district_choices(_("Not given"))
    form.desired_districts.choices = district_choices()
    own_codes = seeker_service.codes_apart_from_jobs(seeker)
    form.desired_occupations.choices = [
        (code, f"{occupation_name(code)}（{code}）") for code in own_codes
    ]
    _history_rows(form, seeker)
    form.add_occupation.render_kw = {
        "autocomplete": "off",
        "list": "occupation-options",
        "hx-get": url_for("public.occupation_options"),
        "hx-trigger": "input changed delay:300ms",
        "hx-target": "#occupation-options",
    }
    if request.method == "GET":
        form.skills.data = join_list(seeker.skills)
        form.desired_jobs.data = join_list(job.title for job in seeker.desired_jobs)
        form.desired_occupations.data = own_codes
    if form.validate_on_submit():
        data = {key: getattr(form, key).data for key in PROFILE_FIELDS}
        for key in ("phone", "district_code", "hukou_district", "school", "major", "summary"):
            data[key] = (data[key] or "").strip() or None
        data["graduation_date"] = iso_date(data["graduation_date"])
        data["skills"] = split_list(form.skills.data)
        data["desired_jobs"] = split_list(form.desired_jobs.data)
        data["desired_occupations"] = list(form.desired_occupations.data or [])
        data["desired_districts"] = form.desired_districts.data or []
        for key in ("education_history", "work_history"):
            data[key] = [row.form.entry() for row in getattr(form, key) if not row.form.is_blank()]
        added = (form.add_occupation.data or "").strip()
        code = _occupation_named(added) if added else None
        if added and code is None:
            form.add_occupation.errors = [_("Choose an occupation from the list.")]
        elif code and code not in data["desired_occupations"]:
            data["desired_occupations"].append(code)
        loaded = not form.add_occupation.errors and load_with(SeekerProfileSchema(), data, form)
        if loaded and call_service(form, seeker_service.update_seeker, me(), seeker.id, loaded):
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("seeker.profile"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("seeker/profile.html", form=form, seeker=seeker), status


@bp.route("/data")
@role_required("seeker")
def my_data():
    """Everything the service holds about the seeker, readable, with a JSON download."""
    return render_template("seeker/my_data.html", data=personal_data.export_for(me()))


@bp.route("/data.json")
@role_required("seeker")
def my_data_json():
    """The same data as a JSON file."""
    body = json.dumps(personal_data.export_for(me()), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="jianxi-my-data.json"'},
    )


@bp.route("/delete", methods=["GET", "POST"])
@role_required("seeker")
def erase():
    """Delete the account after the password is given again; the person is logged out."""
    form = EraseAccountForm()
    if (
        form.validate_on_submit()
        and call_service(form, personal_data.erase_account, me(), form.password.data) is not None
    ):
        logout_user()
        flash(_("Your account has been deleted and your personal data erased."), "info")
        return redirect(url_for("public.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("seeker/erase.html", form=form), status


@bp.route("/recommended")
@role_required("seeker")
def recommendations():
    """Posts the office recommended, then open postings that fit the seeker best, with the reasons."""
    user = me()
    seeker = seeker_service.own_seeker(user)
    _open, listed = posting_service.list_postings(user, {"status": "published"}, 1, 1)
    # With no open listing there is nothing to rank (and the ranker's index cannot be empty).
    results = (
        recommendation_service.recommendations_for_seeker(
            user, seeker.id, RECOMMENDED, "en" if is_english() else "zh"
        )["results"]
        if listed
        else []
    )
    applied, _total = application_service.list_applications(user, {}, 1, 200)
    return render_template(
        "seeker/recommendations.html",
        pushed=match_report.pushed_recommendations(seeker),
        results=results,
        applied={a.posting_id: a for a in applied},
        form=ApplyForm(),
        seeker=seeker,
    )


@bp.route("/applications")
@role_required("seeker")
def applications():
    """The seeker's applications and where they stand."""
    page = page_arg()
    items, total = application_service.list_applications(me(), {}, page, PAGE_SIZE)
    return render_template(
        "seeker/applications.html",
        invitations=[i for i in invitation_service.list_invitations(me()) if i.status == "pending"],
        items=items,
        pager=pages(total, page, PAGE_SIZE),
        button=ButtonForm(),
    )


@bp.route("/applications/<int:application_id>")
@role_required("seeker")
def application(application_id: int):
    """One application with its timeline: each status, when and by whom (an interview's time and place)."""
    found = application_history.timeline(me(), application_id)
    return render_template("seeker/application.html", **found, button=ButtonForm())


@bp.route("/traineeship")
@role_required("seeker")
def traineeship():
    """The seeker's traineeships: host, dates, the host's subsidy and the outcome (``on=`` to look at a day)."""
    on = on_arg()
    rows = my_traineeship.my_traineeships(me(), on)
    return render_template("seeker/traineeship.html", rows=rows, on=on)


@bp.route("/applications", methods=["POST"])
@role_required("seeker")
def apply():
    """Apply to a listing."""
    posting_id = int_arg("posting_id", request.form)
    form = ApplyForm()
    if posting_id is None:
        flash(_("Choose a listing to apply to."), "error")
        return redirect(url_for("public.listings"))
    if form.validate_on_submit():
        note = (form.note.data or "").strip() or None
        if call_service(form, application_service.apply, me(), posting_id, note):
            flash(_("Your application has been sent."), "success")
            return redirect(url_for("seeker.applications"))
    for message in [*form.form_errors, *form.note.errors]:
        flash(str(message), "error")
    return redirect(url_for("public.listing", posting_id=posting_id))


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@role_required("seeker")
def withdraw(application_id: int):
    """Withdraw an application that is still open."""
    form = ButtonForm()
    if form.validate_on_submit():
        if call_service(form, application_service.move, me(), application_id, "withdrawn", None):
            flash(_("Your application has been withdrawn."), "success")
        for message in form.form_errors:
            flash(str(message), "error")
    return redirect(url_for("seeker.applications"))


@bp.route("/invitations/<int:invitation_id>/<any(accept, decline):answer>", methods=["POST"])
@role_required("seeker")
def answer_invitation(invitation_id: int, answer: str):
    """Accept an employer's invitation (which sends the application) or decline it."""
    form = ButtonForm()
    if form.validate_on_submit() and call_service(
        form, invitation_service.respond, me(), invitation_id, answer == "accept"
    ):
        flash(
            _("Your application has been sent.")
            if answer == "accept"
            else _("You declined the invitation."),
            "success",
        )
    for message in form.form_errors:
        flash(str(message), "error")
    return redirect(url_for("seeker.applications"))


@bp.route("/favourites")
@role_required("seeker")
def favourites():
    """Listings the seeker marked."""
    items = favourite_service.list_favourites(me())
    return render_template("seeker/favourites.html", items=items, button=ButtonForm())


@bp.route("/favourites/<int:posting_id>", methods=["POST"])
@role_required("seeker")
def toggle_favourite(posting_id: int):
    """Mark or unmark a listing; htmx gets the button back, others are sent back where they were."""
    form = ButtonForm()
    marked = request.form.get("marked") == "1"
    if form.validate_on_submit():
        if marked:
            favourite_service.remove_favourite(me(), posting_id)
        else:
            favourite_service.add_favourite(me(), posting_id)
        marked = not marked
    if request.headers.get("HX-Request"):
        return render_template(
            "seeker/_favourite_button.html", posting_id=posting_id, favourite=marked, button=form
        )
    return redirect(safe_next(request.form.get("next"), url_for("seeker.favourites")))


@bp.route("/searches")
@role_required("seeker")
def searches():
    """The seeker's saved searches."""
    items = search_service.list_saved_searches(me())
    return render_template("seeker/searches.html", items=items, button=ButtonForm())


@bp.route("/searches", methods=["POST"])
@role_required("seeker")
def save_search():
    """Keep the current listing filters under a name."""
    form = SaveSearchForm()
    if form.validate_on_submit():
        try:
            query = json.loads(form.query.data or "{}")
        except ValueError:
            query = {}
        query = query if isinstance(query, dict) else {}
        saved = call_service(form, search_service.save_search, me(), form.name.data, query)
        if saved:
            flash(
                _("Search saved. We will tell you about new listings that match it.")
                if saved[1]
                else _("You already keep this search as “%(name)s”.", name=saved[0].name),
                "success" if saved[1] else "info",
            )
            return redirect(url_for("seeker.searches"))
    for message in [*form.form_errors, *form.name.errors]:
        flash(str(message), "error")
    return redirect(url_for("seeker.searches"))


@bp.route("/searches/<int:search_id>/delete", methods=["POST"])
@role_required("seeker")
def delete_search(search_id: int):
    """Remove a saved search."""
    form = ButtonForm()
    if form.validate_on_submit():
        search_service.delete_saved_search(me(), search_id)
        flash(_("Saved search removed."), "success")
    return redirect(url_for("seeker.searches"))


@bp.route("/notifications")
@role_required("seeker")
def notifications():
    """What changed for the seeker: applications, traineeships, recommendations, saved searches."""
    items = search_service.list_notifications(me())
    return render_template("seeker/notifications.html", items=items, button=ButtonForm())


@bp.route("/notifications/read", methods=["POST"])
@role_required("seeker")
def read_notifications():
    """Mark every notification read."""
    if ButtonForm().validate_on_submit():
        search_service.mark_all_read(me())
    return redirect(url_for("seeker.notifications"))
