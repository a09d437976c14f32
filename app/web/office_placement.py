"""Office pages for placement runs (propose → review → confirm), seat transfers and the traineeship register."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.schemas.matching import OverrideSchema, TransferSchema
from app.services import employers as employer_service
from app.services import office_pages
from app.services import placement as placement_service
from app.services import programs as program_service
from app.services import traineeships as traineeship_service
from app.services.common import office_scope
from app.web.forms import ConfirmForm, OverrideForm, ProposeForm, TransferForm
from app.web.helpers import (
    MODE_LABELS,
    OUTCOME_LABELS,
    call_service,
    int_arg,
    is_english,
    load_with,
    me,
    on_arg,
    page_arg,
    pages,
    role_required,
)
from app.web.office import OFFICE, bp

REGISTER_PAGE_SIZE = 30


def _program_name(program) -> str:
    return program.name_en if is_english() and program.name_en else program.name


def _district_programs() -> list:
    scope = office_scope(me())
    items, _total = program_service.list_programs({"district": scope} if scope else {}, 1, 200)
    return items


def _propose_form() -> ProposeForm:
    form = ProposeForm()
    form.mode.choices = [(k, str(v)) for k, v in MODE_LABELS.items()]
    return form


def _transfer_form(program) -> TransferForm:
    form = TransferForm()
    form.to_program_id.choices = [("", _("Choose…"))] + [
        (str(p.id), _program_name(p))
        for p in _district_programs()
        if p.id != program.id and p.district_code == program.district_code
    ]
    return form


def _program_page(program_id: int, propose=None, transfer=None):
    user = me()
    program = office_pages.office_program(user, program_id)
    status = 422 if propose is not None or transfer is not None else 200
    return render_template(
        "office/placements.html",
        program=program,
        runs=office_pages.placement_runs(user, program.id),
        propose=propose or _propose_form(),
        transfer=transfer or _transfer_form(program),
    ), status


@bp.route("/programs/<int:program_id>/placements")
@role_required(*OFFICE)
def placements(program_id: int):
    """A program's placement runs, the form to propose one, and seat transfers."""
    return _program_page(program_id)


@bp.route("/programs/<int:program_id>/placements", methods=["POST"])
@role_required(*OFFICE)
def propose(program_id: int):
    """Propose placements for the program's open trainee posts."""
    form = _propose_form()
    if form.validate_on_submit():
        run = call_service(
            form, placement_service.propose, me(), program_id, form.mode.data, form.seed.data
        )
        if run:
            flash(_("Placements proposed. Review them, then confirm."), "success")
            return redirect(url_for("office.placement_run", run_id=run.id))
    return _program_page(program_id, propose=form)


@bp.route("/programs/<int:program_id>/seat-transfer", methods=["POST"])
@role_required(*OFFICE)
def transfer_seats(program_id: int):
    """Move unused seats of this program to another program of the district, with the approval."""
    user = me()
    program = office_pages.office_program(user, program_id)
    form = _transfer_form(program)
    if form.validate_on_submit():
        data = {
            "from_program_id": program.id,
            "to_program_id": int(form.to_program_id.data),
            "seats": form.seats.data,
            "approval": (form.approval.data or "").strip(),
        }
        loaded = load_with(TransferSchema(), data, form)
        if loaded and call_service(
            form,
            placement_service.transfer_seats,
            user,
            loaded["from_program_id"],
            loaded["to_program_id"],
            loaded["seats"],
            loaded["approval"],
        ):
            flash(_("The seats have been moved."), "success")
            return redirect(url_for("office.placements", program_id=program.id))
    return _program_page(program_id, transfer=form)


def _override_form(data: dict) -> OverrideForm:
    form = OverrideForm()
    seekers, posts = data["seekers"], data["posts"]
    form.seeker_id.choices = [("", _("Choose…"))] + [
        (str(s), seekers[s].name if s in seekers else str(s)) for s in data["eligible"]
    ]
    form.posting_id.choices = [("", _("Nobody: remove the placement"))] + [
        (str(p), f"{posts[p].title} · {posts[p].employer.name}" if p in posts else str(p))
        for p in data["capacities"]
    ]
    return form


