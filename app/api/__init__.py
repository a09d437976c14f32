"""REST API under /api/v1 (flask-smorest): one blueprint per aggregate."""

from flask_smorest import Api

from app.extensions import csrf


def register_api(api: Api) -> None:
    """Register every API blueprint."""
    from app.api import (
        applications,
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
    ):
        api.register_blueprint(module.blp, url_prefix=f"/api/v1{module.PREFIX}")
        # The API authenticates with bearer tokens, not cookies, so it takes no CSRF token.
        csrf.exempt(module.blp)
