"""Seekers are told of every change that concerns them, see each application's timeline and their traineeship."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, OutboxMessage, Traineeship
from tests.factories import ApplicationFactory, PostingFactory, SeekerFactory, UserFactory, login
from tests.policy_app.conftest import enrol_body, trainee_post
from tests.web.conftest import login as web_login


@pytest.fixture
def trainee(ctx):
    """An eligible Wulong graduate with an account."""
    user = UserFactory(username="xiaoli", role="seeker")
    seeker = SeekerFactory(user_id=user.id, name="小李", phone="13800138000")
    return user, seeker


def notices(user) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def test_each_employer_decision_tells_the_seeker_and_shows_on_the_timeline(
    client, ctx, trainee, host_a, as_host_a
):
    user, seeker = trainee
    as_seeker = login(client, "xiaoli")
    job = PostingFactory(employer=host_a, title="前台接待")
    other = PostingFactory(employer=host_a, title="仓库管理")
    applied = client.post("/api/v1/applications", json={"posting_id": job.id}, headers=as_seeker)
    second = client.post("/api/v1/applications", json={"posting_id": other.id}, headers=as_seeker)
    url = f"/api/v1/applications/{applied.json['id']}"
    assert notices(user) == []  # the seeker's own application is no news to them
    client.patch(url, json={"status": "shortlisted"}, headers=as_host_a)
    invited = client.patch(
        url,
        json={
            "status": "invited",
            "interview_at": "2024-03-01T14:30:00",
            "interview_place": "武隆区芙蓉路8号三楼",
        },
        headers=as_host_a,
    )
    assert invited.status_code == 200, invited.json
    client.patch(url, json={"status": "hired"}, headers=as_host_a)
    client.patch(
        f"/api/v1/applications/{second.json['id']}", json={"status": "rejected"}, headers=as_host_a
    )
    told = [n.payload for n in notices(user)]
    assert [p["status"] for p in told] == ["shortlisted", "invited", "hired", "rejected"]
    assert "2024-03-01 14:30" in told[1]["zh"] and "武隆区芙蓉路8号三楼" in told[1]["zh"]
    assert "interview for “前台接待” on 2024-03-01 14:30 at 武隆区芙蓉路8号三楼" in told[1]["en"]
    assert "did not select you" in told[3]["en"]
    outbox = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.seeker_id == seeker.id))
    )
    assert len(outbox) == 4 and all(m.status == "pending" for m in outbox)
    timeline = client.get(f"{url}/timeline", headers=as_seeker).json
    steps = timeline["steps"]
    assert [s["status"] for s in steps] == ["applied", "shortlisted", "invited", "hired"]
    assert steps[0]["by"]["en"] == "You" and steps[2]["by"]["zh"] == host_a.name
    assert steps[2]["detail"]["interview_place"] == "武隆区芙蓉路8号三楼"
    assert steps[2]["detail"]["interview_at"] == "2024-03-01T06:30:00+00:00"
    web_login(client, user)
    page = client.get(f"/me/applications/{applied.json['id']}").get_data(as_text=True)
    assert "面试：2024-03-01 14:30 · 武隆区芙蓉路8号三楼" in page and host_a.name in page
    listed = client.get("/me/notifications").get_data(as_text=True)
    assert (
        "邀请您就「前台接待」面试" in listed and f"/me/applications/{applied.json['id']}" in listed
    )


def test_seeker_withdrawing_is_on_the_timeline_but_not_notified(client, ctx, trainee, host_a):
    user, _seeker = trainee
    as_seeker = login(client, "xiaoli")
    job = PostingFactory(employer=host_a)
    made = client.post("/api/v1/applications", json={"posting_id": job.id}, headers=as_seeker)
    url = f"/api/v1/applications/{made.json['id']}"
    client.patch(url, json={"status": "withdrawn"}, headers=as_seeker)
    steps = client.get(f"{url}/timeline", headers=as_seeker).json["steps"]
    assert [s["status"] for s in steps] == ["applied", "withdrawn"]
    assert notices(user) == []


def test_office_enrolment_and_outcome_tell_the_trainee_and_show_on_my_traineeship(
    app, client, ctx, trainee, enterprise, host_a, as_office
):
    user, seeker = trainee
    post = trainee_post(host_a, enterprise, months=6)
    body = enrol_body(seeker, post, enterprise, start=dt.date(2023, 7, 1))
    enrolled = client.post("/api/v1/traineeships", json=body, headers=as_office)
    assert enrolled.status_code == 201, enrolled.json
    told = notices(user)
    assert [n.kind for n in told] == ["traineeship"]
    assert host_a.name in told[0].payload["zh"] and "2023-07-01" in told[0].payload["zh"]
    web = app.test_client()
    web_login(web, user)
    page = web.get("/me/traineeship?on=2024-02-01").get_data(as_text=True)
    assert host_a.name in page and "已过计划结束日，待登记结果" in page
    assert "尚未结算" in page
    as_seeker = login(client, "xiaoli")
    mine = client.get("/api/v1/traineeships/mine?on=2023-09-01", headers=as_seeker).json
    assert mine[0]["awaiting_outcome"] is False and mine[0]["planned_end"] == "2023-12-31"
    ended = client.patch(
        f"/api/v1/traineeships/{enrolled.json['id']}",
        json={"outcome": "left_early", "ended_on": "2023-09-15"},
        headers=as_office,
    )
    assert ended.status_code == 200, ended.json
    last = notices(user)[-1]
    assert last.payload["outcome"] == "left_early" and "提前离岗" in last.payload["zh"]
    page = web.get("/me/traineeship").get_data(as_text=True)
    assert "提前离岗" in page and "待登记结果" not in page


def test_hiring_on_a_trainee_post_is_one_timeline_step(
    client, ctx, trainee, enterprise, host_a, as_host_a
):
    user, seeker = trainee
    post = trainee_post(host_a, enterprise, months=6)
    as_seeker = login(client, "xiaoli")
    made = client.post("/api/v1/applications", json={"posting_id": post.id}, headers=as_seeker)
    url = f"/api/v1/applications/{made.json['id']}"
    hired = client.patch(
        url, json={"status": "hired", "started_on": "2023-07-01"}, headers=as_host_a
    )
    assert hired.status_code == 200, hired.json
    steps = client.get(f"{url}/timeline", headers=as_seeker).json["steps"]
    assert [s["status"] for s in steps] == ["applied", "hired"]
    assert sorted(n.kind for n in notices(user)) == ["application", "traineeship"]
    assert db.session.scalar(select(Traineeship.seeker_id)) == seeker.id


def test_employer_page_invites_with_time_and_place(app, ctx, trainee, host_a):
    user, seeker = trainee
    job = PostingFactory(employer=host_a, title="前台接待")
    application = ApplicationFactory(seeker=seeker, posting=job)
    employer = UserFactory(role="employer", employer_id=host_a.id)
    web = app.test_client()
    web_login(web, employer)
    page = web.get("/employer/applicants").get_data(as_text=True)
    assert f'id="interview_at-{application.id}"' in page and "面试地点" in page
    web.post(
        f"/employer/applications/{application.id}/move",
        data={"status": "invited", "interview_at": "2024-03-01T09:00", "interview_place": "三楼"},
    )
    assert notices(user)[-1].payload["zh"].endswith("时间：2024-03-01 09:00，地点：三楼")