def _run_page(run_id: int, override=None, confirm=None):
    data = office_pages.run_page(me(), run_id)
    status = 422 if override is not None or confirm is not None else 200
    return render_template(
        "office/placement_run.html",
        **data,
        override=override or _override_form(data),
        confirm=confirm or ConfirmForm(),
        again=_propose_form(),
    ), status


@bp.route("/placements/<int:run_id>")
@role_required(*OFFICE)
def placement_run(run_id: int):
    """A proposal: summary, floor, placements with both ranks and score parts, overrides, confirmation."""
    return _run_page(run_id)


@bp.route("/placements/<int:run_id>/override", methods=["POST"])
@role_required(*OFFICE)
def override(run_id: int):
    """Move or remove one person's placement by hand, with a reason."""
    user = me()
    form = _override_form(office_pages.run_page(user, run_id))
    if form.validate_on_submit():
        data = {
            "seeker_id": int(form.seeker_id.data),
            "posting_id": int(form.posting_id.data) if form.posting_id.data else None,
            "reason": (form.reason.data or "").strip(),
        }
        loaded = load_with(OverrideSchema(), data, form)
        if loaded and call_service(
            form,
            placement_service.override,
            user,
            run_id,
            loaded["seeker_id"],
            loaded["posting_id"],
            loaded["reason"],
        ):
            flash(_("The placement has been changed."), "success")
            return redirect(url_for("office.placement_run", run_id=run_id))
    return _run_page(run_id, override=form)


@bp.route("/placements/<int:run_id>/second-round", methods=["POST"])
@role_required(*OFFICE)
def second_round(run_id: int):
    """Propose again for who and what is left, keeping this run's placements."""
    user = me()
    run = placement_service.get_run(user, run_id)
    form = _propose_form()
    if form.validate_on_submit():
        again = call_service(
            form,
            placement_service.propose,
            user,
            run.parameters["program_id"],
            form.mode.data,
            form.seed.data,
            run.id,
        )
        if again:
            flash(_("Second round proposed."), "success")
            return redirect(url_for("office.placement_run", run_id=again.id))
    for message in [*form.form_errors, *form.mode.errors, *form.seed.errors]:
        flash(str(message), "error")
    return redirect(url_for("office.placement_run", run_id=run_id))


@bp.route("/placements/<int:run_id>/confirm", methods=["POST"])
@role_required(*OFFICE)
def confirm(run_id: int):
    """Enrol every proposed placement as a traineeship from a start date; refusals are listed."""
    form = ConfirmForm()
    if form.validate_on_submit():
        run = call_service(form, placement_service.confirm, me(), run_id, form.start_date.data)
        if run:
            done = run.parameters["confirmation"]
            flash(
                _(
                    "Confirmed: %(enrolled)s enrolled, %(refused)s refused.",
                    enrolled=len(done["enrolled"]),
                    refused=len(done["refused"]),
                ),
                "success",
            )
            return redirect(url_for("office.placement_run", run_id=run_id))
    return _run_page(run_id, confirm=form)


@bp.route("/traineeships")
@role_required(*OFFICE)
def traineeships():
    """The district's traineeship register, filtered by program, host and outcome."""
    user = me()
    page = page_arg()
    programs = _district_programs()
    hosts, _total = employer_service.list_employers(
        user, {"host_approved": True, "sort": "name"}, 1, 500
    )
    args: dict = {}
    for key, known in (
        ("program_id", {p.id for p in programs}),
        ("host_id", {h.id for h in hosts}),
    ):
        value = int_arg(key)
        if value in known:
            args[key] = value
    if request.args.get("outcome") in OUTCOME_LABELS:
        args["outcome"] = request.args["outcome"]
    items, total = traineeship_service.list_traineeships(user, args, page, REGISTER_PAGE_SIZE)
    return render_template(
        "office/traineeships.html",
        items=items,
        pager=pages(total, page, REGISTER_PAGE_SIZE),
        programs=programs,
        hosts=hosts,
        args=args,
        on=on_arg(),
    )
