"""Authentication hardening (issue 18, ASVS V2): per-account lockout with backoff, no username
enumeration by timing, a password policy, the real client address behind a proxy, and an
audit of every login, logout, password change and staff account created."""

import datetime as dt
import statistics
import time

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import AuditEvent, LoginThrottle
from app.services.login_throttle import lock_seconds
from tests.factories import PASSWORD, UserFactory
from tests.web.conftest import login as web_login


def token(client, username: str, password: str, **headers):
    """POST /auth/token."""
    return client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}, headers=headers
    )


def test_five_failures_lock_the_account_with_retry_after_even_for_the_right_password(
    client, seeker_user
):
    for _ in range(5):
        assert token(client, "seeker1", "wrong password").status_code == 401
    locked = token(client, "seeker1", PASSWORD)
    assert locked.status_code == 429
    assert 25 <= int(locked.headers["Retry-After"]) <= 30
    assert "username" in locked.json["errors"]


def test_the_lock_doubles_and_a_success_after_it_clears_the_count(client, seeker_user):
    assert [lock_seconds(n) for n in (4, 5, 6, 7, 20)] == [0, 30, 60, 120, 3600]
    for _ in range(5):
        token(client, "seeker1", "wrong password")
    row = db.session.get(LoginThrottle, "seeker1")
    row.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)  # the wait is over
    db.session.commit()
    assert token(client, "seeker1", PASSWORD).status_code == 200
    db.session.expire_all()
    assert db.session.get(LoginThrottle, "seeker1") is None


def test_a_name_without_an_account_is_locked_the_same_way(client):
    for _ in range(5):
        assert token(client, "nobody-here", "whatever pw").status_code == 401
    assert token(client, "nobody-here", "whatever pw").status_code == 429


def test_the_login_page_says_when_to_try_again(client, seeker_user):
    for _ in range(5):
        client.post("/login", data={"username": "seeker1", "password": "wrong"})
    page = client.post("/login", data={"username": "seeker1", "password": PASSWORD})
    assert page.status_code == 429 and "Retry-After" in page.headers
    html = page.get_data(as_text=True)
    assert 'id="username-error"' in html and "登录失败次数过多" in html


def _median_seconds(client, username: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        token(client, username, "not the password")
        times.append(time.perf_counter() - start)
    db.session.query(LoginThrottle).delete()
    db.session.commit()
    return statistics.median(times)


def test_an_unknown_username_costs_as_much_as_a_wrong_password(client, seeker_user):
    known = _median_seconds(client, "seeker1")
    unknown = _median_seconds(client, "no-such-user")
    assert unknown > 0.5 * known, (unknown, known)


def test_weak_passwords_are_refused_with_the_field_named(client, as_admin):
    for password, why in [
        ("short-pw-1", "至少 12 位"),
        ("password1234", "太常见"),
        ("aaaaaaaaaaaaaa", "太常见"),
        ("xx-staffer9-2024", "用户名"),
    ]:
        response = client.post(
            "/api/v1/auth/staff",
            json={"username": "staffer9", "password": password, "role": "office"},
            headers=as_admin,
        )
        assert response.status_code == 422, password
        assert why in response.json["errors"]["password"][0]


def test_the_password_change_form_refuses_a_weak_password(client, seeker_user):
    web_login(client, seeker_user[0])
    response = client.post(
        "/account/password",
        data={"current": PASSWORD, "new": "password1234", "confirm": "password1234"},
    )
    assert response.status_code == 422
    assert 'id="new-error"' in response.get_data(as_text=True)


def test_logins_logouts_password_changes_and_new_staff_are_audited_with_the_address(
    client, as_admin, seeker_user
):
    token(client, "seeker1", "wrong password", **{"X-Forwarded-For": "203.0.113.9"})
    seeker = token(client, "seeker1", PASSWORD).json["token"]
    client.post(
        "/api/v1/auth/staff",
        json={"username": "clerk2", "password": "ledger-in-wulong-77", "role": "office"},
        headers=as_admin,
    )
    client.post("/api/v1/auth/logout", headers={"Authorization": f"Bearer {seeker}"})
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = [e.action for e in events]
    assert actions[-4:] == ["login_failed", "login", "staff_created", "logout"]
    failed = events[-4]
    assert failed.after["reason"] == "wrong password" and failed.ip == "127.0.0.1"
    assert events[-2].after["role"] == "office"


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_clients(ctx):
    proxied = create_app({**ctx.config, "TRUSTED_PROXIES": 1})
    with proxied.app_context():
        UserFactory(username="seeker7", role="seeker")
        proxied.test_client().post(
            "/api/v1/auth/token",
            json={"username": "seeker7", "password": "nope"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.ip == "203.0.113.9"
