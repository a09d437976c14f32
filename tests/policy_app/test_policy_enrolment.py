"""Enrolment under the program's rulebook: eligibility refusals with reasons, seats, roles; outcomes."""

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.errors import conflict_from_integrity
from app.extensions import db
from app.models import AuditEvent, Posting, Program, Traineeship
from tests.factories import ApplicationFactory, ProgramFactory, SeekerFactory
from tests.policy_app.conftest import enrol_body, trainee_post
from tests.scenario import traineeship as add_traineeship

URL = "/api/v1/traineeships"


def test_office_enrols_eligible_graduate(
    client, ctx, as_office, enterprise, post_a, seeker, rulebooks
):
    response = client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_office)
    assert response.status_code == 201, response.json
    wulong = next(item.rulebook for item in rulebooks if item.rulebook.id == "wulong-2023")
    assert response.json["rulebook_version"] == wulong.version
    assert response.json["planned_months"] == 6 and response.json["outcome"] == "active"
    db.session.expire_all()
    assert db.session.get(Program, enterprise.id).seats_taken == 1
    assert db.session.get(Posting, post_a.id).slots_filled == 1
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrol")) is not None


def test_host_enrols_into_own_post_only(client, ctx, as_host_a, enterprise, post_a, post_b, seeker):
    ApplicationFactory(seeker=seeker, posting=post_a)
    ApplicationFactory(seeker=seeker, posting=post_b)
    assert (
        client.post(URL, json=enrol_body(seeker, post_b, enterprise), headers=as_host_a).status_code
        == 403
    )
    assert (
        client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_host_a).status_code
        == 201
    )


def test_office_outside_district_is_refused(client, ctx, as_beibei, enterprise, post_a, seeker):
    assert (
        client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_beibei).status_code
        == 403
    )


def _refused(response, field, rule, source):
    assert response.status_code == 422, response.json
    assert any(rule in text and source in text for text in response.json["errors"][field])
    found = [r for r in response.json["reasons"] if r["rule"] == rule and field in r["fields"]]
    assert found and found[0]["source"] == source
    assert found[0]["message"]["zh"] and found[0]["message"]["en"]
    return found[0]


def test_registered_unemployed_aged_25_is_refused(client, ctx, as_office, enterprise, post_a):
    older = SeekerFactory(
        birth_date=dt.date(1998, 1, 1),
        education="senior_high",
        graduation_date=None,
        registered_unemployed_since=dt.date(2023, 1, 1),
    )
    response = client.post(
        URL, json=enrol_body(older, post_a, enterprise, dt.date(2023, 10, 9)), headers=as_office
    )
    reason = _refused(
        response, "person.birth_date", "traineeship.eligibility.target_group", "000 § 11; 001 § 6"
    )
    assert "25" in reason["message"]["en"]


def test_left_school_more_than_two_years_ago_is_refused(client, ctx, as_office, enterprise, post_a):
    old_graduate = SeekerFactory(
        graduation_date=dt.date(2021, 6, 30), birth_date=dt.date(1997, 3, 1)
    )
    response = client.post(
        URL,
        json=enrol_body(old_graduate, post_a, enterprise, dt.date(2023, 10, 9)),
        headers=as_office,
    )
    _refused(
        response,
        "person.graduation_date",
        "traineeship.eligibility.target_group",
        "000 § 11; 001 § 6",
    )


def test_public_program_needs_wulong_hukou(client, ctx, as_office, public, host_a):
    post = trainee_post(host_a, public)
    outsider = SeekerFactory(hukou_district="500109")
    response = client.post(URL, json=enrol_body(outsider, post, public), headers=as_office)
    _refused(response, "person.hukou_district", "traineeship.eligibility.wulong_hukou", "000 § 11")
    assert set(response.json["errors"]) == {"person.hukou_district"}
    native = SeekerFactory()
    assert (
        client.post(URL, json=enrol_body(native, post, public), headers=as_office).status_code
        == 201
    )


def test_second_active_traineeship_is_refused(
    client, ctx, as_office, enterprise, post_a, post_b, seeker
):
    assert (
        client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_office).status_code
        == 201
    )
    again = client.post(URL, json=enrol_body(seeker, post_b, enterprise), headers=as_office)
    _refused(
        again, "person.has_active_traineeship", "traineeship.eligibility.one_active", "000 § 17"
    )
    db.session.expire_all()
    assert db.session.get(Program, enterprise.id).seats_taken == 1


def test_database_allows_one_active_traineeship_per_person(ctx, post_a, seeker):
    add_traineeship(seeker, post_a, dt.date(2023, 7, 1), 6)
    with pytest.raises(IntegrityError) as caught:
        add_traineeship(seeker, post_a, dt.date(2023, 2, 1), 6)
    db.session.rollback()
    conflict = conflict_from_integrity(caught.value)
    assert conflict.code == 409 and "seeker_id" in conflict.errors


