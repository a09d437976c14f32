"""An employer enrols only a person who applied to its own post, in its own district's program (issue 18, hole 2)."""

import datetime as dt

from sqlalchemy import func, select

from app.extensions import db
from app.models import Application, Program, Traineeship
from tests.factories import ApplicationFactory, EmployerFactory, ProgramFactory, SeekerFactory
from tests.policy_app.conftest import enrol_body, trainee_post

URL = "/api/v1/traineeships"


def _traineeships() -> int:
    return db.session.scalar(select(func.count()).select_from(Traineeship))


def test_employer_cannot_enrol_a_person_who_never_applied(
    client, ctx, as_host_a, enterprise, post_a
):
    stranger = SeekerFactory(birth_date=dt.date(2001, 2, 3), name="未申请者")
    response = client.post(URL, json=enrol_body(stranger, post_a, enterprise), headers=as_host_a)
    assert response.status_code == 422, response.json
    assert set(response.json["errors"]) == {"seeker_id"}
    unknown = client.post(
        URL,
        json={**enrol_body(stranger, post_a, enterprise), "seeker_id": stranger.id + 999},
        headers=as_host_a,
    )
    assert unknown.status_code == 422 and unknown.json == response.json
    assert _traineeships() == 0
    db.session.expire_all()
    assert db.session.get(Program, enterprise.id).seats_taken == 0


def test_employer_enrols_its_applicant(client, ctx, as_host_a, enterprise, post_a, seeker):
    ApplicationFactory(seeker=seeker, posting=post_a, status="shortlisted")
    response = client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_host_a)
    assert response.status_code == 201, response.json
    assert _traineeships() == 1


def test_withdrawn_or_rejected_application_does_not_count(
    client, ctx, as_host_a, enterprise, post_a
):
    withdrawn, rejected = SeekerFactory(), SeekerFactory()
    ApplicationFactory(seeker=withdrawn, posting=post_a, status="withdrawn")
    ApplicationFactory(seeker=rejected, posting=post_a, status="rejected")
    for person in (withdrawn, rejected):
        response = client.post(URL, json=enrol_body(person, post_a, enterprise), headers=as_host_a)
        assert response.status_code == 422 and set(response.json["errors"]) == {"seeker_id"}
    assert _traineeships() == 0


def test_refusal_to_an_employer_carries_no_personal_facts(
    client, ctx, as_host_a, enterprise, post_a
):
    older = SeekerFactory(
        birth_date=dt.date(1998, 1, 1),
        education="senior_high",
        graduation_date=None,
        registered_unemployed_since=dt.date(2023, 1, 1),
    )
    ApplicationFactory(seeker=older, posting=post_a)
    response = client.post(
        URL, json=enrol_body(older, post_a, enterprise, dt.date(2023, 10, 9)), headers=as_host_a
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "reasons" not in response.json and set(response.json["errors"]) == {"seeker_id"}
    for fact in ("1998", "2023-01-01", "25", "birth", "registered", "出生", "登记"):
        assert fact not in body, fact


def test_employer_cannot_post_into_another_districts_program(
    client, ctx, as_host_a, host_a, rulebooks
):
    beibei = ProgramFactory(key="bb-2023", district_code="500109")
    body = {
        "kind": "traineeship",
        "title": "软件测试见习",
        "description": "参与软件测试工作，学习测试方法。",
        "occupation_code": "4-04-05-02",
        "salary_min": 2000,
        "salary_max": 2500,
        "district_code": "500109",
        "duration_months": 6,
        "program_id": beibei.id,
    }
    response = client.post("/api/v1/postings", json=body, headers=as_host_a)
    assert response.status_code == 422 and "program_id" in response.json["errors"]
    response = client.post(
        "/api/v1/postings", json={**body, "district_code": "500156"}, headers=as_host_a
    )
    assert response.status_code == 422 and "program_id" in response.json["errors"]


def test_program_post_stays_in_the_programs_district(client, ctx, as_host_a, post_a):
    response = client.patch(
        f"/api/v1/postings/{post_a.id}", json={"district_code": "500109"}, headers=as_host_a
    )
    assert response.status_code == 422 and "district_code" in response.json["errors"]


def test_host_of_another_district_cannot_enrol_into_the_program(client, ctx, as_office, enterprise):
    outsider = EmployerFactory(district_code="500109", host_approved=True)
    post = trainee_post(outsider, enterprise)
    post.district_code = "500109"
    seeker = SeekerFactory()
    db.session.add(Application(seeker_id=seeker.id, posting_id=post.id))
    db.session.commit()
    response = client.post(URL, json=enrol_body(seeker, post, enterprise), headers=as_office)
    assert response.status_code == 422 and "posting_id" in response.json["errors"]
    assert _traineeships() == 0
