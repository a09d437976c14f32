"""Personal data (issue 18, PIPL): consent at registration (not given unless chosen), recorded
when given or withdrawn, a privacy notice, and a copy of everything held for the seeker alone."""

import json

from sqlalchemy import select

from app.extensions import db
from app.models import Application, AuditEvent, Seeker
from tests.factories import ApplicationFactory, UserFactory, make_id_number
from tests.web.conftest import login


def _register(client, username: str, **extra) -> Seeker:
    form = {
        "username": username,
        "password": "plenty-long-password-7",
        "name": "王五",
        "id_number": make_id_number(),
        "education": "bachelor",
        **extra,
    }
    response = client.post("/register/seeker", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return db.session.scalar(select(Seeker).where(Seeker.name == "王五"))


def test_registration_asks_for_consent_and_does_not_assume_it(client, ctx):
    page = client.get("/register/seeker").get_data(as_text=True)
    assert 'name="visible"' in page and "checked" not in page.split('name="visible"')[1][:40]
    assert 'href="/privacy"' in page
    seeker = _register(client, "wangwu")
    assert seeker.visible is False
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "consent_not_given" in actions


def test_consent_given_and_withdrawn_is_recorded(client, ctx):
    seeker = _register(client, "wangwu2", visible="y")
    assert seeker.visible is True
    client.post("/me/profile", data={"name": "王五", "education": "bachelor"})  # unticked
    db.session.refresh(seeker)
    assert seeker.visible is False
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("consent_given") == 1 and actions[-2:] == ["consent_withdrawn", "update"]


def test_the_privacy_notice_is_public_in_both_languages(client):
    assert "个人信息保护说明" in client.get("/privacy").get_data(as_text=True)
    assert "What we collect" in client.get("/privacy?lang=en").get_data(as_text=True)


def test_a_seeker_downloads_everything_held_about_them_and_only_they_can(client, seeker_user):
    login(client, seeker_user)
    ApplicationFactory(seeker=seeker_user.seeker)
    download = client.get("/me/data.json")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.data)
    assert data["profile"]["id_number"] == seeker_user.seeker.id_number  # their own, unmasked
    assert len(data["applications"]) == 1 and "password_hash" not in data["account"]
    page = client.get("/me/data").get_data(as_text=True)
    assert "applications" in page and seeker_user.seeker.name in page
    assert "personal_data_exported" in db.session.scalars(select(AuditEvent.action)).all()
    login(client, UserFactory(role="office", office_district="500156"))
    assert client.get("/me/data.json").status_code == 403


def test_the_api_gives_the_same_copy(client, seeker_user):
    from tests.factories import login as api_login

    headers = api_login(client, seeker_user.username)
    response = client.get("/api/v1/seekers/me/export", headers=headers)
    assert response.status_code == 200
    assert response.json["profile"]["name"] == seeker_user.seeker.name


def test_deleting_the_account_erases_the_person_but_keeps_the_subsidy_records(client, ctx):
    import datetime as dt

    from app.models import SubsidyLine, Traineeship
    from app.services import settlement
    from app.services.recommendations import seeker_index
    from tests import scenario
    from tests.factories import login as api_login

    prog = scenario.program()
    posts = scenario.posts(prog, scenario.hosts())
    people = scenario.graduates()
    person = people[0]
    user = UserFactory(role="seeker")
    person.user_id = user.id
    ApplicationFactory(seeker=person, posting=posts[1])  # still open
    scenario.traineeship(person, posts[0], dt.date(2023, 10, 7), 6)
    office = UserFactory(role="office", office_district="500156")
    employer = UserFactory(role="employer", employer_id=posts[0].employer_id)
    db.session.commit()
    settlement.run_settlement(office, prog.id, "2023-11")
    lines_before = db.session.query(SubsidyLine).count()
    assert lines_before > 0
    assert str(person.id) in seeker_index()  # ranked for posts before

    id_number = person.id_number
    login(client, user)
    wrong = client.post("/me/delete", data={"password": "not it"})
    assert wrong.status_code == 422 and 'id="password-error"' in wrong.get_data(as_text=True)
    assert client.post("/me/delete", data={"password": "correct horse battery"}).status_code == 302
    db.session.expire_all()
    erased = db.session.get(Seeker, person.id)
    assert erased.name == "已注销用户" and erased.phone is None and erased.erased_at is not None
    assert id_number != erased.id_number and erased.birth_date == dt.date(2001, 1, 1)
    open_one = db.session.scalar(select(Application).where(Application.seeker_id == person.id))
    assert open_one.status == "withdrawn"
    assert db.session.query(Traineeship).filter_by(seeker_id=person.id).count() == 1
    assert client.get("/me/profile").status_code in (302, 401)  # the session ended
    assert (
        client.post(
            "/api/v1/auth/token",
            json={"username": user.username, "password": "correct horse battery"},
        ).status_code
        == 401
    )

    assert str(person.id) not in seeker_index()  # ranked for nothing after
    login(client, employer)
    candidates = client.get(f"/employer/postings/{posts[0].id}/candidates?ineligible=1")
    assert "见习生0" not in candidates.get_data(as_text=True)
    settlement.run_settlement(office, prog.id, "2023-12")  # the records still settle
    assert db.session.query(SubsidyLine).count() > lines_before
    api = ctx.test_client()
    headers = api_login(api, office.username)
    report = api.get("/api/v1/reports/dispatch?period=2023-12", headers=headers)
    assert report.status_code == 200, report.json
