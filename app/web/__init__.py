"""Web pages (Jinja2, Simplified Chinese first with an English switch)."""

from flask import Flask


def register_web(app: Flask) -> None:
    """Register the page blueprints."""
    from app.web.pages import blp

    app.register_blueprint(blp)
