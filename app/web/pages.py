"""The designed error page, used by ``app.errors`` for every page request that fails."""

import logging

from flask import render_template

log = logging.getLogger(__name__)


def error_page(code: int, message: str | None):
    """Render the error page for a status code, with an optional message."""
    try:
        return render_template("error.html", code=code, message=message), code
    except Exception:
        # The page itself failed (e.g. the database is down): fall back to plain text.
        log.exception("error page failed to render")
        return (
            f"{code} 出错了 / Something went wrong",
            code,
            {"Content-Type": "text/plain; charset=utf-8"},
        )
