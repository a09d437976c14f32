"""The policy finder lists candidates with evidence and names the facts the database lacks."""

import datetime as dt

from tests.factories import ApplicationFactory, EmployerFactory, PostingFactory, SeekerFactory


def test_finder_lists_hires_with_missing_facts(
    client, ctx, as_office, as_beibei, as_host_a, rulebooks
):
    employer = EmployerFactory()
    hired_on = dt.datetime(2023, 10, 20, 9, tzinfo=dt.UTC)
    graduate = SeekerFactory(graduation_date=dt.date(2023, 6, 30))
    ApplicationFactory(
        seeker=graduate,
        posting=PostingFactory(employer=employer),
        status="hired",
        decided_at=hired_on,
    )
    response = client.get("/api/v1/policy/finder", headers=as_office)
    assert response.status_code == 200, response.json
    found = {f["rule"]: f for f in response.json["findings"] if f["seeker_id"] == graduate.id}
    youth = found["hiring.youth"]
    assert (
        youth["status"] == "facts_missing"
        and youth["amount"] == 2000
        and youth["source"] == "000 § 7"
    )
    assert {m["field"] for m in youth["missing"]} == {
        "employment.contract_months",
        "employment.social_insurance_months",
    }
    assert youth["evidence"] and youth["hire_date"] == "2023-10-20"
    assert "hiring.expansion" in found
    assert response.json["hires_checked"] == 1
    assert client.get("/api/v1/policy/finder", headers=as_beibei).json["findings"] == []
    assert client.get("/api/v1/policy/finder", headers=as_host_a).status_code == 403
