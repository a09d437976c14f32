"""Accounts: login, registration of seekers and employers, office staff."""

from flask import current_app
from sqlalchemy import select

from app.auth import hash_password, issue_token, verify_password, waste_a_verification
from app.errors import RuleViolation, Unauthorized
from app.extensions import db
from app.models import User
from app.passwords import password_problem
from app.services import login_throttle, totp
from app.services.common import commit, security_event


def check_password(username: str, password: str) -> User:
    """The first step of a login: the active user with these credentials, or 401 (one message).

    A username with five failed logins in a row waits before it may try again (429 with
    ``Retry-After``); every failure is audited with the client's address.
    """
    login_throttle.refuse_if_locked(username)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        waste_a_verification(password)  # as slow as a wrong password: no username enumeration
        _fail(username, user, "no active account")
    if not verify_password(user, password):
        _fail(username, user, "wrong password")
    return user


def _fail(username: str, user: User | None, reason: str, field: str | None = None) -> None:
    """Count and audit a failed login, then refuse it with the generic 401."""
    failures = login_throttle.record_failure(username)
    details = {"username": username[:80], "reason": reason, "failures_in_a_row": failures}
    security_event(user, "login_failed", details)
    if login_throttle.lock_seconds(failures):
        security_event(user, "login_locked", details)
    db.session.commit()
    if field == "totp":
        raise Unauthorized(
            "动态验证码错误或已用过 / the one-time code is wrong or was used already", field=field
        )
    raise Unauthorized("用户名或密码错误 / wrong username or password")


def check_second_factor(username: str, user: User, code: str | None) -> None:
    """The second step for staff with TOTP: 401 naming ``totp`` when the code is missing or wrong."""
    if totp.must_enrol(user):
        raise Unauthorized(
            "请先在网页上登记动态验证码（/account/totp） / enrol a one-time code app at "
            "/account/totp first",
            field="totp",
        )
    if not totp.enrolled(user):
        return
    if not code:
        raise Unauthorized("请填写动态验证码 / the one-time code (totp) is required", field="totp")
    if not totp.check_code(user, code):
        _fail(username, user, "wrong totp", field="totp")


def finish_login(username: str, user: User) -> User:
    """Clear the failures of the name and audit the login (the caller logs the user in)."""
    login_throttle.clear(username)
    security_event(user, "login")
    db.session.commit()  # keeps an upgraded hash too
    return user


def authenticate(username: str, password: str, code: str | None = None) -> User:
    """Return the active user with these credentials (and TOTP code for enrolled staff), or 401."""
    user = check_password(username, password)
    check_second_factor(username, user, code)
    return finish_login(username, user)


def token_for(user: User) -> dict:
    """A bearer token and its lifetime for the user."""
    return {
        "token": issue_token(user),
        "token_type": "Bearer",
        "expires_in": current_app.config["TOKEN_MAX_AGE_SECONDS"],
        "user": user,
    }


def new_user(username: str, password: str, role: str, **fields) -> User:
    """Add a user with an argon2 password hash to the session (the caller commits)."""
    user = User(username=username, password_hash=hash_password(password), role=role, **fields)
    db.session.add(user)
    return user


def change_password(user: User, old: str, new: str) -> None:
    """Change a password after checking the old one; earlier API tokens stop working."""
    if not verify_password(user, old):
        raise Unauthorized("原密码错误 / the current password is wrong")
    if problem := password_problem(new, user.username):
        raise RuleViolation(problem, field="new")
    user.password_hash = hash_password(new)
    user.token_version += 1
    security_event(user, "password_changed")
    commit(what="change password")


def end_sessions(user: User) -> None:
    """End every web session, remember cookie and API token of the user (logout)."""
    user.token_version += 1
    security_event(user, "logout")
    commit(what="end sessions")


def create_staff(actor: User, data: dict) -> User:
    """Create an office or admin account (admins only)."""
    from app.services.common import check_district

    check_district(data.get("office_district"), "office_district")
    user = new_user(
        data["username"],
        data["password"],
        data["role"],
        office_district=data.get("office_district"),
        display_name=data.get("display_name"),
        email=data.get("email"),
    )
    db.session.flush()
    security_event(
        actor,
        "staff_created",
        {"user_id": user.id, "role": user.role, "office_district": user.office_district},
    )
    commit(what="create staff")
    return user
