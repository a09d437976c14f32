"""Offices check the codes of the jobs seekers named; each check teaches the coder."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Seeker
from app.services import bridge
from tests.factories import SeekerFactory

JOB = "山地自行车领骑员"
CORRECT = "4-14-05-01"  # 社会体育指导员


@pytest.fixture
def named(client, as_seeker, seeker_user):
    """The seeker has named a job the coder gets wrong; returns its id and code."""
    _, me = seeker_user
    body = client.patch(
        f"/api/v1/seekers/{me.id}", json={"desired_jobs": [JOB]}, headers=as_seeker
    ).json
    job = body["desired_jobs"][0]
    assert job["occupation_code"] != CORRECT and body["desired_occupations"] == [
        job["occupation_code"]
    ]
    return me.id, job["id"], job["occupation_code"]


def test_office_corrects_a_desired_job_and_the_coder_learns_it(client, named, as_wulong_office):
    seeker_id, job_id, old = named
    response = client.patch(
        f"/api/v1/seekers/{seeker_id}/desired-jobs/{job_id}",
        json={"occupation_code": CORRECT},
        headers=as_wulong_office,
    )
    assert response.status_code == 200, response.json
    assert response.json == {
        "id": job_id,
        "title": JOB,
        "occupation_code": CORRECT,
        "occupation_source": "office",
    }
    seeker = client.get(f"/api/v1/seekers/{seeker_id}", headers=as_wulong_office).json
    assert seeker["desired_occupations"] == [CORRECT]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "desired_job"))
    assert event.before["occupation_code"] == old and event.after["occupation_code"] == CORRECT
    assert (JOB, CORRECT) in bridge.office_coded_titles()
    assert bridge.code_titles([f"想做{JOB}"]) == [CORRECT]


def test_a_job_named_again_keeps_the_office_check(client, named, as_seeker, as_wulong_office):
    seeker_id, job_id, _old = named
    client.patch(
        f"/api/v1/seekers/{seeker_id}/desired-jobs/{job_id}",
        json={"occupation_code": CORRECT},
        headers=as_wulong_office,
    )
    body = client.patch(
        f"/api/v1/seekers/{seeker_id}", json={"desired_jobs": [JOB, "保安"]}, headers=as_seeker
    ).json
    first = body["desired_jobs"][0]
    assert (first["id"], first["occupation_source"]) == (job_id, "office")
    assert body["desired_occupations"] == [CORRECT, "4-07-05-01"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"occupation_code": "9-99-99-99"}, "occupation_code"), ({}, "occupation_code")],
)
def test_a_bad_code_is_named_and_nothing_changes(client, named, as_wulong_office, body, field):
    seeker_id, job_id, old = named
    response = client.patch(
        f"/api/v1/seekers/{seeker_id}/desired-jobs/{job_id}", json=body, headers=as_wulong_office
    )
    assert response.status_code in (404, 422) and field in response.json["errors"]
    db.session.expire_all()
    seeker = db.session.get(Seeker, seeker_id)
    assert seeker.desired_jobs[0].occupation_code == old
    assert seeker.desired_jobs[0].occupation_source == "auto"


def test_only_an_office_covering_the_seeker_checks(
    client, named, as_seeker, as_beibei_office, as_wulong_office
):
    seeker_id, job_id, _old = named
    url = f"/api/v1/seekers/{seeker_id}/desired-jobs/{job_id}"
    body = {"occupation_code": CORRECT}
    assert client.patch(url, json=body, headers=as_seeker).status_code == 403
    assert client.patch(url, json=body, headers=as_beibei_office).status_code == 403
    other = SeekerFactory()
    wrong_pair = f"/api/v1/seekers/{other.id}/desired-jobs/{job_id}"
    assert client.patch(wrong_pair, json=body, headers=as_wulong_office).status_code == 404
    assert bridge.office_coded_titles() == ()


def test_codes_written_without_jobs_keep_the_named_jobs_codes(client, named, as_wulong_office):
    seeker_id, _job_id, code = named
    url = f"/api/v1/seekers/{seeker_id}"
    body = client.patch(
        url, json={"desired_occupations": ["4-07-05-01"]}, headers=as_wulong_office
    ).json
    assert body["desired_occupations"] == ["4-07-05-01", code]
    five = ["4-14-05-01", "4-03-02-01", "4-04-05-02", "2-02-10-03", "6-29-04-01"]
    refused = client.patch(url, json={"desired_occupations": five}, headers=as_wulong_office)
    assert refused.status_code == 422 and "desired_occupations" in refused.json["errors"]
