"""Office pages for a program's monthly subsidy settlement: run it, read the lines and hosts' retention."""

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.services import office_pages
from app.services import settlement as settlement_service
from app.web import charts
from app.web.forms import SettleForm
from app.web.helpers import call_service, me, money, role_required
from app.web.office import OFFICE, bp


def _month_arg() -> str | None:
    month = (request.args.get("month") or "").strip()
    return month if settlement_service.MONTH.match(month) else None


def _page(program_id: int, form: SettleForm | None = None):
    user = me()
    program = office_pages.office_program(user, program_id)
    month = _month_arg()
    view = settlement_service.settlement_view(user, program.id, month)
    threshold = office_pages.tier_threshold(program)
    if form is None:
        form = SettleForm()
        if request.method == "GET":
            form.month.data = dt.datetime.strptime(month, "%Y-%m").date() if month else None
    rated = [h for h in view["hosts"] if h["retention_rate"] is not None]
    return render_template(
        "office/settlement.html",
        program=program,
        view=view,
        month=month,
        form=form,
        threshold=threshold,
        retention_chart=charts.retention_chart(rated, threshold) if rated else None,
    ), 422 if form.errors or form.form_errors else 200


@bp.route("/programs/<int:program_id>/settlement")
@role_required(*OFFICE)
def settlement(program_id: int):
    """Stored subsidy lines of a program (one month or all) and each host's retention and tier."""
    return _page(program_id)


@bp.route("/programs/<int:program_id>/settlement", methods=["POST"])
@role_required(*OFFICE)
def settle(program_id: int):
    """Settle the program up to the end of a month; running it again adds nothing."""
    office_pages.office_program(me(), program_id)
    form = SettleForm()
    if form.validate_on_submit():
        month = form.month.data.strftime("%Y-%m")
        result = call_service(form, settlement_service.run_settlement, me(), program_id, month)
        if result is not None:
            flash(
                _(
                    "Settled up to %(month)s: %(n)s new lines, %(total)s.",
                    month=month,
                    n=len(result["lines"]),
                    total=money(result["total"]),
                ),
                "success",
            )
            return redirect(url_for("office.settlement", program_id=program_id, month=month))
    return _page(program_id, form)
