"""Operator-readable logs: one line per request with who, what and how long; IDs never logged."""

import logging
import time

from flask import Flask, g, request
from sqlalchemy import inspect


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
        log.info(
            "%s %s -> %s (%.1f ms) %s",
            request.method,
            request.path,
            response.status_code,
            elapsed,
            _who(),
        )
        return response


def _who() -> str:
    """``user=ID role=ROLE`` of the user the request loaded, else ``anonymous``; never a query.

    A request whose database went away (a PostgreSQL restart) has rolled back, which expires
    the user: reloading it here would fail again and turn the 503 into a 500.
    """
    state = inspect(g.get("_login_user"), raiseerr=False)
    if state is None or state.identity is None:
        return "anonymous"
    return f"user={state.identity[0]} role={state.dict.get('role', '?')}"
