"""Fixtures: one app and schema per test run (migrated with Alembic), tables emptied after each test.

The database is ``TEST_DATABASE_URL`` (a throwaway schema is created there for PostgreSQL) or
a temporary SQLite file.
"""

import os
import tempfile
import uuid

# ``-n auto`` runs two workers per core: each computes on one thread. With PyTorch's and the
# BLAS's default (one thread per core) their OpenMP threads spin against each other's and
# the encoder tests ran 13 times slower than alone (8 s → 108 s).
if os.environ.get("PYTEST_XDIST_WORKER"):
    for threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(threads, "1")

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import Config, TestConfig
from app.extensions import db

# Property tests are deterministic and never fail on timing alone (CI machines are shared).
settings.register_profile("jianxi", deadline=None, derandomize=True)
settings.load_profile("jianxi")

REFERENCE_TABLES = {"district", "occupation", "alembic_version"}
# The engine options the service runs with (``pool_pre_ping``: a connection the database
# dropped is replaced, not handed to a request), kept under the test schema's own options.
PRODUCTION_ENGINE_OPTIONS = Config.SQLALCHEMY_ENGINE_OPTIONS


def _database_url() -> tuple[str, dict, str | None]:
    """The test database's URL, engine options and PostgreSQL schema, one of each per process.

    Every pytest-xdist worker runs this once: its own SQLite file or its own schema.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        path = os.path.join(tempfile.mkdtemp(prefix="jianxi-test-"), "test.db")
        return f"sqlite:///{path}", {**PRODUCTION_ENGINE_OPTIONS}, None
    if make_url(url).get_backend_name() == "postgresql":
        schema = f"test_{uuid.uuid4().hex[:12]}"
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        options = {
            "connect_args": {
                "options": f"-csearch_path={schema},public",
                "application_name": schema,
            }
        }
        return url, {**PRODUCTION_ENGINE_OPTIONS, **options}, schema
    return url, {**PRODUCTION_ENGINE_OPTIONS}, None


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: two workers per core, since many tests wait on a browser, gunicorn or PostgreSQL.

    Measured on 2 cores: the PostgreSQL run took 175 s with 2 workers, 131 s with 4.
    """
    return 2 * (os.cpu_count() or 1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``no_database`` every test that does not use the test database (the ``app`` fixture).

    Those (the matching library, the browser journeys on their own SQLite file, the demo
    generator…) give the same result on any database: the README's PostgreSQL run leaves them out.
    """
    for item in items:
        if "app" not in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.no_database)


@pytest.fixture(scope="session")
def app():
    """The application, its database migrated to head and reference data loaded."""
    url, engine_options, schema = _database_url()
    config = type(
        "RunConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": engine_options},
    )
    application = create_app(config)
    with application.app_context():
        from flask_migrate import upgrade

        from app.services.seeding import seed_districts, seed_occupations

        upgrade()
        seed_districts()
        seed_occupations()
    yield application
    with application.app_context():
        db.engine.dispose()
        if schema:
            engine = create_engine(url)
            with engine.begin() as conn:
                # A connection a test left checked out would hold locks on the schema's
                # tables and make the DROP wait for ever. One test does: it fakes a failing
                # rollback on a live connection (tests/web/test_web_database_lost.py); the
                # error is not a disconnect, so SQLAlchemy keeps the connection, and its
                # transaction stays open on the server. A real restart ends the server side.
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :schema AND pid <> pg_backend_pid()"
                    ),
                    {"schema": schema},
                )
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()


@pytest.fixture
def ctx(app):
    """An application context; every non-reference table is emptied afterwards."""
    with app.app_context():
        yield app
        for kept in ("jianxi.indexes", "jianxi.exposure", "jianxi.exposure.fallback"):
            app.extensions.pop(kept, None)
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in REFERENCE_TABLES:
                    conn.execute(table.delete())


class IsolatedClient(FlaskClient):
    """A test client whose every request gets a fresh app context (own ``g`` and session).

    The ``ctx`` fixture keeps an app context open for factories; without this, requests would
    share its ``g`` and the first request's user would stick to every later one.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(ctx):
    """A test client inside a clean database."""
    ctx.test_client_class = IsolatedClient
    return ctx.test_client()


@pytest.fixture
def csrf_client(app, ctx):
    """A client of an app on the same database with CSRF protection on, as in production."""
    config = type(
        "CsrfConfig",
        (TestConfig,),
        {
            "WTF_CSRF_ENABLED": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        },
    )
    guarded = create_app(config)
    yield guarded.test_client()
    with guarded.app_context():
        db.engine.dispose()


@pytest.fixture
def redis_url() -> str:
    """The test Redis's URL; the test is skipped without one."""
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    connection = Redis.from_url(url)
    try:
        connection.ping()
    except RedisConnectionError:
        pytest.skip("Redis is not running")
    finally:
        connection.close()
    return url


@pytest.fixture
def queue_name() -> str:
    """A queue name of the test's own, so that parallel tests never take each other's jobs."""
    return f"jianxi-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def redis_queue(app, monkeypatch, redis_url, queue_name):
    """A queue of its own on the test Redis (skipped without one), which the app's jobs go to."""
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.setitem(app.config, "RQ_QUEUE", queue_name)
    # The worker builds its app with create_app(); here it must reach the test database.
    monkeypatch.setattr("app.jobs.create_app", lambda: app)
    connection = Redis.from_url(redis_url)
    queue = Queue(queue_name, connection=connection)
    yield queue
    queue.delete(delete_jobs=True)
    connection.close()
