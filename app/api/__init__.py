"""REST API under /api/v1 (flask-smorest): one blueprint per aggregate."""

from flask import current_app, request, session
from flask_smorest import Api
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from app.errors import Forbidden
from app.extensions import csrf

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
API_PREFIX = "/api/"


def refuse_cookie_writes_without_csrf() -> None:
    """A write authenticated only by the session cookie needs the page's CSRF token (ASVS V13.2.3).

    Bearer-token clients are not exposed to cross-site requests and need none; a page's own
    scripts send the token in ``X-CSRFToken`` (see base.html).
    """
    if (
        not current_app.config.get("WTF_CSRF_ENABLED", True)
        or not request.path.startswith(API_PREFIX)
        or request.method in SAFE_METHODS
        or request.authorization
        or "_user_id" not in session
    ):
        return
    try:
        validate_csrf(request.headers.get("X-CSRFToken"))
    except ValidationError as err:
        raise Forbidden(
            "用会话 Cookie 写入 API 须带 CSRF 令牌，或改用 Bearer 令牌 / a cookie-authenticated API "
            "write needs the CSRF token (X-CSRFToken) or a bearer token",
            field="X-CSRFToken",
        ) from err


def register_api(api: Api) -> None:
    """Register every API blueprint."""
    from app.api import (
        applications,
        audit,
        auth,
        employers,
        employments,
        health,
        matching,
        placements,
        policy,
        postings,
        programs,
        reference,
        reports,
        seekers,
        settlements,
        traineeships,
    )

    for module in (
        health,
        auth,
        reference,
        employers,
        seekers,
        postings,
        programs,
        applications,
        traineeships,
        employments,
        settlements,
        policy,
        matching,
        placements,
        reports,
        audit,
    ):
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.PREFIX}")
        # Bearer-token writes take no CSRF token; cookie-authenticated ones are checked above.
        csrf.exempt(module.blp)
