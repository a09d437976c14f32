"""One-off hiring subsidies recorded as paid: only when the finder says qualifies, once per person and rule."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.errors import conflict_from_integrity
from app.extensions import db
from app.models import AuditEvent, Employment, HiringSubsidyGrant, User
from app.services import hiring_grants, policy_finder
from tests.factories import EmployerFactory, SeekerFactory, UserFactory, login
from tests.test_enrolment_concurrency import _racing_app

URL = "/api/v1/policy/hiring-grants"
HIRED = dt.date(2023, 10, 20)
QUALIFYING = {
    "contract_months": 24,
    "social_insurance_months": 6,
    "unemployment_insurance_months": 3,
}


def _hire(seeker, employer, **facts) -> Employment:
    row = Employment(seeker_id=seeker.id, employer_id=employer.id, hire_date=HIRED, **facts)
    db.session.add(row)
    db.session.commit()
    return row


def _finding(client, headers, seeker_id: int, rule: str) -> dict:
    response = client.get("/api/v1/policy/finder", headers=headers)
    assert response.status_code == 200, response.json
    (found,) = [
        f for f in response.json["findings"] if f["seeker_id"] == seeker_id and f["rule"] == rule
    ]
    return found


@pytest.fixture
def employer(ctx):
    return EmployerFactory()


@pytest.fixture
def graduate(ctx):
    return SeekerFactory(name="应届生甲")


@pytest.fixture
def qualifying(graduate, employer):
    """A Wulong hire of a 2023 graduate with every fact the youth and expansion rules test."""
    return _hire(graduate, employer, **QUALIFYING)


def test_a_grant_takes_the_rule_amount_and_the_finder_then_shows_granted(
    client, ctx, rulebooks, qualifying, graduate, as_office
):
    before = _finding(client, as_office, graduate.id, "hiring.youth")
    assert before["status"] == "qualifies" and before["grant"] is None
    response = client.post(
        URL,
        json={"seeker_id": graduate.id, "rule": "hiring.youth", "reference": " 财付〔2024〕17号 "},
        headers=as_office,
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["amount"], body["source"], body["rulebook"], body["rule"]) == (
        2000,
        "000 § 7",
        "wulong-2023",
        "hiring.youth",
    )
    assert body["rulebook_version"] == before["rulebook_version"]
    assert body["hire_record"] == f"employment:{qualifying.id}"
    assert body["reference"] == "财付〔2024〕17号" and body["seeker_name"] == "应届生甲"
    assert body["employer_id"] == qualifying.employer_id and body["hire_date"] == "2023-10-20"
    assert dt.date.fromisoformat(body["granted_on"]) >= dt.date.today() - dt.timedelta(days=1)

    youth = _finding(client, as_office, graduate.id, "hiring.youth")
    assert youth["status"] == "granted"
    assert youth["grant"] == {
        "id": body["id"],
        "granted_on": body["granted_on"],
        "amount": 2000,
        "reference": "财付〔2024〕17号",
        "hire_record": f"employment:{qualifying.id}",
    }
    assert _finding(client, as_office, graduate.id, "hiring.expansion")["status"] == "qualifies"
    statuses = [
        f["status"] for f in client.get("/api/v1/policy/finder", headers=as_office).json["findings"]
    ]
    assert statuses == sorted(statuses, key=policy_finder.STATUSES.index)

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "grant_hiring_subsidy"))
    assert event.entity == "hiring_subsidy_grant" and event.entity_id == str(body["id"])
    assert event.after["amount"] == 2000 and event.after["reference"] == "财付〔2024〕17号"

    listed = client.get(URL, headers=as_office)
    assert listed.status_code == 200
    assert [g["id"] for g in listed.json] == [body["id"]]
    assert '"total": 1' in listed.headers["X-Pagination"]


def test_a_second_grant_of_the_same_rule_is_refused(
    client, ctx, rulebooks, qualifying, graduate, as_office
):
    body = {"seeker_id": graduate.id, "rule": "hiring.youth", "reference": "PAY-1"}
    assert client.post(URL, json=body, headers=as_office).status_code == 201
    again = client.post(URL, json={**body, "reference": "PAY-2"}, headers=as_office)
    assert again.status_code == 409
    assert "PAY-1" in again.json["errors"]["rule"][0]
    assert db.session.scalar(select(func.count()).select_from(HiringSubsidyGrant)) == 1


def test_the_database_refuses_a_duplicate_grant(ctx, rulebooks, qualifying, graduate, as_office):
    office = db.session.scalar(select(User).where(User.username == "wl_office"))
    first = hiring_grants.grant(office, graduate.id, "hiring.youth", "PAY-1")
    copy = {
        c.name: getattr(first, c.name)
        for c in HiringSubsidyGrant.__table__.columns
        if c.name not in ("id", "created_at", "updated_at")
    }
    db.session.add(HiringSubsidyGrant(**{**copy, "reference": "PAY-2"}))
    with pytest.raises(IntegrityError) as caught:
        db.session.commit()
    db.session.rollback()
    conflict = conflict_from_integrity(caught.value)
    assert conflict.code == 409 and list(conflict.errors) == ["rule"]


def test_concurrent_grants_leave_exactly_one(
    app, ctx, rulebooks, qualifying, graduate, monkeypatch
):
    office_id = UserFactory(username="race_office", role="office", office_district="500156").id
    seeker_id = graduate.id
    tries = 4
    # Every caller passes the finder's check before any of them writes: only the
    # unique constraint can stop the second grant.
    everyone_checked = threading.Barrier(tries)
    check = policy_finder.finding

    def checked_together(*args):
        found = check(*args)
        everyone_checked.wait(timeout=60)
        return found

    monkeypatch.setattr(policy_finder, "finding", checked_together)
    racing = _racing_app(app)

    def attempt(reference: str) -> str:
        with racing.app_context():
            try:
                hiring_grants.grant(
                    db.session.get(User, office_id), seeker_id, "hiring.youth", reference
                )
                return "granted"
            except IntegrityError as exc:
                db.session.rollback()
                conflict = conflict_from_integrity(exc)
                return "refused" if list(conflict.errors) == ["rule"] else conflict.message
            except Exception as exc:
                return f"error: {exc!r}"
            finally:
                db.session.remove()

    try:
        with ThreadPoolExecutor(max_workers=tries) as pool:
            outcomes = list(pool.map(attempt, [f"PAY-{i}" for i in range(tries)]))
    finally:
        with racing.app_context():
            db.engine.dispose()
    assert sorted(outcomes) == ["granted"] + ["refused"] * (tries - 1)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(HiringSubsidyGrant)) == 1


def test_a_person_who_does_not_qualify_is_refused_with_the_reasons(
    client, ctx, rulebooks, employer, as_office
):
    short = SeekerFactory()
    _hire(short, employer, contract_months=12, social_insurance_months=4)
    response = client.post(
        URL,
        json={"seeker_id": short.id, "rule": "hiring.youth", "reference": "PAY-1"},
        headers=as_office,
    )
    assert response.status_code == 422
    assert response.json["errors"] == {
        "employment.social_insurance_months": [
            "连续缴纳社保 4/6 个月 / social insurance 4 of 6 months"
        ]
    }
    (reason,) = response.json["reasons"]
    assert (reason["rule"], reason["source"], reason["field"]) == (
        "hiring.youth",
        "000 § 7",
        "employment.social_insurance_months",
    )
    assert reason["required"] == {"op": "ge", "value": 6}

    unrecorded = SeekerFactory()
    _hire(unrecorded, employer)
    response = client.post(
        URL,
        json={"seeker_id": unrecorded.id, "rule": "hiring.youth", "reference": "PAY-2"},
        headers=as_office,
    )
    assert response.status_code == 422 and "facts_missing" in response.json["message"]
    assert set(response.json["errors"]) == {
        "employment.contract_months",
        "employment.social_insurance_months",
    }

    old_graduate = SeekerFactory(
        graduation_date=dt.date(2015, 6, 30), birth_date=dt.date(1993, 1, 1)
    )
    _hire(old_graduate, employer, **QUALIFYING)
    response = client.post(
        URL,
        json={"seeker_id": old_graduate.id, "rule": "hiring.youth", "reference": "PAY-3"},
        headers=as_office,
    )
    assert response.status_code == 422 and list(response.json["errors"]) == ["seeker_id"]
    assert db.session.scalar(select(func.count()).select_from(HiringSubsidyGrant)) == 0


def test_only_offices_of_the_hire_district_may_grant(
    client, ctx, rulebooks, qualifying, graduate, as_office, as_beibei, as_host_a
):
    body = {"seeker_id": graduate.id, "rule": "hiring.youth", "reference": "PAY-1"}
    assert client.post(URL, json=body, headers=as_host_a).status_code == 403
    assert client.get(URL, headers=as_host_a).status_code == 403
    seeker = UserFactory(username="a_seeker", role="seeker")
    as_seeker = login(client, seeker.username)
    assert client.post(URL, json=body, headers=as_seeker).status_code == 403
    assert client.get(URL, headers=as_seeker).status_code == 403
    assert client.post(URL, json=body).status_code == 401
    refused = client.post(URL, json=body, headers=as_beibei)
    assert refused.status_code == 403 and refused.json["code"] == 403
    assert db.session.scalar(select(func.count()).select_from(HiringSubsidyGrant)) == 0

    UserFactory(username="city", role="office")
    as_city = login(client, "city")
    assert client.post(URL, json=body, headers=as_city).status_code == 201
    assert len(client.get(URL, headers=as_office).json) == 1
    assert client.get(URL, headers=as_beibei).json == []


def test_bad_input_names_the_field(client, ctx, rulebooks, qualifying, graduate, as_office):
    def post(**body):
        return client.post(URL, json=body, headers=as_office)

    base = {"seeker_id": graduate.id, "rule": "hiring.youth"}
    response = post(**base)
    assert response.status_code == 422 and list(response.json["errors"]) == ["reference"]
    assert list(post(**base, reference="  ").json["errors"]) == ["reference"]
    assert list(post(rule="hiring.youth", reference="PAY-1").json["errors"]) == ["seeker_id"]
    assert list(post(**base, reference="PAY-1", amount=5000).json["errors"]) == ["amount"]
    assert list(post(**{**base, "rule": "Hiring Youth"}, reference="P1").json["errors"]) == ["rule"]
    unknown = post(**{**base, "rule": "hiring.nothing"}, reference="PAY-1")
    assert unknown.status_code == 422 and list(unknown.json["errors"]) == ["rule"]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    future = post(**base, reference="PAY-1", granted_on=tomorrow)
    assert future.status_code == 422 and list(future.json["errors"]) == ["granted_on"]
    early = post(**base, reference="PAY-1", granted_on="2023-10-01")
    assert early.status_code == 422 and list(early.json["errors"]) == ["granted_on"]
    assert post(**{**base, "seeker_id": 999_999}, reference="PAY-1").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(HiringSubsidyGrant)) == 0
    done = post(**base, reference="PAY-1", granted_on="2024-01-15")
    assert done.status_code == 201 and done.json["granted_on"] == "2024-01-15"


def test_cli_lists_findings_and_records_a_grant(app, rulebooks, qualifying, graduate):
    UserFactory(username="wl_cli", role="office", office_district="500156")
    runner = app.test_cli_runner()
    find = ["policy", "find", "--as", "wl_cli", "--rule", "hiring.youth"]
    found = runner.invoke(args=[*find, "--status", "qualifies"])
    assert found.exit_code == 0, found.output
    assert f"seeker {graduate.id} 应届生甲" in found.output and "1 findings" in found.output
    grant = [
        *("payments", "hiring-grant", "--as", "wl_cli", "--seeker", str(graduate.id)),
        *("--rule", "hiring.youth", "--reference", "CZ-9", "--date", "2024-01-05"),
    ]
    paid = runner.invoke(args=grant)
    assert paid.exit_code == 0, paid.output
    assert "2000 yuan" in paid.output and "paid 2024-01-05 (CZ-9)" in paid.output
    again = runner.invoke(args=grant)
    assert again.exit_code == 1 and "already granted" in again.output
    assert "1 findings" in runner.invoke(args=[*find, "--status", "granted"]).output
    seeker_account = UserFactory(role="seeker")
    refused = runner.invoke(args=[*find[:2], "--as", seeker_account.username])
    assert refused.exit_code == 2 and "not an office or admin account" in refused.output


def test_cli_names_the_facts_a_refused_grant_lacks(app, rulebooks, graduate, employer):
    _hire(graduate, employer, contract_months=24, social_insurance_months=4)
    UserFactory(username="wl_cli2", role="office", office_district="500156")
    refused = app.test_cli_runner().invoke(
        args=[
            *("payments", "hiring-grant", "--as", "wl_cli2", "--seeker", str(graduate.id)),
            *("--rule", "hiring.youth", "--reference", "CZ-10"),
        ]
    )
    assert refused.exit_code == 1
    assert "employment.social_insurance_months:" in refused.output
    assert db.session.scalar(select(func.count()).select_from(HiringSubsidyGrant)) == 0
