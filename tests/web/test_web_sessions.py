"""Web sessions end on the server: logout and password change revoke old cookies; idle and old sessions end."""

import time

from tests.factories import PASSWORD
from tests.factories import login as auth_header


def log_in(client, user, **extra) -> None:
    response = client.post(
        "/login", data={"username": user.username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 302


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_replayed_after_logout_is_refused(client, seeker_user):
    log_in(client, seeker_user)
    stolen = session_cookie(client)
    assert client.get("/me/applications").status_code == 200
    client.post("/logout")
    client.set_cookie("session", stolen)
    assert client.get("/me/applications").status_code == 302  # back to the login page


def test_a_password_change_ends_other_sessions_but_not_this_one(app, client, seeker_user):
    log_in(client, seeker_user)
    other = app.test_client()
    log_in(other, seeker_user)
    changed = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "new": "another long password 9",
            "confirm": "another long password 9",
        },
    )
    assert changed.status_code == 302
    assert client.get("/me/applications").status_code == 200
    assert other.get("/me/applications").status_code == 302


def test_an_idle_session_ends(client, seeker_user):
    log_in(client, seeker_user)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    assert client.get("/me/applications").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime(client, seeker_user):
    log_in(client, seeker_user)
    with client.session_transaction() as session:
        session["started_at"] = time.time() - 13 * 3600
    assert client.get("/me/applications").status_code == 302


def test_api_logout_revokes_the_token(client, seeker_user):
    headers = auth_header(client, seeker_user.username)
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_cookies_are_httponly_and_samesite(client, seeker_user):
    response = client.post("/login", data={"username": seeker_user.username, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
