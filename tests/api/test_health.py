"""Liveness and readiness probes: what they check, 503 when the database is gone, and recovery."""

import gc
import os
import uuid

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import TestConfig
from app.extensions import db


def _app_on(url: str, engine_options: dict):
    config = type(
        "ProbeConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options},
    )
    return create_app(config)


def test_live_and_ready_on_a_migrated_database(client):
    assert client.get("/health/live").json == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json["status"] == "ok" and ready.json["failed"] == {}
    assert ready.json["indexes"] == {"seekers": False, "postings": False}


def test_ready_names_a_schema_behind_the_code(client):
    (version,) = db.session.execute(text("SELECT version_num FROM alembic_version")).one()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.session.commit()
    try:
        ready = client.get("/health/ready")
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": version})
        db.session.commit()
    assert ready.status_code == 503
    assert "run flask db upgrade" in ready.json["failed"]["database"]


def test_ready_checks_redis_when_configured(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    down = client.get("/health/ready")
    assert down.status_code == 503 and down.json["failed"]["redis"].startswith("unreachable")
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        Redis.from_url(url).ping()
    except RedisConnectionError:
        pytest.skip("Redis is not running")
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    assert client.get("/health/ready").status_code == 200


def test_database_unreachable_is_503_while_the_process_lives(tmp_path):
    gone = _app_on(f"sqlite:///{tmp_path / 'no-such-folder' / 'jianxi.db'}", {})
    client = gone.test_client()
    assert client.get("/health/live").status_code == 200
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json["failed"]["database"].startswith("unreachable")
    with gone.app_context():
        db.engine.dispose()


@pytest.mark.postgres
# The connections PostgreSQL ended cannot be closed cleanly: psycopg warns when they are reclaimed,
# which this test forces at its end so the warning is not blamed on a later test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_service_recovers_by_itself_after_its_connections_are_killed(app, ctx):
    """PostgreSQL ends every connection of the service (as on a restart): the next request works."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if make_url(url).get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")
    name = f"jianxi-recovery-{uuid.uuid4().hex[:8]}"
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    options["connect_args"] = {**options.get("connect_args", {}), "application_name": name}
    service = _app_on(url, options)
    client = service.test_client()
    assert client.get("/health/ready").status_code == 200
    assert client.get("/api/v1/districts").status_code == 200

    killer = create_engine(url)
    with killer.begin() as conn:
        killed = conn.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = :name"
            ),
            {"name": name},
        )
    killer.dispose()
    assert killed >= 1

    assert client.get("/health/ready").status_code == 200
    assert client.get("/api/v1/districts").status_code == 200
    with service.app_context():
        db.engine.dispose()
    gc.collect()
