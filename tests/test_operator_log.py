"""A service started outside the tests logs one readable line per request to stderr."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """
from app import create_app
from app.config import Config

class Plain(Config):
    SQLALCHEMY_DATABASE_URI = "sqlite://"

create_app(Plain).test_client().get("/api/v1/openapi.json")
"""


def test_each_request_is_logged_with_status_time_and_who():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "INFO jianxi.request: GET /api/v1/openapi.json -> 200 (" in done.stderr
    assert "anonymous" in done.stderr
