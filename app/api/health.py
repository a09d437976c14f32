"""Health checks for load balancers, systemd and operators.

``/health/live``: the process answers (no I/O). ``/health/ready``: it can serve — the database
answers and its schema is at the migrations' head, Redis answers when ``REDIS_URL`` is set —
else 503 with each failed check named; it also says which ranking indexes this process has
built. ``/api/v1/health`` is the older database check, kept for API clients.
"""

from functools import lru_cache

from flask import Blueprint, current_app
from flask.views import MethodView
from flask_smorest import Blueprint as ApiBlueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, limiter

PREFIX = "/health"
blp = ApiBlueprint("health", __name__, description="Service health")
probes = Blueprint("probes", __name__, url_prefix="/health")
limiter.exempt(probes)


@blp.route("")
class Health(MethodView):
    @blp.doc(security=[])
    def get(self):
        """Report whether the database answers."""
        db.session.execute(text("SELECT 1"))
        return {"status": "ok"}


@probes.get("/live")
def live():
    """The process is up and answering requests."""
    return {"status": "ok"}


@lru_cache(maxsize=1)
def _migration_heads(directory: str) -> frozenset[str]:
    """The head revisions of the migrations shipped with this code, read once."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(directory).get_heads())


def _database() -> str | None:
    """None when the database answers and is migrated to head, else what is wrong."""
    try:
        versions = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError as exc:
        db.session.rollback()
        return f"unreachable ({type(exc.__cause__ or exc).__name__})"
    heads = _migration_heads(current_app.extensions["migrate"].directory)
    if versions != heads:
        return f"schema at {sorted(versions)}, code expects {sorted(heads)}: run flask db upgrade"
    return None


def _redis() -> str | None:
    """None when Redis answers (or is not configured), else what is wrong."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        with Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2) as connection:
            connection.ping()
    except RedisError as exc:
        return f"unreachable ({type(exc).__name__})"
    return None


@probes.get("/ready")
def ready():
    """Whether this process can serve: database, migrations and Redis; 503 naming what failed."""
    failed = {
        name: problem
        for name, check in (("database", _database), ("redis", _redis))
        if (problem := check())
    }
    built = current_app.extensions.get("jianxi.indexes", {})
    body = {
        "status": "unavailable" if failed else "ok",
        "failed": failed,
        "redis": "configured" if current_app.config.get("REDIS_URL") else "not configured",
        "indexes": {name: name in built for name in ("seekers", "postings")},
    }
    return body, 503 if failed else 200
