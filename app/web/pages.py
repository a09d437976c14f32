"""Public pages and the designed error page."""

from flask import Blueprint, render_template

blp = Blueprint("pages", __name__, template_folder="templates")


@blp.route("/")
def index():
    """Landing page."""
    return render_template("index.html")


def error_page(code: int, message: str | None):
    """Render the error page for a status code, with an optional message."""
    return render_template("error.html", code=code, message=message), code
