"""Domain errors and the one JSON error shape every API error takes.

API errors look like flask-smorest's own: ``{"code": 422, "status": "Unprocessable Entity",
"message": "...", "errors": {"field": ["message"]}}``. Domain messages carry Chinese and English.
"""

import logging

from flask import Flask, jsonify, request
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, MethodNotAllowed

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain refused the request; maps to an HTTP status with a human sentence."""

    code = 422

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        errors: dict | None = None,
        reasons: list[dict] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.errors = errors or ({field: [message]} if field else None)
        self.reasons = reasons


class BadInput(DomainError):
    """The request carries what no field may hold (a NUL byte, a lone surrogate, JSON nested too deep)."""

    code = 400


class NotFound(DomainError):
    """The record does not exist, or the caller may not know that it does."""

    code = 404


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    code = 403


class Unauthorized(DomainError):
    """The caller is not logged in or the token is invalid."""

    code = 401


class Conflict(DomainError):
    """The request clashes with the current state: a duplicate, a full quota, a wrong transition."""

    code = 409


class TooManyRequests(DomainError):
    """A limit on how often something may be done was reached (e.g. invitations per day)."""

    code = 429

    def __init__(self, message: str, *, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class RuleViolation(DomainError):
    """A policy or business rule refuses the request (e.g. not eligible)."""

    code = 422


# Constraint names (see models/base.py naming convention) → (field, message) for 409 bodies.
# SQLite names the columns instead of the constraint, so each entry lists both spellings.
CONSTRAINT_FIELDS = {
    ("uq_employer_credit_code", "employer.credit_code"): (
        "credit_code",
        "该统一社会信用代码已登记 / this credit code is already registered",
    ),
    ("uq_seeker_id_number", "seeker.id_number"): (
        "id_number",
        "该身份证号已登记 / this ID number is already registered",
    ),
    ("uq_user_account_username", "user_account.username"): (
        "username",
        "用户名已被使用 / this username is taken",
    ),
    ("uq_seeker_user_id", "seeker.user_id"): (
        "user_id",
        "该账号已有求职档案 / this account already has a profile",
    ),
    ("uq_application_seeker_id", "application.seeker_id"): (
        "posting_id",
        "已申请过该岗位 / already applied to this posting",
    ),
    ("uq_invitation_posting_id", "invitation.posting_id"): (
        "seeker_id",
        "已邀请此人申请该岗位 / this person was already invited to this post",
    ),
    ("uq_program_key", "program.key"): ("key", "计划代码已存在 / a program with this key exists"),
    ("uq_traineeship_one_active", "traineeship.seeker_id"): (
        "seeker_id",
        "此人已有进行中的见习 / this person already has an active traineeship",
    ),
    ("uq_subsidy_line_traineeship_id", "subsidy_line.traineeship_id"): (
        "month",
        "该月该类补贴已存在 / this subsidy line already exists",
    ),
    ("uq_hiring_subsidy_grant_seeker_id_rulebook_id_rule_id", "hiring_subsidy_grant.seeker_id"): (
        "rule",
        "此人已领取过该项一次性补贴 / this one-off subsidy was already granted to this person",
    ),
    ("ck_program_seats_within_quota", "ck_program_seats_within_quota"): (
        "quota",
        "计划名额已满 / the program's quota is full",
    ),
    ("ck_posting_slots_range", "ck_posting_slots_range"): (
        "slots",
        "岗位名额已满 / the posting has no free slot",
    ),
}


def conflict_from_integrity(err: IntegrityError) -> "Conflict":
    """Turn a database constraint violation into a 409 naming the field when it is a known one."""
    text = str(err.orig)
    for names, (field, message) in CONSTRAINT_FIELDS.items():
        if any(name in text for name in names):
            return Conflict(message, field=field)
    return Conflict("与现有记录冲突 / conflicts with an existing record")


STATUS_NAMES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
# Seconds a client should wait before trying again when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def error_body(
    code: int, message: str, errors: dict | None = None, reasons: list[dict] | None = None
) -> dict:
    """Build the one error shape; a policy refusal adds its structured ``reasons`` (rule, source, fields)."""
    body = {"code": code, "status": STATUS_NAMES.get(code, "Error"), "message": message}
    if errors:
        body["errors"] = errors
    if reasons:
        body["reasons"] = reasons
    return body


def wants_json() -> bool:
    """API paths and JSON clients get JSON errors; browsers get pages."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register_error_handlers(app: Flask) -> None:
    """Map domain errors, integrity errors and HTTP errors to the error shape."""
    from app.extensions import db

    @app.errorhandler(DomainError)
    def handle_domain(err: DomainError):
        db.session.rollback()
        if wants_json():
            response = jsonify(error_body(err.code, err.message, err.errors, err.reasons))
            response.status_code = err.code
        else:
            from app.web.pages import error_page

            response = app.make_response(error_page(err.code, err.message))
        if getattr(err, "retry_after", None):
            response.headers["Retry-After"] = str(err.retry_after)
        return response

    @app.errorhandler(IntegrityError)
    def handle_integrity(err: IntegrityError):
        log.warning("integrity error on %s %s: %s", request.method, request.path, err.orig)
        return handle_domain(conflict_from_integrity(err))

    @app.errorhandler(HTTPException)
    def handle_http(err: HTTPException):
        code = err.code or 500
        if wants_json():
            data = getattr(err, "data", None) or {}
            messages = data.get("messages")
            errors = None
            if messages:
                # webargs nests messages by location ("json", "query"); flatten to fields.
                errors = {}
                for by_field in messages.values():
                    errors.update(by_field if isinstance(by_field, dict) else {"_schema": by_field})
            response = jsonify(
                error_body(code, err.description or STATUS_NAMES.get(code, ""), errors)
            )
            response.status_code = code
        else:
            from app.web.pages import error_page

            response = app.make_response(error_page(code, err.description))
        if isinstance(err, MethodNotAllowed) and err.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(err.valid_methods))
        return response

    @app.teardown_appcontext
    def end_session(_exc: BaseException | None) -> None:
        """End the request's session; a connection the database dropped meanwhile is let go.

        Registered after Flask-SQLAlchemy's own teardown, so it runs first: when PostgreSQL
        restarts just as a page is done, the rollback on the dead connection fails, and the
        page already made is sent rather than turned into a 500.
        """
        try:
            db.session.remove()
        except (OperationalError, InterfaceError) as err:
            log.warning("the database dropped the connection before the session ended: %s", err)
            db.session().invalidate()

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def handle_database_unavailable(err: Exception):
        log.error("database unavailable on %s %s: %s", request.method, request.path, err)
        try:
            db.session.rollback()
        except Exception:  # the connection is gone: nothing to roll back
            log.debug("rollback after a lost connection failed", exc_info=True)
        message = "服务暂时不可用，请稍后再试 / the service is unavailable, try again shortly"
        if wants_json():
            response = jsonify(error_body(503, message))
            response.status_code = 503
        else:
            from app.web.pages import error_page

            response = app.make_response(error_page(503, message))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(err: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error_body(500, "服务器内部错误 / internal server error")), 500
        from app.web.pages import error_page

        return error_page(500, None)
