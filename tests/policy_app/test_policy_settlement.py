"""Settlement stored once, re-settlement a no-op, adjustments after a late outcome, host views and roles."""

import datetime as dt

from sqlalchemy import func, select

from app.extensions import db
from app.models import SubsidyLine
from app.services.settlement import run_settlement
from app.services.traineeships import record_outcome
from tests.factories import SeekerFactory, UserFactory
from tests.scenario import traineeship as add_traineeship

START = dt.date(2023, 7, 1)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(SubsidyLine))


def test_settlement_is_stored_once(client, ctx, as_office, enterprise, post_a):
    add_traineeship(SeekerFactory(), post_a, START, 6)
    url = f"/api/v1/programs/{enterprise.id}/settlements"
    first = client.post(url, query_string={"month": "2023-09"}, headers=as_office)
    assert first.status_code == 201, first.json
    kinds = sorted((line["month"], line["kind"], line["amount"]) for line in first.json["lines"])
    assert kinds == [
        ("2023-07", "accident_insurance", 100),
        ("2023-07", "monthly", 1300),
        ("2023-08", "monthly", 1300),
        ("2023-09", "monthly", 1300),
    ]
    assert first.json["total"] == 4000 and _count() == 4
    again = client.post(url, query_string={"month": "2023-09"}, headers=as_office)
    assert again.json["lines"] == [] and again.json["total"] == 0 and _count() == 4
    assert client.post(url, query_string={"month": "2023-13"}, headers=as_office).status_code == 422


def test_late_outcome_yields_adjustments_and_keeps_paid_lines(ctx, enterprise, post_a):
    office = UserFactory(username="wl_settler", role="office", office_district="500156")
    row = add_traineeship(SeekerFactory(), post_a, START, 6)
    run_settlement(office, enterprise.key, "2023-10")
    paid = {
        (line.month, line.kind): line.amount for line in db.session.scalars(select(SubsidyLine))
    }
    assert paid[("2023-09", "monthly")] == 1300 and len(paid) == 5
    record_outcome(office, row.id, "left_early", dt.date(2023, 8, 10))
    result = run_settlement(office, enterprise.id, "2023-10")
    adjustments = sorted(
        (line["month"], line["amount"], line["revision"], line["corrects"])
        for line in result["lines"]
    )
    assert adjustments == [
        ("2023-08", -1300, 1, f"{row.id}:2023-08:monthly"),
        ("2023-09", -1300, 1, f"{row.id}:2023-09:monthly"),
        ("2023-10", -1300, 1, f"{row.id}:2023-10:monthly"),
    ]
    originals = db.session.scalars(select(SubsidyLine).where(SubsidyLine.revision == 0))
    assert {(line.month, line.kind): line.amount for line in originals} == paid
    assert run_settlement(office, enterprise.id, "2023-10")["lines"] == []
    assert db.session.scalar(select(func.sum(SubsidyLine.amount))) == 1300 + 100


def test_settlement_view_explains_lines_and_tiers(
    client, ctx, as_office, as_host_a, as_host_b, enterprise, post_a, post_b
):
    end = dt.date(2023, 12, 31)
    add_traineeship(SeekerFactory(), post_a, START, 6, "retained", end)
    add_traineeship(SeekerFactory(), post_a, START, 6, "completed", end)
    add_traineeship(SeekerFactory(), post_b, START, 6)
    client.post(
        f"/api/v1/programs/{enterprise.id}/settlements",
        query_string={"month": "2023-12"},
        headers=as_office,
    )
    view = client.get(
        f"/api/v1/programs/{enterprise.id}/settlement",
        query_string={"month": "2023-08"},
        headers=as_office,
    )
    assert view.status_code == 200
    assert {line["month"] for line in view.json["lines"]} == {"2023-08"}
    line = next(line for line in view.json["lines"] if line["kind"] == "monthly")
    assert (
        line["source"] == "000 § 11"
        and line["rate"] == 1300
        and "1300" in line["explanation"]["en"]
    )
    assert {h["tier"] for h in view.json["hosts"]} == {"pending"}
    latest = client.get(f"/api/v1/programs/{enterprise.id}/settlement", headers=as_office).json
    hosts = {h["host_id"]: h for h in latest["hosts"]}
    assert (
        hosts[post_a.employer_id]["retention_rate"] == 0.5
        and hosts[post_a.employer_id]["tier"] == "higher"
    )
    assert hosts[post_a.employer_id]["paid"] == 2 * (6 * 1300 + 100) + 6 * 200
    assert hosts[post_a.employer_id]["months_served"] == 12
    supplement = [line for line in view.json["lines"] if line["kind"] == "tier_supplement"]
    assert [line["amount"] for line in supplement] == [200]
    own = client.get(f"/api/v1/programs/{enterprise.id}/settlement", headers=as_host_b).json
    assert {line["host_id"] for line in own["lines"]} == {post_b.employer_id}
    assert [h["host_id"] for h in own["hosts"]] == [post_b.employer_id]


def test_employer_subsidy_tier_distance_and_roles(
    client, ctx, as_office, as_beibei, as_host_a, as_host_b, enterprise, post_a, host_a
):
    add_traineeship(SeekerFactory(), post_a, START, 6, "completed", dt.date(2023, 12, 31))
    add_traineeship(SeekerFactory(), post_a, dt.date(2023, 8, 1), 6)
    url = f"/api/v1/employers/{host_a.id}/subsidy"
    mine = client.get(url, query_string={"on": "2023-10-15"}, headers=as_host_a)
    assert mine.status_code == 200, mine.json
    program = mine.json["programs"][0]
    assert program["tier"] == "pending" and program["retention_rate"] == 0.0
    assert (
        program["tier_distance"]["more_needed"] == 1
        and "Retain 1 more trainee" in program["tier_distance"]["message"]["en"]
    )
    assert program["expected_total"] == 2 * (6 * 1300 + 100)
    assert program["due_now"] == 3 * 1300 + 2 * 1300 + 200
    assert client.get(url, headers=as_host_b).status_code == 403
    assert client.get(url, headers=as_beibei).status_code == 403
    assert client.get(url, headers=as_office).status_code == 200


def test_settlement_roles(client, ctx, as_beibei, as_host_a, enterprise):
    url = f"/api/v1/programs/{enterprise.id}/settlements"
    assert client.post(url, query_string={"month": "2023-09"}, headers=as_beibei).status_code == 403
    assert client.post(url, query_string={"month": "2023-09"}, headers=as_host_a).status_code == 403
    assert (
        client.get(f"/api/v1/programs/{enterprise.id}/settlement", headers=as_beibei).status_code
        == 403
    )
