"""Browser fixtures: the service under gunicorn on a free port over a migrated, seeded SQLite file, and Chromium.

The database is built once per run with ``flask db upgrade``, ``flask seed reference`` and
``flask seed demo`` (demo logins use the password ``jianxi-demo``); each xdist worker serves
its own copy. Tests are skipped when Debian's Chromium is not installed.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from filelock import FileLock

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _flask(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def _server_env(database: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "browser-tests",
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("REDIS_URL", None)
    return env


def _demo_database(tmp_path_factory, worker_id: str) -> Path:
    """The seeded demo database, built once for every xdist worker of the run.

    pytest-xdist's recipe for work done once per run: the first worker to take the lock in
    the run's shared temporary folder builds it, the others wait and reuse it.
    """
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent
    built = shared / "browser-demo.db"
    with FileLock(f"{built}.lock"):
        if not built.exists():
            partial = shared / "browser-demo.partial.db"
            partial.unlink(missing_ok=True)
            env = _server_env(partial)
            for command in (("db", "upgrade"), ("seed", "reference"), ("seed", "demo")):
                _flask(env, *command)
            partial.rename(built)
    return built


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, worker_id):
    """Base URL of the service running against its own copy of the seeded demo database."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    folder = tmp_path_factory.mktemp("browser-db")
    shutil.copyfile(_demo_database(tmp_path_factory, worker_id), folder / "jianxi.db")
    env = _server_env(folder / "jianxi.db")
    port = _free_port()
    # The production server with the shipped settings (processes, one thread each; see
    # docs/deployment.md): when a worker dies, the master starts another on the same socket.
    env.update(
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_TIMEOUT="120",
    )
    log = open(folder / "server.log", "w")  # noqa: SIM115 (closed after the server stops)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(base + "/login", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail(
                    f"the server did not start: {(folder / 'server.log').read_text()[-2000:]}"
                )
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser(live_server):
    """Chromium driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """Folder the journeys save their screenshots in."""
    folder = Path(os.environ.get("JIANXI_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {folder}")
    return folder


class Watch:
    """Collect JavaScript errors, console errors and failed requests of a page.

    A request the browser itself aborted (``net::ERR_ABORTED``: the page moved on before a
    script or picture finished loading) is not a fault of the service.
    """

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        page.on(
            "console",
            lambda msg: msg.type == "error" and self.problems.append(f"console: {msg.text}"),
        )
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on(
            "response",
            lambda res: res.status >= 400 and self.problems.append(f"HTTP {res.status}: {res.url}"),
        )

    def _failed(self, request) -> None:
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.method} {request.url} {request.failure}")


@pytest.fixture
def open_page(browser, live_server):
    """Open pages in a fresh context at a given width; fail the test on any JS error or failed request."""
    contexts, watches = [], []

    def opener(width: int = 375, height: int = 812):
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server, locale="zh-CN"
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        contexts.append(context)
        watches.append(Watch(page))
        return page

    yield opener
    problems = [p for w in watches for p in w.problems]
    for context in contexts:
        context.close()
    assert problems == []
