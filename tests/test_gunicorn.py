"""The shipped production server: gunicorn with gunicorn.conf.py serves the app on a migrated SQLite file."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_gunicorn_with_the_shipped_config_serves_health_with_prebuilt_indexes(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'jianxi.db'}",
        "SECRET_KEY": "gunicorn-test",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    status, _ = _get(base + "/health/live")
                    break
                except OSError:
                    assert server.poll() is None, log.read_text()[-3000:]
                    assert time.monotonic() < deadline, log.read_text()[-3000:]
                    time.sleep(0.3)
            assert status == 200
            status, body = _get(base + "/health/ready")
            ready = json.loads(body)
            assert status == 200, ready
            # Built in the master before the workers forked: no worker built its own.
            assert ready["indexes"] == {"seekers": True, "postings": True}
            status, _ = _get(base + "/listings?q=" + quote("张三 110101200105170011"))
            assert status == 200
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    text = log.read_text()
    assert "prebuilt before fork" in text
    assert '"GET /health/live" 200' in text and '"GET /listings" 200' in text
    assert "110101200105170011" not in text and "q=" not in text
