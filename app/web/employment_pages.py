"""Employment facts pages (an employer's own hires, an office's district) and the office's policy finder."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.schemas.employment import EmploymentFactsSchema
from app.schemas.settlement import HiringGrantInSchema
from app.services import employment as employment_service
from app.services import hiring_grants, policy_finder
from app.web import employer, office
from app.web.forms import EmploymentFactsForm, HiringGrantForm
from app.web.helpers import (
    FINDER_STATUS_LABELS,
    call_service,
    load_with,
    me,
    page_arg,
    pages,
    role_required,
)

PAGE_SIZE = 30
FACTS = ("contract_months", "social_insurance_months", "unemployment_insurance_months", "ended_on")


def _endpoint(bp: Blueprint, name: str) -> str:
    return f"{bp.name}.{name}"


def _list_page(bp: Blueprint):
    page = page_arg()
    args: dict = {}
    if request.args.get("facts") in ("complete", "missing"):
        args["facts_complete"] = request.args["facts"] == "complete"
    items, total = employment_service.list_employments(me(), args, page, PAGE_SIZE)
    return render_template(
        "employment/list.html",
        items=items,
        paging=pages(total, page, PAGE_SIZE),
        facts=request.args.get("facts"),
        detail=_endpoint(bp, "employment"),
    )


def _detail_page(bp: Blueprint, employment_id: int):
    user = me()
    item = employment_service.get_employment(user, employment_id)
    form = EmploymentFactsForm(obj=item if request.method == "GET" else None)
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in FACTS}
        if data["ended_on"] is not None:
            data["ended_on"] = data["ended_on"].isoformat()
        loaded = load_with(EmploymentFactsSchema(), data, form)
        if loaded is not None and call_service(
            form, employment_service.record_facts, user, item.id, loaded
        ):
            flash(_("The employment facts have been saved."), "success")
            return redirect(url_for(_endpoint(bp, "employment"), employment_id=item.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "employment/detail.html",
        item=item,
        form=form,
        back=_endpoint(bp, "employments"),
        action=url_for(_endpoint(bp, "employment"), employment_id=item.id),
    ), status


@office.bp.route("/employments", endpoint="employments")
@role_required(*office.OFFICE)
def office_employments():
    """Employment records of the office's district, newest hire first."""
    return _list_page(office.bp)


@office.bp.route("/employments/<int:employment_id>", methods=["GET", "POST"], endpoint="employment")
@role_required(*office.OFFICE)
def office_employment(employment_id: int):
    """One employment record of the district and the form to record its facts."""
    return _detail_page(office.bp, employment_id)


@employer.bp.route("/employments", endpoint="employments")
@role_required("employer")
def employer_employments():
    """The employer's own hires, newest first."""
    return _list_page(employer.bp)


@employer.bp.route(
    "/employments/<int:employment_id>", methods=["GET", "POST"], endpoint="employment"
)
@role_required("employer")
def employer_employment(employment_id: int):
    """One of the employer's hires and the form to record its facts."""
    return _detail_page(employer.bp, employment_id)


@office.bp.route("/policy-finder")
@role_required(*office.OFFICE)
def policy_finder_page():
    """Hires checked against the one-off hiring subsidies: who qualifies, what is short or missing."""
    result = policy_finder.find(me())
    status = request.args.get("status")
    findings = result["findings"]
    counts = {key: sum(1 for f in findings if f["status"] == key) for key in FINDER_STATUS_LABELS}
    if status in FINDER_STATUS_LABELS:
        findings = [f for f in findings if f["status"] == status]
    return render_template(
        "office/policy_finder.html",
        result=result,
        findings=findings,
        counts=counts,
        status=status if status in FINDER_STATUS_LABELS else None,
        form=HiringGrantForm(),
    )


@office.bp.route("/policy-finder/grants", methods=["POST"], endpoint="hiring_grant")
@role_required(*office.OFFICE)
def record_hiring_grant():
    """Record a subsidy the finder rates as qualifying as paid, with the payment reference."""
    form = HiringGrantForm()
    if form.validate_on_submit():
        data = {name: getattr(form, name).data for name in ("seeker_id", "rule", "reference")}
        if form.granted_on.data:
            data["granted_on"] = form.granted_on.data.isoformat()
        loaded = load_with(HiringGrantInSchema(), data, form)
        if loaded is not None and call_service(
            form,
            hiring_grants.grant,
            me(),
            loaded["seeker_id"],
            loaded["rule"],
            loaded["reference"],
            loaded.get("granted_on"),
        ):
            flash(_("The subsidy has been recorded as paid."), "success")
    for message in form.form_errors:
        flash(str(message), "error")
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}: {message}", "error")
    return redirect(url_for("office.policy_finder_page", status=request.form.get("status") or None))
