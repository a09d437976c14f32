"""The shipped worker command: ``rq worker -w app.worker.Worker`` builds the indexes once, then runs jobs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask_migrate import upgrade
from redis import Redis
from rq import Queue

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.services.exposure import DistrictLists
from app.services.seeding import seed_districts, seed_occupations
from tests.factories import EmployerFactory, PostingFactory, SeekerFactory

ROOT = Path(__file__).resolve().parents[1]


def _filled_database(path: Path) -> str:
    """A migrated SQLite file with three open posts and ten seekers in district 500156."""
    url = f"sqlite:///{path}"
    app = create_app(type("WorkerConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        upgrade()
        seed_districts()
        seed_occupations()
        host = EmployerFactory()
        for n in range(3):
            PostingFactory(employer=host, kind="job", title=f"会计{n}", description="会计 记账")
        for n in range(10):
            SeekerFactory(summary=f"会计 记账 {n}")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return url


@pytest.mark.redis
def test_worker_prebuilds_then_makes_the_districts_lists(tmp_path, redis_url, queue_name):
    connection = Redis.from_url(redis_url)
    queue, upkeep = (
        Queue(q, connection=connection) for q in (queue_name, f"{queue_name}-background")
    )
    env = {
        **os.environ,
        "DATABASE_URL": _filled_database(tmp_path / "worker.db"),
        "REDIS_URL": redis_url,
        "RQ_QUEUE": queue_name,
        "SECRET_KEY": "worker-test",
        "PYTHONWARNINGS": "ignore",
    }
    try:
        command = ["worker", "-w", "app.worker.Worker", "--burst", "--url", redis_url, queue_name]
        done = subprocess.run(
            [Path(sys.executable).parent / "rq", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, output[-3000:]
        assert "prebuilt before the jobs" in output and "'seekers'" in output
        # At its start it queues the lists of the district with open posts, then makes them.
        assert "exposure lists queued for 1 districts" in output
        assert "exposure lists of district 500156: 3 open posts" in output
        # It takes upkeep (the lists) from the queue beside its own, after its own.
        assert f"Listening on {queue_name}, {queue_name}-background" in output
        assert "Job OK" in output and len(upkeep) == 0
        stored = DistrictLists.from_json(connection.get(f"jianxi:{queue_name}:exposure:500156"))
        assert len(stored.lists) == 3 and all(stored.lists.values())
    finally:
        for emptied in (queue, upkeep):
            emptied.delete(delete_jobs=True)
        for key in connection.scan_iter(f"jianxi:{queue_name}:*"):
            connection.delete(key)
        connection.close()
