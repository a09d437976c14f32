"""TOTP second factor of office and admin staff (issue 18, ASVS V2.8): enrolment, the second
login step on the API and the pages, no code used twice, the STAFF_TOTP_REQUIRED switch and an
admin's audited reset."""

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.sealing import seal, unseal
from tests.factories import PASSWORD, UserFactory
from tests.web.conftest import login as web_login


def token(client, username: str, **extra):
    """POST /auth/token with the test password."""
    return client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD, **extra}
    )


def enrolled_clerk():
    """An office user with a TOTP secret, stored sealed as the app stores it."""
    return UserFactory(username="clerk", role="office", totp_secret=seal(pyotp.random_base32()))


def secret_of(user) -> str:
    """The base32 secret behind the sealed value on the account."""
    return unseal(user.totp_secret)


def wrong_code(secret: str) -> str:
    """A well-formed code that is not the current one."""
    return "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"


def actions() -> list[str]:
    """The audited actions, oldest first."""
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_token_of_enrolled_staff_needs_a_fresh_code_used_once(client):
    clerk = enrolled_clerk()
    missing = token(client, "clerk")
    assert missing.status_code == 401 and "totp" in missing.json["errors"]
    wrong = token(client, "clerk", totp=wrong_code(secret_of(clerk)))
    assert wrong.status_code == 401 and "totp" in wrong.json["errors"]
    code = pyotp.TOTP(secret_of(clerk)).now()
    assert token(client, "clerk", totp=code).status_code == 200
    replayed = token(client, "clerk", totp=code)
    assert replayed.status_code == 401 and "totp" in replayed.json["errors"]
    assert actions()[-3:] == ["login_failed", "login", "login_failed"]


def test_seekers_need_no_code(client, seeker_user):
    assert token(client, "seeker1").status_code == 200


def test_the_login_page_asks_enrolled_staff_for_the_code_before_the_session_starts(client):
    clerk = enrolled_clerk()
    first = client.post("/login", data={"username": "clerk", "password": PASSWORD})
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code")
    assert "/login" in client.get("/office/").headers["Location"]  # not logged in yet
    wrong = client.post("/login/code", data={"code": "12345x"})
    assert wrong.status_code == 422 and 'id="code-error"' in wrong.get_data(as_text=True)
    code = pyotp.TOTP(secret_of(clerk)).now()
    done = client.post("/login/code", data={"code": code})
    assert done.status_code == 302 and done.headers["Location"].endswith("/office/")
    assert client.get("/office/").status_code == 200
    assert actions()[-1] == "login"


def test_staff_enrol_with_the_secret_shown_and_a_first_code(client):
    clerk = UserFactory(username="clerk", role="office")
    web_login(client, clerk)
    page = client.get("/account/totp")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and "otpauth://totp/" in html
    with client.session_transaction() as session:
        secret = unseal(session["totp_new_secret"])
    assert secret in html
    done = client.post("/account/totp", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    db.session.refresh(clerk)
    assert secret_of(clerk) == secret and actions()[-1] == "totp_enrolled"
    assert secret not in clerk.totp_secret  # sealed at rest


def test_a_wrong_first_code_is_shown_beside_the_field(client):
    clerk = UserFactory(username="clerk", role="office")
    web_login(client, clerk)
    client.get("/account/totp")
    with client.session_transaction() as session:
        secret = unseal(session["totp_new_secret"])
    response = client.post("/account/totp", data={"code": wrong_code(secret)})
    assert response.status_code == 422 and 'id="code-error"' in response.get_data(as_text=True)
    db.session.refresh(clerk)
    assert clerk.totp_secret is None


def test_when_required_staff_without_a_code_app_must_enrol_first(client, ctx, monkeypatch):
    monkeypatch.setitem(ctx.config, "STAFF_TOTP_REQUIRED", True)
    clerk = UserFactory(username="clerk", role="office")
    web_login(client, clerk)
    assert client.get("/office/").headers["Location"].endswith("/account/totp")
    refused = token(client, "clerk")
    assert refused.status_code == 401 and "totp" in refused.json["errors"]
    assert client.get("/account/totp").status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 403  # nor the API with the cookie


def test_when_required_earlier_tokens_of_staff_without_a_code_app_stop_working(
    client, ctx, monkeypatch
):
    UserFactory(username="clerk", role="office")
    bearer = {"Authorization": f"Bearer {token(client, 'clerk').json['token']}"}
    monkeypatch.setitem(ctx.config, "STAFF_TOTP_REQUIRED", True)
    refused = client.get("/api/v1/seekers", headers=bearer)
    assert refused.status_code == 403 and "/account/totp" in refused.json["message"]


def test_an_admin_resets_a_staff_members_code_and_it_is_audited(client, as_admin):
    clerk = enrolled_clerk()
    response = client.delete(f"/api/v1/auth/staff/{clerk.id}/totp", headers=as_admin)
    assert response.status_code == 204
    db.session.refresh(clerk)
    assert clerk.totp_secret is None
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "totp_reset" and event.after["user_id"] == clerk.id
    assert token(client, "clerk").status_code == 200


def test_office_staff_may_not_reset_codes(client, as_wulong_office):
    clerk = enrolled_clerk()
    response = client.delete(f"/api/v1/auth/staff/{clerk.id}/totp", headers=as_wulong_office)
    assert response.status_code == 403


def test_a_lockout_is_audited(client, seeker_user):
    for _ in range(5):
        client.post("/api/v1/auth/token", json={"username": "seeker1", "password": "wrong!"})
    assert actions()[-1] == "login_locked"


def test_a_sealed_secret_opens_after_a_key_rotation_and_not_once_altered(ctx, monkeypatch):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key(), Fernet.generate_key()
    monkeypatch.setitem(ctx.config, "DATA_ENCRYPTION_KEYS", [old])
    sealed = seal("JBSWY3DPEHPK3PXP")
    monkeypatch.setitem(ctx.config, "DATA_ENCRYPTION_KEYS", [new, old])
    assert unseal(sealed) == "JBSWY3DPEHPK3PXP"
    assert unseal(seal("JBSWY3DPEHPK3PXP")) == "JBSWY3DPEHPK3PXP"
    monkeypatch.setitem(ctx.config, "DATA_ENCRYPTION_KEYS", [new])
    with pytest.raises(ValueError):
        unseal(sealed)
    with pytest.raises(ValueError):
        unseal(sealed[:-4] + "AAAA")
