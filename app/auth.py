"""Passwords (argon2), API tokens and role checks shared by the API and the pages."""

import contextlib
import time
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, request, session
from flask_login import current_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.errors import Forbidden, Unauthorized
from app.extensions import db, login
from app.models import User
from app.services.totp import must_enrol

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """Check a password against the user's hash, upgrading the hash when parameters changed."""
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


@cache
def _unknown_user_hash() -> str:
    return _hasher.hash("no such account")


def waste_a_verification(password: str) -> None:
    """Spend the time a real password check takes, for a username that has no usable account."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_unknown_user_hash(), password)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def issue_token(user: User) -> str:
    """Sign a bearer token for the user; bumping ``token_version`` revokes every earlier token."""
    return _serializer().dumps({"uid": user.id, "v": user.token_version})


def user_from_token(token: str) -> User | None:
    """Return the active user a valid, unexpired token belongs to, or None."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["TOKEN_MAX_AGE_SECONDS"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.token_version != data.get("v"):
        return None
    return user


@login.user_loader
def load_user(user_id: str) -> User | None:
    """Load the session user for Flask-Login, if the session is of the user's current version."""
    uid, _, version = user_id.partition(".")
    if not uid.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(uid))
    if user is None or user.token_version != int(version):
        return None
    return user


def check_session_age() -> None:
    """End a web session idle longer than SESSION_IDLE_MINUTES or older than SESSION_MAX_HOURS.

    A session the user asked to be remembered is bounded by REMEMBER_COOKIE_DURATION instead.
    """
    if request.authorization or "_user_id" not in session or session.get("remember"):
        return
    now = time.time()
    config = current_app.config
    started = session.setdefault("started_at", now)
    seen = session.get("seen_at", now)
    idle = now - seen > 60 * config["SESSION_IDLE_MINUTES"]
    too_old = now - started > 3600 * config["SESSION_MAX_HOURS"]
    if idle or too_old:
        logout_user()
        session.pop("started_at", None)
        session.pop("seen_at", None)
        return
    session["seen_at"] = now


@login.request_loader
def load_user_from_request(req) -> User | None:
    """Authenticate API requests by their ``Authorization: Bearer`` header."""
    header = req.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_from_token(header[7:].strip())
    return None


def actor() -> User | None:
    """The authenticated user of this request, or None for an anonymous visitor."""
    return current_user if current_user.is_authenticated else None


def require_actor() -> User:
    """The authenticated user, or a 401 error (403 for staff who must enrol a TOTP app first)."""
    user = actor()
    if user is None:
        if request.headers.get("Authorization"):
            raise Unauthorized("令牌无效或已过期 / the token is invalid or expired")
        raise Unauthorized("请先登录 / log in first")
    if must_enrol(user):
        raise Forbidden(
            "请先在网页上登记动态验证码（/account/totp） / enrol a one-time code app at "
            "/account/totp first"
        )
    return user


def roles_required(*roles: str) -> Callable:
    """Decorate a view so only users with one of the roles may call it (admins always may)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = require_actor()
            if user.role != "admin" and user.role not in roles:
                raise Forbidden("无权执行此操作 / your role may not do this")
            return view(*args, **kwargs)

        return wrapper

    return decorator


# API writes anyone may send: logging in and registering.
PUBLIC_API_WRITES = frozenset({"auth.Token", "auth.RegisterSeeker", "auth.RegisterEmployer"})


def refuse_anonymous_api_writes() -> None:
    """Authenticate an API write before its body is read (ASVS V13): an anonymous one is a 401."""
    if (
        request.url_rule is not None  # an unknown path or method answers 404 or 405 first
        and request.method in ("POST", "PUT", "PATCH", "DELETE")
        and request.path.startswith("/api/")
        and request.endpoint not in PUBLIC_API_WRITES
    ):
        require_actor()
