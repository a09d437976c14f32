import datetime as dt

from tests.factories import ApplicationFactory, PostingFactory, SeekerFactory


def test_seeker_applies_once_and_sees_it(client, ctx, as_seeker, employer_a):
    posting = PostingFactory(employer=employer_a)
    first = client.post("/api/v1/applications", json={"posting_id": posting.id}, headers=as_seeker)
    assert first.status_code == 201 and first.json["status"] == "applied"
    again = client.post("/api/v1/applications", json={"posting_id": posting.id}, headers=as_seeker)
    assert again.status_code == 409 and "posting_id" in again.json["errors"]
    mine = client.get("/api/v1/applications", headers=as_seeker).json
    assert [a["posting"]["id"] for a in mine] == [posting.id]


def test_cannot_apply_to_missing_draft_or_full_posting(client, ctx, as_seeker, employer_a):
    assert (
        client.post(
            "/api/v1/applications", json={"posting_id": 999999}, headers=as_seeker
        ).status_code
        == 404
    )
    draft = PostingFactory(employer=employer_a, status="draft")
    assert (
        client.post(
            "/api/v1/applications", json={"posting_id": draft.id}, headers=as_seeker
        ).status_code
        == 404
    )
    full = PostingFactory(employer=employer_a, slots=1, slots_filled=1)
    assert (
        client.post(
            "/api/v1/applications", json={"posting_id": full.id}, headers=as_seeker
        ).status_code
        == 409
    )


def test_employers_see_only_their_own_applicants(
    client, ctx, employer_a, employer_b, as_employer_a, as_employer_b
):
    mine = ApplicationFactory(posting=PostingFactory(employer=employer_a))
    theirs = ApplicationFactory(posting=PostingFactory(employer=employer_b))
    assert [a["id"] for a in client.get("/api/v1/applications", headers=as_employer_a).json] == [
        mine.id
    ]
    assert client.get(f"/api/v1/applications/{theirs.id}", headers=as_employer_a).status_code == 403
    candidate = client.get(f"/api/v1/applications/{mine.id}", headers=as_employer_a).json["seeker"]
    assert "id_number" not in candidate and "*" in (candidate["phone"] or "*")
    assert (
        client.patch(
            f"/api/v1/applications/{theirs.id}", json={"status": "rejected"}, headers=as_employer_a
        ).status_code
        == 403
    )


def test_status_moves_follow_roles(client, ctx, seeker_user, as_seeker, employer_a, as_employer_a):
    _, me = seeker_user
    application = ApplicationFactory(seeker=me, posting=PostingFactory(employer=employer_a))
    url = f"/api/v1/applications/{application.id}"
    assert client.patch(url, json={"status": "hired"}, headers=as_seeker).status_code == 409
    assert (
        client.patch(url, json={"status": "shortlisted"}, headers=as_employer_a).json["status"]
        == "shortlisted"
    )
    assert (
        client.patch(url, json={"status": "invited"}, headers=as_employer_a).json["status"]
        == "invited"
    )
    assert (
        client.patch(url, json={"status": "withdrawn"}, headers=as_seeker).json["status"]
        == "withdrawn"
    )
    assert client.patch(url, json={"status": "hired"}, headers=as_employer_a).status_code == 409
    assert client.patch(url, json={"status": "applied"}, headers=as_employer_a).status_code == 422


def test_hiring_fills_slots_and_stops_at_capacity(client, ctx, employer_a, as_employer_a):
    posting = PostingFactory(employer=employer_a, slots=1)
    first, second = (ApplicationFactory(posting=posting, seeker=SeekerFactory()) for _ in range(2))
    assert (
        client.patch(
            f"/api/v1/applications/{first.id}", json={"status": "hired"}, headers=as_employer_a
        ).status_code
        == 200
    )
    refused = client.patch(
        f"/api/v1/applications/{second.id}", json={"status": "hired"}, headers=as_employer_a
    )
    assert refused.status_code == 409
    from app.extensions import db
    from app.models import Application, Posting

    db.session.expire_all()
    assert db.session.get(Posting, posting.id).slots_filled == 1
    assert db.session.get(Application, second.id).status == "applied"


def test_office_sees_district_applications(client, ctx, employer_a, employer_b, as_beibei_office):
    ApplicationFactory(posting=PostingFactory(employer=employer_a, district_code="500156"))
    theirs = ApplicationFactory(posting=PostingFactory(employer=employer_b, district_code="500109"))
    assert [a["id"] for a in client.get("/api/v1/applications", headers=as_beibei_office).json] == [
        theirs.id
    ]


def test_applications_need_login(client):
    assert client.get("/api/v1/applications").status_code == 401
    assert client.post("/api/v1/applications", json={"posting_id": 1}).status_code == 401


def test_withdrawn_seeker_may_apply_again_while_the_posting_is_open(
    client, ctx, as_seeker, employer_a
):
    posting = PostingFactory(employer=employer_a)
    made = client.post("/api/v1/applications", json={"posting_id": posting.id}, headers=as_seeker)
    url = f"/api/v1/applications/{made.json['id']}"
    client.patch(url, json={"status": "withdrawn"}, headers=as_seeker)
    again = client.post(
        "/api/v1/applications",
        json={"posting_id": posting.id, "note": "想再试一次"},
        headers=as_seeker,
    )
    assert again.status_code == 201 and again.json["id"] == made.json["id"]
    assert again.json["status"] == "applied"


def test_no_application_after_the_deadline(client, ctx, as_seeker, employer_a):
    late = PostingFactory(employer=employer_a, apply_by=dt.date.today() - dt.timedelta(days=1))
    refused = client.post("/api/v1/applications", json={"posting_id": late.id}, headers=as_seeker)
    assert refused.status_code == 422 and "posting_id" in refused.json["errors"]
