"""Personal data (issue 18, PIPL): consent at registration (not given unless chosen), recorded
when given or withdrawn, a privacy notice, and a copy of everything held for the seeker alone."""

import json

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Seeker
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
    assert actions.count("consent_given") == 1 and actions[-1] == "consent_withdrawn"


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
