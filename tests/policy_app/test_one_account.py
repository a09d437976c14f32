"""One account of seats, people and money (issue 19 items 1, 4 and 6): a trainee post's hire is its enrolment."""

import datetime as dt

from sqlalchemy import func, select

from app.extensions import db
from app.models import Application, Employment, Posting, Program, Traineeship, User
from app.services.reports.dispatch import dispatch_report
from tests.factories import ApplicationFactory, PostingFactory, SeekerFactory, UserFactory, login
from tests.policy_app.conftest import enrol_body, trainee_post
from tests.web.conftest import login as web_login

START = dt.date(2023, 10, 20)
URL = "/api/v1/traineeships"


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _hire(client, headers, application, **extra):
    return client.patch(
        f"/api/v1/applications/{application.id}",
        json={"status": "hired", **extra},
        headers=headers,
    )


def test_hiring_on_a_one_slot_trainee_post_is_the_enrolment(
    client, ctx, as_host_a, as_office, host_a, enterprise, seeker
):
    post = trainee_post(host_a, enterprise, slots=1)
    application = ApplicationFactory(seeker=seeker, posting=post, status="invited")
    response = _hire(client, as_host_a, application, started_on=START.isoformat())
    assert response.status_code == 200, response.json
    db.session.expire_all()
    traineeship = db.session.scalar(select(Traineeship).where(Traineeship.seeker_id == seeker.id))
    assert traineeship is not None and traineeship.posting_id == post.id
    assert traineeship.program_id == enterprise.id and traineeship.started_on == START
    assert db.session.get(Posting, post.id).slots_filled == 1
    assert db.session.get(Program, enterprise.id).seats_taken == 1
    assert _count(Employment) == 0, "a trainee post's hire is no labour contract"
    again = client.post(URL, json=enrol_body(seeker, post, enterprise, START), headers=as_office)
    assert again.status_code in (409, 422)
    db.session.expire_all()
    assert _count(Traineeship) == 1
    assert db.session.get(Posting, post.id).slots_filled == 1
    assert db.session.get(Program, enterprise.id).seats_taken == 1


def test_enrolling_an_applicant_hires_the_application(
    client, ctx, as_office, enterprise, post_a, seeker
):
    application = ApplicationFactory(seeker=seeker, posting=post_a, status="shortlisted")
    response = client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_office)
    assert response.status_code == 201, response.json
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "hired"
    assert db.session.get(Posting, post_a.id).slots_filled == 1


def test_hire_refused_by_the_rulebook_takes_nothing(client, ctx, as_host_a, host_a, enterprise):
    post = trainee_post(host_a, enterprise, slots=1)
    older = SeekerFactory(
        birth_date=dt.date(1990, 1, 1), education="senior_high", graduation_date=None
    )
    application = ApplicationFactory(seeker=older, posting=post, status="invited")
    response = _hire(client, as_host_a, application, started_on=START.isoformat())
    assert response.status_code == 422 and "reasons" not in response.json
    assert "1990" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "invited"
    assert db.session.get(Posting, post.id).slots_filled == 0
    assert _count(Traineeship) == 0


def test_leaving_early_frees_the_program_seat_and_the_post_slot(
    client, ctx, as_office, enterprise, post_a, seeker
):
    made = client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_office)
    assert made.status_code == 201
    left = client.patch(
        f"{URL}/{made.json['id']}",
        json={"outcome": "left_early", "ended_on": "2023-08-15"},
        headers=as_office,
    )
    assert left.status_code == 200, left.json
    db.session.expire_all()
    assert db.session.get(Posting, post_a.id).slots_filled == 0
    assert db.session.get(Program, enterprise.id).seats_taken == 0


def test_a_completed_traineeship_keeps_its_program_seat(
    client, ctx, as_office, enterprise, post_a, seeker
):
    made = client.post(URL, json=enrol_body(seeker, post_a, enterprise), headers=as_office)
    done = client.patch(
        f"{URL}/{made.json['id']}",
        json={"outcome": "completed", "ended_on": "2023-12-31"},
        headers=as_office,
    )
    assert done.status_code == 200, done.json
    db.session.expire_all()
    assert db.session.get(Posting, post_a.id).slots_filled == 0
    assert db.session.get(Program, enterprise.id).seats_taken == 1


