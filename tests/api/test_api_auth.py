from app.auth import issue_token
from tests.factories import PASSWORD, UserFactory


def test_token_login_and_me(client, as_seeker):
    me = client.get("/api/v1/auth/me", headers=as_seeker)
    assert me.status_code == 200
    assert me.json["role"] == "seeker" and me.json["seeker_id"] is not None


def test_wrong_password_is_401_with_json_body(client, seeker_user):
    response = client.post("/api/v1/auth/token", json={"username": "seeker1", "password": "nope"})
    assert response.status_code == 401
    assert response.json["code"] == 401 and "wrong username or password" in response.json["message"]


def test_missing_and_unknown_login_fields_are_named(client):
    response = client.post("/api/v1/auth/token", json={"username": "x", "pin": 1})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"password", "pin"}


def test_invalid_and_revoked_tokens_are_refused(client, ctx, seeker_user):
    user, _ = seeker_user
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": "Bearer garbage"}).status_code
        == 401
    )
    token = issue_token(user)
    user.token_version += 1
    from app.extensions import db

    db.session.commit()
    assert (
        client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )


def test_anonymous_me_is_401(client):
    assert client.get("/api/v1/auth/me").status_code == 401


def test_passwords_are_argon2_hashes(ctx):
    user = UserFactory(username="hash_check")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_only_admins_create_staff(client, as_admin, as_wulong_office):
    body = {
        "username": "office_new",
        "password": "long enough pw",
        "role": "office",
        "office_district": "500156",
    }
    assert client.post("/api/v1/auth/staff", json=body, headers=as_wulong_office).status_code == 403
    created = client.post("/api/v1/auth/staff", json=body, headers=as_admin)
    assert created.status_code == 201 and created.json["office_district"] == "500156"
    body["username"] = "office_bad"
    body["office_district"] = "500999"
    assert client.post("/api/v1/auth/staff", json=body, headers=as_admin).status_code == 404


def test_openapi_document_and_local_docs_page(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200 and "/api/v1/postings" in spec.json["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/static/vendor/redoc/redoc.standalone.js" in page.data
    assert b"cdn" not in page.data.lower()
    with client.get("/static/vendor/redoc/redoc.standalone.js") as asset:
        assert asset.status_code == 200


def test_health(client):
    assert client.get("/api/v1/health").json == {"status": "ok"}
