"""Operator-readable logs: one line per request with who, what and how long; IDs never logged."""

import logging
import time

from flask import Flask, g, request
from flask_login import current_user


def configure_logging(app: Flask) -> None:
    """Log each request as ``METHOD path -> status (ms) user=id role=...``."""
    if not logging.getLogger().handlers:  # a server (gunicorn) or the tests may have set up logging
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    log = logging.getLogger("jianxi.request")

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        elapsed = (time.perf_counter() - started) * 1000 if started else 0.0
        who = (
            f"user={current_user.id} role={current_user.role}"
            if current_user.is_authenticated
            else "anonymous"
        )
        log.info(
            "%s %s -> %s (%.1f ms) %s",
            request.method,
            request.path,
            response.status_code,
            elapsed,
            who,
        )
        return response