def test_full_quota_is_a_clear_conflict(client, ctx, as_office, host_a, rulebooks):
    small = ProgramFactory(
        key="wl-small",
        quota=1,
        floor=1,
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 12, 31),
    )
    post = trainee_post(host_a, small)
    first, second = SeekerFactory(), SeekerFactory()
    assert (
        client.post(URL, json=enrol_body(first, post, small), headers=as_office).status_code == 201
    )
    full = client.post(URL, json=enrol_body(second, post, small), headers=as_office)
    assert full.status_code == 409 and "program_id" in full.json["errors"]
    assert "quota" in full.json["message"]
    db.session.expire_all()
    assert db.session.get(Posting, post.id).slots_filled == 1
    assert db.session.scalar(select(Traineeship).where(Traineeship.seeker_id == second.id)) is None


def test_post_of_another_program_duration_and_period(
    client, ctx, as_office, enterprise, public, post_a, seeker
):
    assert (
        client.post(URL, json=enrol_body(seeker, post_a, public), headers=as_office).status_code
        == 422
    )
    late = client.post(
        URL, json=enrol_body(seeker, post_a, enterprise, dt.date(2024, 2, 1)), headers=as_office
    )
    assert late.status_code == 422 and "started_on" in late.json["errors"]
    body = enrol_body(seeker, post_a, enterprise, months=13)
    assert client.post(URL, json=body, headers=as_office).status_code == 422


def test_outcome_recording_and_permissions(
    client, ctx, as_office, as_host_a, as_host_b, enterprise, post_a, seeker
):
    created = client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_office).json
    item = f"{URL}/{created['id']}"
    assert (
        client.patch(
            item, json={"outcome": "left_early", "ended_on": "2023-09-10"}, headers=as_host_b
        ).status_code
        == 403
    )
    beyond = client.patch(
        item, json={"outcome": "left_early", "ended_on": "2024-01-05"}, headers=as_host_a
    )
    assert beyond.status_code == 422 and "ended_on" in beyond.json["errors"]
    done = client.patch(
        item, json={"outcome": "left_early", "ended_on": "2023-09-10"}, headers=as_host_a
    )
    assert (
        done.status_code == 200
        and done.json["outcome"] == "left_early"
        and done.json["ended_on"] == "2023-09-10"
    )
    again = client.patch(
        item, json={"outcome": "retained", "ended_on": "2023-12-31"}, headers=as_host_a
    )
    assert again.status_code == 409
    db.session.expire_all()
    assert db.session.get(Posting, post_a.id).slots_filled == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outcome"))
    assert event.before["outcome"] == "active" and event.after == {
        "outcome": "left_early",
        "ended_on": "2023-09-10",
    }


def test_completed_trainee_retained_later(client, ctx, as_office, enterprise, post_a, seeker):
    created = client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_office).json
    item = f"{URL}/{created['id']}"
    early = client.patch(
        item, json={"outcome": "completed", "ended_on": "2023-11-30"}, headers=as_office
    )
    assert early.status_code == 422
    assert (
        client.patch(
            item, json={"outcome": "completed", "ended_on": "2023-12-31"}, headers=as_office
        ).status_code
        == 200
    )
    assert (
        client.patch(
            item, json={"outcome": "retained", "ended_on": "2023-12-31"}, headers=as_office
        ).json["outcome"]
        == "retained"
    )


def test_register_is_role_scoped(
    client, ctx, as_office, as_beibei, as_host_a, as_host_b, enterprise, post_a, post_b
):
    mine = add_traineeship(SeekerFactory(), post_a, dt.date(2023, 1, 1), 6)
    theirs = add_traineeship(SeekerFactory(), post_b, dt.date(2023, 1, 1), 6)
    assert [t["id"] for t in client.get(URL, headers=as_host_a).json] == [mine.id]
    assert [t["id"] for t in client.get(URL, headers=as_host_b).json] == [theirs.id]
    assert client.get(f"{URL}/{theirs.id}", headers=as_host_a).status_code == 403
    assert client.get(URL, headers=as_beibei).json == []
    assert {t["id"] for t in client.get(URL, headers=as_office).json} == {mine.id, theirs.id}
    listed = client.get(URL, query_string={"host_id": post_b.employer_id}, headers=as_office).json
    assert [t["id"] for t in listed] == [theirs.id] and "id_number" not in listed[0]["seeker"]


def test_eligibility_check_without_enrolling(client, ctx, as_office, enterprise, seeker):
    record = {
        "birth_date": "1998-01-01",
        "education": "senior_high",
        "registered_unemployed_since": "2023-01-01",
    }
    body = {"program_id": enterprise.id, "started_on": "2023-10-09", "person": record}
    result = client.post("/api/v1/policy/eligibility", json=body, headers=as_office)
    assert result.status_code == 200 and result.json["eligible"] is False
    failed = [r for r in result.json["reasons"] if not r["passed"]]
    assert (
        failed[0]["rule"] == "traineeship.eligibility.target_group"
        and "person.birth_date" in failed[0]["fields"]
    )
    stored = {
        "program_id": enterprise.id,
        "started_on": "2023-10-09",
        "seeker_id": seeker.id,
        "planned_months": 6,
    }
    assert (
        client.post("/api/v1/policy/eligibility", json=stored, headers=as_office).json["eligible"]
        is True
    )
    assert db.session.scalar(select(Traineeship)) is None
