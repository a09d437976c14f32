from tests.factories import make_credit_code


def employer_body(**over):
    body = {
        "name": "武隆仙女山旅游开发有限公司",
        "credit_code": make_credit_code(),
        "district_code": "500156",
        "size_class": "sme",
        "industry": "旅游业",
    }
    body.update(over)
    return body


def test_office_registers_employer_in_its_district(client, as_wulong_office):
    response = client.post("/api/v1/employers", json=employer_body(), headers=as_wulong_office)
    assert response.status_code == 201
    assert response.json["district_code"] == "500156" and response.json["host_approved"] is False


def test_office_cannot_register_outside_its_district(client, as_beibei_office):
    response = client.post("/api/v1/employers", json=employer_body(), headers=as_beibei_office)
    assert response.status_code == 403


def test_bad_credit_code_is_named(client, as_wulong_office):
    response = client.post(
        "/api/v1/employers",
        json=employer_body(credit_code="91350100M000100Y44"),
        headers=as_wulong_office,
    )
    assert response.status_code == 422
    assert "credit_code" in response.json["errors"]


def test_duplicate_credit_code_is_409_and_nothing_half_written(client, as_wulong_office):
    code = make_credit_code()
    assert (
        client.post(
            "/api/v1/employers", json=employer_body(credit_code=code), headers=as_wulong_office
        ).status_code
        == 201
    )
    second = client.post(
        "/api/v1/employers",
        json=employer_body(credit_code=code, name="另一家"),
        headers=as_wulong_office,
    )
    assert second.status_code == 409 and "credit_code" in second.json["errors"]
    listing = client.get("/api/v1/employers?q=另一家", headers=as_wulong_office)
    assert listing.json == []


def test_self_registration_creates_login_and_organisation_together(client):
    body = {"username": "boss", "password": "long enough pw", "employer": employer_body()}
    assert client.post("/api/v1/auth/register/employer", json=body).status_code == 201
    token = client.post(
        "/api/v1/auth/token", json={"username": "boss", "password": "long enough pw"}
    ).json["token"]
    mine = client.get("/api/v1/employers", headers={"Authorization": f"Bearer {token}"})
    assert [e["name"] for e in mine.json] == ["武隆仙女山旅游开发有限公司"]


def test_registration_with_bad_nested_field_writes_nothing(client):
    body = {
        "username": "boss2",
        "password": "long enough pw",
        "employer": employer_body(district_code="500999"),
    }
    response = client.post("/api/v1/auth/register/employer", json=body)
    assert response.status_code == 404 and "employer.district_code" in response.json["errors"]
    assert (
        client.post(
            "/api/v1/auth/token", json={"username": "boss2", "password": "long enough pw"}
        ).status_code
        == 401
    )


def test_employer_sees_only_itself(client, as_employer_a, employer_a, employer_b):
    assert [e["id"] for e in client.get("/api/v1/employers", headers=as_employer_a).json] == [
        employer_a.id
    ]
    assert (
        client.get(f"/api/v1/employers/{employer_b.id}", headers=as_employer_a).status_code == 403
    )


def test_employer_cannot_blacklist_or_approve_itself(client, as_employer_a, employer_a):
    response = client.patch(
        f"/api/v1/employers/{employer_a.id}", json={"host_approved": True}, headers=as_employer_a
    )
    assert response.status_code == 403
    ok = client.patch(
        f"/api/v1/employers/{employer_a.id}", json={"industry": "制造业"}, headers=as_employer_a
    )
    assert ok.status_code == 200 and ok.json["industry"] == "制造业"


def test_office_blacklists_with_reason_and_is_audited(client, ctx, as_wulong_office, employer_a):
    response = client.patch(
        f"/api/v1/employers/{employer_a.id}",
        json={"blacklisted": True, "blacklist_reason": "多次发布性别歧视岗位 (003 § 30)"},
        headers=as_wulong_office,
    )
    assert response.status_code == 200 and response.json["blacklisted"] is True
    from sqlalchemy import select

    from app.extensions import db
    from app.models import AuditEvent

    event = db.session.scalars(select(AuditEvent).where(AuditEvent.entity == "employer")).one()
    assert event.after["blacklisted"] is True and event.before == {
        "blacklisted": False,
        "blacklist_reason": None,
    }


def test_office_lists_only_its_district_city_sees_all(
    client, as_wulong_office, as_city_office, employer_a, employer_b
):
    assert {e["id"] for e in client.get("/api/v1/employers", headers=as_wulong_office).json} == {
        employer_a.id
    }
    assert {e["id"] for e in client.get("/api/v1/employers", headers=as_city_office).json} == {
        employer_a.id,
        employer_b.id,
    }
    assert (
        client.get(f"/api/v1/employers/{employer_b.id}", headers=as_wulong_office).status_code
        == 403
    )


def test_seekers_and_anonymous_cannot_list_employers(client, as_seeker):
    assert client.get("/api/v1/employers", headers=as_seeker).status_code == 403
    assert client.get("/api/v1/employers").status_code == 401


def test_list_is_paginated_and_sorted(client, as_city_office, employer_a, employer_b):
    page = client.get("/api/v1/employers?page_size=1&page=2&sort=-name", headers=as_city_office)
    assert page.status_code == 200 and len(page.json) == 1
    assert '"total": 2' in page.headers["X-Pagination"]
    assert client.get("/api/v1/employers?page_size=1000", headers=as_city_office).status_code == 422
