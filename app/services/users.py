"""Accounts: login, registration of seekers and employers, office staff."""

from flask import current_app
from sqlalchemy import select

from app.auth import hash_password, issue_token, verify_password
from app.errors import Unauthorized
from app.extensions import db
from app.models import User
from app.services.common import commit, log


def authenticate(username: str, password: str) -> User:
    """Return the active user with these credentials, or raise 401 (same message either way)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(user, password):
        log.info("failed login for username length=%d", len(username))
        raise Unauthorized("用户名或密码错误 / wrong username or password")
    db.session.commit()  # keeps an upgraded hash
    return user


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
    user.password_hash = hash_password(new)
    user.token_version += 1
    commit(what="change password")


def end_sessions(user: User) -> None:
    """End every web session, remember cookie and API token of the user (logout)."""
    user.token_version += 1
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
    commit(what="create staff")
    return user
