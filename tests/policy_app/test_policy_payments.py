"""Recording the finance bureau's payment moves due lines to paid, once, without touching amounts."""

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, SubsidyLine
from tests.factories import SeekerFactory
from tests.scenario import traineeship as add_traineeship


def test_payment_marks_due_lines_up_to_the_month(client, ctx, as_office, enterprise, post_a):
    add_traineeship(SeekerFactory(), post_a, dt.date(2023, 7, 1), 6)
    client.post(
        f"/api/v1/programs/{enterprise.id}/settlements",
        query_string={"month": "2023-09"},
        headers=as_office,
    )
    url = f"/api/v1/programs/{enterprise.id}/payments"
    paid = client.post(
        url, json={"month": "2023-08", "reference": "武财社〔2023〕12号"}, headers=as_office
    )
    assert paid.status_code == 200, paid.json
    assert paid.json["lines_paid"] == 3 and paid.json["paid_total"] == 2700
    statuses = {
        (line.month, line.kind): line.status for line in db.session.scalars(select(SubsidyLine))
    }
    assert (
        statuses[("2023-09", "monthly")] == "due"
        and statuses[("2023-07", "accident_insurance")] == "paid"
    )
    again = client.post(url, json={"month": "2023-08", "reference": "重复"}, headers=as_office)
    assert again.json["lines_paid"] == 0 and again.json["paid_total"] == 2700
    assert (
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == "record_payment"))
        .first()
        .after["reference"]
        == "武财社〔2023〕12号"
    )


def test_payment_needs_a_reference_and_the_right_office(
    client, ctx, as_office, as_beibei, as_host_a, enterprise
):
    url = f"/api/v1/programs/{enterprise.id}/payments"
    missing = client.post(url, json={"month": "2023-08"}, headers=as_office)
    assert missing.status_code == 422 and "reference" in missing.json["errors"]
    assert (
        client.post(url, json={"month": "2023-8", "reference": "x1"}, headers=as_office).status_code
        == 422
    )
    assert (
        client.post(
            url, json={"month": "2023-08", "reference": "x1"}, headers=as_beibei
        ).status_code
        == 403
    )
    assert (
        client.post(
            url, json={"month": "2023-08", "reference": "x1"}, headers=as_host_a
        ).status_code
        == 403
    )


def test_payments_cli(app, ctx, enterprise, post_a):
    from app.services.settlement import run_settlement

    add_traineeship(SeekerFactory(), post_a, dt.date(2023, 7, 1), 3)
    run_settlement(None, enterprise.key, "2023-09")
    result = app.test_cli_runner().invoke(
        args=[
            "payments",
            "record",
            "--program",
            enterprise.key,
            "--month",
            "2023-09",
            "--reference",
            "R-1",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "4 lines marked paid; 4000 yuan" in result.output
