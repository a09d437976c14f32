"""Domain errors and the one JSON error shape every API error takes.

API errors look like flask-smorest's own: ``{"code": 422, "status": "Unprocessable Entity",
"message": "...", "errors": {"field": ["message"]}}``. Domain messages carry Chinese and English.
"""

import logging

from flask import Flask, jsonify, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain refused the request; maps to an HTTP status with a human sentence."""

    code = 422

    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or ({field: [message]} if field else None)


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


class RuleViolation(DomainError):
    """A policy or business rule refuses the request (e.g. not eligible)."""

    code = 422


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
}


def error_body(code: int, message: str, errors: dict | None = None) -> dict:
    """Build the one error shape."""
    body = {"code": code, "status": STATUS_NAMES.get(code, "Error"), "message": message}
    if errors:
        body["errors"] = errors
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
            return jsonify(error_body(err.code, err.message, err.errors)), err.code
        from app.web.pages import error_page

        return error_page(err.code, err.message)

    @app.errorhandler(IntegrityError)
    def handle_integrity(err: IntegrityError):
        db.session.rollback()
        log.warning("integrity error on %s %s: %s", request.method, request.path, err.orig)
        message = "与现有记录冲突 / conflicts with an existing record"
        if wants_json():
            return jsonify(error_body(409, message)), 409
        from app.web.pages import error_page

        return error_page(409, message)

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
            return jsonify(error_body(code, err.description or STATUS_NAMES.get(code, ""), errors)), code
        from app.web.pages import error_page

        return error_page(code, err.description)

    @app.errorhandler(Exception)
    def handle_unexpected(err: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return jsonify(error_body(500, "服务器内部错误 / internal server error")), 500
        from app.web.pages import error_page

        return error_page(500, None)
