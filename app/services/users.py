"""Accounts: login, registration of seekers and employers, office staff."""

from flask import current_app
from sqlalchemy import select

from app.auth import hash_password, issue_token, verify_password, waste_a_verification
from app.errors import RuleViolation, Unauthorized
from app.extensions import db
from app.models import User
from app.passwords import password_problem
from app.services import login_throttle
from app.services.common import commit, security_event


def authenticate(username: str, password: str) -> User:
    """Return the active user with these credentials, or raise 401 (same message either way).

    A username with five failed logins in a row waits before it may try again (429 with
    ``Retry-After``); every success and failure is audited with the client's address.
    """
    login_throttle.refuse_if_locked(username)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        waste_a_verification(password)  # as slow as a wrong password: no username enumeration
        known = None
    else:
        known = user if verify_password(user, password) else None
    if known is None:
        failures = login_throttle.record_failure(username)
        reason = "no active account" if user is None or not user.active else "wrong password"
        security_event(user, "login_failed", {"reason": reason, "failures_in_a_row": failures})
        db.session.commit()
        raise Unauthorized("用户名或密码错误 / wrong username or password")
    login_throttle.clear(username)
    security_event(known, "login")
    db.session.commit()  # keeps an upgraded hash too
    return known


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
