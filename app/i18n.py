"""Locale selection: an explicit choice (cookie or ?lang=), then the browser, then Chinese."""

from flask import current_app, request
from flask_login import current_user


def select_locale() -> str:
    """Pick zh_CN or en for this request."""
    supported = current_app.config["BABEL_SUPPORTED_LOCALES"]
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in supported:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    return (
        request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
