"""见习 Jianxi: job matching and traineeship placement for Chongqing employment offices."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import DEVELOPMENT_SECRET, Config


def _check_secret(app: Flask) -> None:
    """Refuse to run outside development and tests with the development secret (or none)."""
    if app.testing or app.config["JIANXI_ENV"] == "development":
        return
    secret = app.config.get("SECRET_KEY") or ""
    if secret == DEVELOPMENT_SECRET or len(secret) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a long random value (at least 32 characters) outside "
            "development: export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')"
        )


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error handlers and CLI; no I/O."""
    app = Flask(__name__, static_folder="web/static")
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    _check_secret(app)
    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from app.extensions import api, babel, csrf, db, limiter, login, migrate
    from app.request_guard import register_request_guard

    register_request_guard(app)  # before any route is added: it bounds ``<int:...>``
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    api.init_app(app)
    login.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from app.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)

    from app import auth, security_headers  # auth also registers the login loaders
    from app.api import refuse_cookie_writes_without_csrf, register_api
    from app.cli import register_cli
    from app.errors import register_error_handlers
    from app.request_log import configure_logging
    from app.web import register_web

    register_api(api)
    from app.api.health import probes

    app.register_blueprint(probes)
    register_web(app)
    register_error_handlers(app)
    security_headers.init_app(app)
    app.before_request(auth.check_session_age)
    app.before_request(auth.refuse_anonymous_api_writes)
    app.before_request(refuse_cookie_writes_without_csrf)
    register_cli(app)
    configure_logging(app)
    return app