def test_no_hiring_subsidy_for_a_trainee_who_was_not_kept(
    client, ctx, as_office, host_a, enterprise, post_a, rulebooks
):
    """A hire on a trainee post recorded as an employment before this fix is still no contract."""
    trainee, worker = SeekerFactory(), SeekerFactory()
    job = PostingFactory(employer=host_a, kind="job")
    decided = dt.datetime(2023, 7, 1, 4, tzinfo=dt.UTC)
    for person, post in ((trainee, post_a), (worker, job)):
        application = ApplicationFactory(
            seeker=person, posting=post, status="hired", decided_at=decided
        )
        db.session.add(
            Employment(
                seeker_id=person.id,
                employer_id=host_a.id,
                hire_date=dt.date(2023, 7, 1),
                application_id=application.id,
                contract_months=24,
                social_insurance_months=6,
                unemployment_insurance_months=6,
            )
        )
    db.session.add(
        Traineeship(
            seeker_id=trainee.id,
            posting_id=post_a.id,
            program_id=enterprise.id,
            host_id=host_a.id,
            started_on=dt.date(2023, 7, 1),
            planned_months=3,
            ended_on=dt.date(2023, 9, 30),
            outcome="completed",
        )
    )
    db.session.commit()
    response = client.get("/api/v1/policy/finder", headers=as_office)
    assert response.status_code == 200, response.json
    people = {f["seeker_id"] for f in response.json["findings"]}
    assert worker.id in people
    assert trainee.id not in people


def test_dispatch_counts_a_trainee_hire_once(client, ctx, as_host_a, host_a, enterprise, seeker):
    post = trainee_post(host_a, enterprise, slots=1)
    application = ApplicationFactory(seeker=seeker, posting=post, status="invited")
    assert _hire(client, as_host_a, application, started_on=START.isoformat()).status_code == 200
    office = UserFactory(username="dispatch_office", role="office", office_district="500156")
    db.session.expire_all()
    decided = db.session.get(Application, application.id).decided_at.date()
    month = decided.strftime("%Y-%m")
    figures = dispatch_report(office, month, "500156")["figures"]
    assert figures["hires"] == 0
    october = dispatch_report(office, "2023-10", "500156")["figures"]
    assert october["traineeships_started"] == 1 and october["placements"] == 1


def test_employer_note_keeps_the_seekers_cover_note(client, ctx, host_a, as_host_a):
    job = PostingFactory(employer=host_a, kind="job")
    person = SeekerFactory()
    user = UserFactory(username="applicant", role="seeker")
    person.user = user
    db.session.commit()
    as_seeker = login(client, "applicant")
    applied = client.post(
        "/api/v1/applications",
        json={"posting_id": job.id, "note": "我熟悉 Python，可以马上到岗。"},
        headers=as_seeker,
    )
    assert applied.status_code == 201, applied.json
    moved = client.patch(
        f"/api/v1/applications/{applied.json['id']}",
        json={"status": "shortlisted", "note": "周三面试"},
        headers=as_host_a,
    )
    assert moved.status_code == 200, moved.json
    assert moved.json["note"] == "我熟悉 Python，可以马上到岗。"
    notes = {n["author"]: n for n in moved.json["notes"]}
    assert notes["seeker"]["text"] == "我熟悉 Python，可以马上到岗。"
    assert notes["employer"]["text"] == "周三面试" and notes["employer"]["at"]
    seen = client.get(f"/api/v1/applications/{applied.json['id']}", headers=as_seeker).json
    assert [n["text"] for n in seen["notes"]] == ["我熟悉 Python，可以马上到岗。", "周三面试"]
    web_login(client, db.session.scalar(select(User).where(User.username == "host_a")))
    page = client.get("/employer/applicants").get_data(as_text=True)
    assert "我熟悉 Python，可以马上到岗。" in page and "周三面试" in page


def test_a_floor_is_a_target_not_a_cap(client, ctx, as_office, host_a, rulebooks):
    """000 § 11: 不少于200个 — enrolment goes past the floor when the office set no cap."""
    created = client.post(
        "/api/v1/programs",
        json={
            "key": "wl-floor-only",
            "name": "武隆区见习（下限）",
            "district_code": "500156",
            "kind": "enterprise",
            "floor": 2,
            "monthly_rate": 1300,
            "rulebook": "wulong-2023.toml",
            "starts_on": "2023-01-01",
            "ends_on": "2023-12-31",
        },
        headers=as_office,
    )
    assert created.status_code == 201, created.json
    assert created.json["quota"] is None and created.json["floor"] == 2
    program = db.session.get(Program, created.json["id"])
    post = trainee_post(host_a, program, slots=5)
    for _ in range(3):
        body = enrol_body(SeekerFactory(), post, program)
        assert client.post(URL, json=body, headers=as_office).status_code == 201
    db.session.expire_all()
    assert db.session.get(Program, program.id).seats_taken == 3
    placement = client.post(f"/api/v1/programs/{program.id}/placements", json={}, headers=as_office)
    assert placement.status_code == 201, placement.json
    capped = client.patch(f"/api/v1/programs/{program.id}", json={"quota": 3}, headers=as_office)
    assert capped.status_code == 200 and capped.json["quota"] == 3
    full = client.post(URL, json=enrol_body(SeekerFactory(), post, program), headers=as_office)
    assert full.status_code == 409
