"""Invite to apply from the candidates list: own published posts, visible seekers, a daily limit; accept applies."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.errors import TooManyRequests
from app.extensions import db
from app.models import Application, Invitation, Notification, User
from app.services.invitations import invite
from tests.factories import PostingFactory, SeekerFactory, UserFactory, login
from tests.test_enrolment_concurrency import _racing_app as racing_app
from tests.web.conftest import login as web_login


@pytest.fixture
def candidate(ctx):
    """A visible seeker with an account."""
    user = UserFactory(username="cand", role="seeker")
    return user, SeekerFactory(user_id=user.id, name="候选人")


def url(post) -> str:
    return f"/api/v1/postings/{post.id}/invitations"


def test_invited_seeker_is_told_and_accepting_creates_the_application(
    client, posts, candidate, as_host
):
    user, seeker = candidate
    post = posts[0]
    sent = client.post(url(post), json={"seeker_id": seeker.id, "message": "欢迎"}, headers=as_host)
    assert sent.status_code == 201, sent.json
    assert sent.json["status"] == "pending" and sent.json["posting"]["id"] == post.id
    again = client.post(url(post), json={"seeker_id": seeker.id}, headers=as_host)
    assert again.status_code == 409 and "seeker_id" in again.json["errors"]
    note = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
    assert note.kind == "invitation" and post.title in note.payload["zh"]
    as_seeker = login(client, "cand")
    mine = client.get("/api/v1/invitations", headers=as_seeker).json
    assert [i["id"] for i in mine] == [sent.json["id"]]
    accepted = client.post(
        f"/api/v1/invitations/{sent.json['id']}/accept",
        json={"note": "我有兴趣"},
        headers=as_seeker,
    )
    assert accepted.status_code == 200, accepted.json
    application = db.session.get(Application, accepted.json["application_id"])
    assert (application.seeker_id, application.posting_id, application.note) == (
        seeker.id,
        post.id,
        "我有兴趣",
    )
    twice = client.post(
        f"/api/v1/invitations/{sent.json['id']}/decline", json={}, headers=as_seeker
    )
    assert twice.status_code == 409


def test_declining_leaves_no_application(client, posts, candidate, as_host):
    _user, seeker = candidate
    sent = client.post(url(posts[0]), json={"seeker_id": seeker.id}, headers=as_host).json
    as_seeker = login(client, "cand")
    declined = client.post(f"/api/v1/invitations/{sent['id']}/decline", json={}, headers=as_seeker)
    assert declined.json["status"] == "declined"
    assert db.session.scalar(select(func.count()).select_from(Application)) == 0


def test_only_own_published_posts_and_visible_seekers(
    client, hosts, posts, candidate, as_host, as_other_employer, as_office
):
    _user, seeker = candidate
    body = {"seeker_id": seeker.id}
    assert client.post(url(posts[0]), json=body, headers=as_other_employer).status_code == 403
    assert client.post(url(posts[0]), json=body, headers=as_office).status_code == 403
    draft = PostingFactory(employer=hosts[0], status="draft")
    assert client.post(url(draft), json=body, headers=as_host).status_code == 422
    hidden = SeekerFactory(visible=False)
    refused = client.post(url(posts[0]), json={"seeker_id": hidden.id}, headers=as_host)
    unknown = client.post(url(posts[0]), json={"seeker_id": 999999}, headers=as_host)
    assert refused.status_code == unknown.status_code == 404
    assert refused.json["message"] == unknown.json["message"]
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_the_daily_limit_is_refused_with_429(app, client, monkeypatch, posts, as_host):
    monkeypatch.setitem(app.config, "INVITES_PER_DAY", 2)
    people = [SeekerFactory() for _ in range(3)]
    codes = [
        client.post(url(posts[0]), json={"seeker_id": p.id}, headers=as_host).status_code
        for p in people
    ]
    assert codes == [201, 201, 429]
    refused = client.post(url(posts[1]), json={"seeker_id": people[2].id}, headers=as_host)
    assert refused.status_code == 429 and "limit of 2" in refused.json["message"]
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2


def test_the_daily_limit_holds_under_concurrent_invitations(app, ctx, posts, hosts):
    host = UserFactory(username="host0", role="employer", employer_id=hosts[0].id)
    people = [SeekerFactory().id for _ in range(12)]
    post_id, host_id = posts[0].id, host.id
    db.session.commit()
    racing = racing_app(app)
    racing.config["INVITES_PER_DAY"] = 3
    outcomes: list[str] = []

    def send(seeker_id: int) -> None:
        with racing.app_context():
            try:
                invite(db.session.get(User, host_id), post_id, seeker_id, None)
                outcomes.append("invited")
            except TooManyRequests:
                outcomes.append("limit")

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(send, people))
    assert sorted(outcomes) == ["invited"] * 3 + ["limit"] * 9
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 3


def test_candidates_page_invites_and_shows_the_answer(app, client, posts, candidate, hosts):
    user, seeker = candidate
    employer = UserFactory(role="employer", employer_id=hosts[0].id)
    web_login(client, employer)
    page = client.get(f"/employer/postings/{posts[0].id}/candidates").get_data(as_text=True)
    assert "邀请申请" in page
    done = client.post(
        f"/employer/postings/{posts[0].id}/invitations",
        data={"seeker_id": seeker.id},
        follow_redirects=True,
    )
    assert "已邀请该求职者申请" in done.get_data(as_text=True)
    seeker_web = app.test_client()
    web_login(seeker_web, user)
    mine = seeker_web.get("/me/applications").get_data(as_text=True)
    assert "申请邀请" in mine and posts[0].title in mine
    invitation = db.session.scalar(select(Invitation))
    seeker_web.post(f"/me/invitations/{invitation.id}/accept")
    assert db.session.scalar(select(Application.posting_id)) == posts[0].id
