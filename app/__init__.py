"""见习 Jianxi: job matching and traineeship placement for Chongqing employment offices."""

from flask import Flask

from app.config import Config


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error handlers and CLI; no I/O."""
    app = Flask(__name__, static_folder="web/static")
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)

    from app.extensions import api, babel, csrf, db, limiter, login, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    api.init_app(app)
    login.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)

    from app.i18n import select_locale

    babel.init_app(app, locale_selector=select_locale)

    from app import (
        auth,  # noqa: F401  (registers the login loaders)
        security_headers,
    )
    from app.api import register_api
    from app.cli import register_cli
    from app.errors import register_error_handlers
    from app.request_log import configure_logging
    from app.web import register_web

    register_api(api)
    register_web(app)
    register_error_handlers(app)
    security_headers.init_app(app)
    register_cli(app)
    configure_logging(app)
    return app
