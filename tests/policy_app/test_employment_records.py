"""Employment records: opened on a hire or a trainee kept on, facts recorded by employer or office."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import AuditEvent, Employment
from tests.factories import (
    ApplicationFactory,
    EmployerFactory,
    PostingFactory,
    SeekerFactory,
    UserFactory,
    login,
)
from tests.scenario import traineeship as add_traineeship


def _hire(client, headers, application) -> dict:
    response = client.patch(
        f"/api/v1/applications/{application.id}", json={"status": "hired"}, headers=headers
    )
    assert response.status_code == 200, response.json
    return response.json


def test_hiring_an_application_opens_one_record(client, ctx, host_a, as_host_a):
    application = ApplicationFactory(posting=PostingFactory(employer=host_a))
    _hire(client, as_host_a, application)
    listed = client.get("/api/v1/employments", headers=as_host_a)
    assert listed.status_code == 200, listed.json
    [record] = listed.json
    assert record["source"] == f"application:{application.id}"
    assert record["seeker_id"] == application.seeker_id and record["employer_id"] == host_a.id
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert record["hire_date"] == today.isoformat()
    assert record["contract_months"] is None and record["social_insurance_months"] is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "employment_opened"))


def test_rejecting_opens_no_record(client, ctx, host_a, as_host_a):
    application = ApplicationFactory(posting=PostingFactory(employer=host_a))
    response = client.patch(
        f"/api/v1/applications/{application.id}", json={"status": "rejected"}, headers=as_host_a
    )
    assert response.status_code == 200
    assert client.get("/api/v1/employments", headers=as_host_a).json == []


def test_retained_and_converted_trainees_are_hired_the_day_after(
    client, ctx, post_a, as_host_a, seeker
):
    kept = add_traineeship(seeker, post_a, dt.date(2023, 7, 1), 6)
    early = add_traineeship(SeekerFactory(), post_a, dt.date(2023, 7, 1), 6)
    left = add_traineeship(SeekerFactory(), post_a, dt.date(2023, 7, 1), 6)
    for row, outcome, end in (
        (kept, "retained", "2023-12-31"),
        (early, "converted_early", "2023-09-15"),
        (left, "left_early", "2023-08-20"),
    ):
        response = client.patch(
            f"/api/v1/traineeships/{row.id}",
            json={"outcome": outcome, "ended_on": end},
            headers=as_host_a,
        )
        assert response.status_code == 200, response.json
    records = client.get("/api/v1/employments?sort=hire_date", headers=as_host_a).json
    assert [(r["source"], r["hire_date"]) for r in records] == [
        (f"traineeship:{early.id}", "2023-09-16"),
        (f"traineeship:{kept.id}", "2024-01-01"),
    ]


def _record(seeker_id: int, employer_id: int, **facts) -> Employment:
    row = Employment(
        seeker_id=seeker_id, employer_id=employer_id, hire_date=dt.date(2023, 10, 20), **facts
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_employer_sees_and_edits_only_its_own_hires(client, ctx, host_a, host_b, as_host_a):
    own = _record(SeekerFactory().id, host_a.id)
    other = _record(SeekerFactory().id, host_b.id)
    assert [r["id"] for r in client.get("/api/v1/employments", headers=as_host_a).json] == [own.id]
    assert client.get(f"/api/v1/employments/{other.id}", headers=as_host_a).status_code == 403
    refused = client.patch(
        f"/api/v1/employments/{other.id}", json={"contract_months": 12}, headers=as_host_a
    )
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(Employment, other.id).contract_months is None
    done = client.patch(
        f"/api/v1/employments/{own.id}",
        json={"contract_months": 24, "social_insurance_months": 4},
        headers=as_host_a,
    )
    assert done.status_code == 200, done.json
    assert done.json["contract_months"] == 24 and done.json["social_insurance_months"] == 4
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "employment_facts"))
    assert event.entity_id == str(own.id)
    assert event.before == {"contract_months": None, "social_insurance_months": None}
    assert event.after == {"contract_months": 24, "social_insurance_months": 4}


def test_office_works_within_its_district(client, ctx, as_office, as_beibei, as_host_a):
    wulong = _record(SeekerFactory().id, EmployerFactory().id)
    beibei = _record(SeekerFactory().id, EmployerFactory(district_code="500109").id)
    assert [r["id"] for r in client.get("/api/v1/employments", headers=as_office).json] == [
        wulong.id
    ]
    assert [r["id"] for r in client.get("/api/v1/employments", headers=as_beibei).json] == [
        beibei.id
    ]
    assert client.get(f"/api/v1/employments/{beibei.id}", headers=as_office).status_code == 403
    response = client.patch(
        f"/api/v1/employments/{wulong.id}",
        json={"unemployment_insurance_months": 3, "ended_on": "2024-03-31"},
        headers=as_office,
    )
    assert response.status_code == 200, response.json
    assert response.json["ended_on"] == "2024-03-31"
    assert client.get(f"/api/v1/employments/{wulong.id}", headers=as_beibei).status_code == 403


def test_seekers_may_not_use_the_records(client, ctx):
    UserFactory(username="a_seeker", role="seeker")
    assert client.get("/api/v1/employments", headers=login(client, "a_seeker")).status_code == 403


def test_filters(client, ctx, host_a, as_host_a):
    first = _record(SeekerFactory().id, host_a.id, contract_months=12, social_insurance_months=6)
    second = Employment(
        seeker_id=SeekerFactory().id,
        employer_id=host_a.id,
        hire_date=dt.date(2023, 11, 5),
        contract_months=12,
        social_insurance_months=2,
        unemployment_insurance_months=2,
    )
    db.session.add(second)
    db.session.commit()

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/employments?{query}", headers=as_host_a)
        assert response.status_code == 200, response.json
        return [r["id"] for r in response.json]

    assert ids("hired_from=2023-11-01") == [second.id]
    assert ids("hired_until=2023-10-31") == [first.id]
    assert ids("facts_complete=true") == [second.id]
    assert ids("facts_complete=false") == [first.id]
    assert ids(f"seeker_id={first.seeker_id}") == [first.id]
    assert ids("ongoing=true&sort=hire_date") == [first.id, second.id]


def test_bad_facts_are_refused_naming_the_field(client, ctx, host_a, as_host_a):
    row = _record(SeekerFactory().id, host_a.id)
    url = f"/api/v1/employments/{row.id}"
    negative = client.patch(url, json={"social_insurance_months": -1}, headers=as_host_a)
    assert negative.status_code == 422
    assert list(negative.json["errors"]) == ["social_insurance_months"]
    for body, field in (
        ({"contract_months": "12"}, "contract_months"),
        ({"unemployment_insurance_months": 2.5}, "unemployment_insurance_months"),
        ({"hire_date": "2023-01-01"}, "hire_date"),
    ):
        response = client.patch(url, json=body, headers=as_host_a)
        assert response.status_code == 422 and field in response.json["errors"], response.json
    empty = client.patch(url, json={}, headers=as_host_a)
    assert empty.status_code == 422
    before_hire = client.patch(url, json={"ended_on": "2023-10-19"}, headers=as_host_a)
    assert before_hire.status_code == 422 and "ended_on" in before_hire.json["errors"]
    db.session.expire_all()
    assert db.session.get(Employment, row.id).social_insurance_months is None


def test_the_database_refuses_negative_months_and_duplicates(ctx, host_a, seeker):
    _record(seeker.id, host_a.id)
    for facts in ({"contract_months": -1}, {}):
        db.session.add(
            Employment(
                seeker_id=seeker.id,
                employer_id=host_a.id,
                hire_date=dt.date(2023, 10, 20) if not facts else dt.date(2023, 11, 1),
                **facts,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
