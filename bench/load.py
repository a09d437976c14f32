"""Load test: 50 users with no think time against gunicorn on PostgreSQL with a city's data.

``python bench/load.py [--postings 100000] [--seekers 200000] [--users 50] [--seconds 60]
[--database jianxi_load] [--keep | --reuse] [--only KIND]``

1. Creates a database ``jianxi_load`` (``--database``) on ``--pg-url``'s server (dropped at
   the end unless ``--keep``), migrates it, loads the reference lists and fills it:
   synthetic postings as ``bench/search.py`` makes them (85 % published) and seekers
   inserted in batches, 20 of them with a login.
2. Starts the production server: gunicorn with ``gunicorn.conf.py`` (its workers, one
   thread each, indexes prebuilt before forking), ``RATELIMIT_DEFAULT`` raised so that the users, who all
   come from one address here, measure the service rather than the per-address limiter.
3. Runs ``--users`` threads for ``--seconds``, each picking its next request at random with
   the mix of issue 23: listing searches with Chinese keywords 40 %, API search 20 %, posting
   pages 20 %, home 10 %, a logged-in seeker's pages (recommendations, applications,
   profile) 10 %. Prints, per kind and overall, the count, errors, p50 / p95 / p99 and
   requests per second, and the load average before and after; then, from the app's request
   log, the time the app itself took per kind (without the wait for a free server thread)
   and the workers that died.
"""

import argparse
import datetime as dt
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import click
import requests
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import fill, migrated_app

from app.auth import hash_password
from app.extensions import db
from app.models import Posting, Seeker, User

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "jianxi_load"
PASSWORD = "load-test-Passw0rd!"
LOGINS = 20
BATCH = 5000
KEYWORDS = ["会计", "软件测试", "仓库", "销售", "护士", "电工", "客服", "Python", "厨师", "司机"]
MIX = (
    ("listing search", 40),
    ("API search", 20),
    ("posting page", 20),
    ("home", 10),
    ("seeker pages", 10),
)
SEEKER_PAGES = ("/me/recommended", "/me/applications", "/me/profile")


def _server_url(pg_url: str, database: str) -> str:
    return make_url(pg_url).set(database=database).render_as_string(hide_password=False)


def _recreate(pg_url: str, database: str) -> str:
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return _server_url(pg_url, database)


def _drop(pg_url: str, database: str) -> None:
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


def _seekers(count: int, seed: int = 2026) -> None:
    """Insert seekers in batches; the first ``LOGINS`` get a seeker login."""
    rng = random.Random(seed)
    codes = [c for c in db.session.scalars(select(Posting.occupation_code).distinct()) if c]
    districts = ["500156", "500101", "500103", "500105", "500106", "500112", "500109"]
    summaries = ["软件测试 Python SQL", "仓库管理 Excel 叉车", "会计 财务报表", "销售 客户服务"]
    table = Seeker.__table__
    with click.progressbar(length=count, label="seekers") as bar:
        for start in range(0, count, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, count)):
                rows.append(
                    {
                        "name": f"求职者{i}",
                        "id_number": f"L{i:017d}",
                        "birth_date": dt.date(1995 + i % 8, 1 + i % 12, 1 + i % 28),
                        "education": rng.choice(["junior_college", "bachelor", "master"]),
                        "district_code": rng.choice(districts),
                        "hukou_district": rng.choice(districts),
                        "graduation_date": dt.date(2023, 6, 30),
                        "summary": rng.choice(summaries),
                        "skills": ["Python", "Excel"][: 1 + i % 2],
                        "desired_occupations": [rng.choice(codes)],
                        "desired_districts": [],
                        "education_history": [],
                        "work_history": [],
                        "priority_groups": [],
                        "confirmed_facts": {},
                        "visible": True,
                        "employed": False,
                        "disability": False,
                    }
                )
            db.session.execute(insert(table), rows)
            db.session.commit()
            bar.update(len(rows))
    hashed = hash_password(PASSWORD)
    first = db.session.scalars(select(Seeker).order_by(Seeker.id).limit(LOGINS)).all()
    for n, seeker in enumerate(first):
        user = User(username=f"load{n}", password_hash=hashed, role="seeker")
        db.session.add(user)
        db.session.flush()
        seeker.user_id = user.id
    db.session.commit()


def published_ids(url: str) -> list[int]:
    """The ids of the published postings of an existing load database."""
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = list(conn.scalars(select(Posting.id).where(Posting.status == "published")))
    engine.dispose()
    return ids


def build(pg_url: str, database: str, postings: int, seekers: int) -> tuple[str, list[int]]:
    """Create and fill the load database; its URL and the ids of published postings."""
    url = _recreate(pg_url, database)
    app = migrated_app(url)
    with app.app_context():
        started = time.perf_counter()
        fill(postings)
        _seekers(seekers)
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        published = list(
            db.session.scalars(select(Posting.id).where(Posting.status == "published"))
        )
        counts = {
            "postings": db.session.scalar(select(func.count(Posting.id))),
            "published": len(published),
            "seekers": db.session.scalar(select(func.count(Seeker.id))),
        }
        click.echo(f"filled in {time.perf_counter() - started:.0f} s: {counts}")
        db.session.remove()
        db.engine.dispose()
    return url, published


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, log: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn with the shipped settings on a free port; returns once it answers."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "load-test-secret-key-long-enough-0123456789",
        "JIANXI_ENV": "production",
        "SESSION_COOKIE_SECURE": "0",
        "STAFF_TOTP_REQUIRED": "0",
        "RATELIMIT_DEFAULT": "100000 per minute",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOGLEVEL": "warning",
        "PYTHONWARNINGS": "ignore",
    }
    env.pop("REDIS_URL", None)
    out = open(log, "w")  # noqa: SIM115 (the server's log, open while it runs)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(base + "/health/ready", timeout=5):
                break
        except OSError:
            if server.poll() is not None or time.perf_counter() - started > 900:
                server.kill()
                raise SystemExit(f"the server did not start; see {log}") from None
            time.sleep(1)
    click.echo(f"gunicorn ready in {time.perf_counter() - started:.0f} s")
    return server, base


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    done = session.post(
        base + "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    if done.status_code != 302:
        raise SystemExit(f"login of {username} failed: HTTP {done.status_code}")
    return session


class Person:
    """One simulated person: their own HTTP session (and login), requests drawn from the mix."""

    def __init__(
        self,
        base: str,
        published: list[int],
        login: requests.Session,
        seed: int,
        kinds: tuple[str, ...],
    ):
        self.base, self.published, self.login = base, published, login
        self.anonymous = requests.Session()
        self.rng = random.Random(seed)
        self.kinds = [k for k, w in MIX for _ in range(w) if k in kinds]

    def request(self) -> tuple[str, requests.Response]:
        kind = self.rng.choice(self.kinds)
        word = self.rng.choice(KEYWORDS)
        if kind == "listing search":
            return kind, self.anonymous.get(f"{self.base}/listings", params={"q": word}, timeout=30)
        if kind == "API search":
            url = f"{self.base}/api/v1/postings"
            return kind, self.anonymous.get(url, params={"q": word}, timeout=30)
        if kind == "posting page":
            posting = self.rng.choice(self.published)
            return kind, self.anonymous.get(f"{self.base}/listings/{posting}", timeout=30)
        if kind == "home":
            return kind, self.anonymous.get(f"{self.base}/", timeout=30)
        page = self.rng.choice(SEEKER_PAGES)
        return f"seeker pages {page}", self.login.get(self.base + page, timeout=30)


def run_users(
    base: str, published: list[int], users: int, seconds: float, kinds: tuple[str, ...]
) -> dict:
    """Run the users for the time given; per kind the latencies (s) and the errors."""
    logins = [_login(base, f"load{n}") for n in range(LOGINS)]
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def work(n: int) -> None:
        person = Person(base, published, logins[n % LOGINS], seed=n, kinds=kinds)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                kind, response = person.request()
                ok = response.status_code == 200
                problem = f"HTTP {response.status_code}"
            except requests.RequestException as exc:
                kind, ok, problem = "failed", False, type(exc).__name__
            took = time.perf_counter() - started
            with lock:
                timings[kind].append(took)
                if not ok:
                    errors[kind].append(problem)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"timings": timings, "errors": errors, "seconds": time.perf_counter() - started}


def _q(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(result: dict) -> None:
    """Print count, errors, p50 / p95 / p99 per kind and overall, and the request rate."""
    timings, errors, seconds = result["timings"], result["errors"], result["seconds"]
    everything = [t for values in timings.values() for t in values]
    click.echo(f"{'kind':<34}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in sorted(timings):
        values = timings[kind]
        click.echo(
            f"{kind:<34}{len(values):>7}{len(errors.get(kind, [])):>8}"
            f"{statistics.median(values) * 1000:>9.0f}{_q(values, 0.95):>9.0f}{_q(values, 0.99):>9.0f}"
        )
    total_errors = sum(len(e) for e in errors.values())
    click.echo(
        f"{'all':<34}{len(everything):>7}{total_errors:>8}"
        f"{statistics.median(everything) * 1000:>9.0f}{_q(everything, 0.95):>9.0f}"
        f"{_q(everything, 0.99):>9.0f}"
    )
    click.echo(f"{len(everything) / seconds:.1f} requests/s over {seconds:.0f} s")
    for kind, problems in errors.items():
        click.echo(f"  errors of {kind}: {sorted(set(problems))[:5]}")


_REQUEST_LINE = re.compile(r"jianxi\.request: GET (\S+) -> (\d+) \(([\d.]+) ms\)")


def _server_kind(path: str) -> str | None:
    """The request kind of a path the users ask for (None for start-up and login requests)."""
    if path == "/listings":
        return "listing search"
    if path.startswith("/listings/"):
        return "posting page"
    if path == "/api/v1/postings":
        return "API search"
    if path == "/":
        return "home"
    return f"seeker pages {path}" if path in SEEKER_PAGES else None


def server_report(log: Path) -> None:
    """Print the time the app itself took per kind (its request log) and the workers that died.

    The users' times above include waiting for a free server thread; these do not.
    """
    times: dict[str, list[float]] = defaultdict(list)
    text = log.read_text(encoding="utf-8", errors="replace")
    for path, _status, ms in _REQUEST_LINE.findall(text):
        kind = _server_kind(path)
        if kind:
            times[kind].append(float(ms) / 1000)
    click.echo(
        f"{'in the app (request log)':<34}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for kind in sorted(times):
        values = times[kind]
        click.echo(
            f"{kind:<34}{len(values):>7}{statistics.median(values) * 1000:>9.0f}"
            f"{_q(values, 0.95):>9.0f}{_q(values, 0.99):>9.0f}"
        )
    died = re.findall(r"Worker \(pid:\d+\) was sent (\w+)", text)
    click.echo(f"workers that died: {len(died)} {sorted(set(died))} (see {log})")


def main() -> None:
    """Build the data, start the server, run the users, report, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--seekers", type=int, default=200_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--database", default=DATABASE, help="the load database to fill or reuse")
    parser.add_argument("--keep", action="store_true", help="keep the load database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="run against the database a --keep run left (no fill)"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[kind for kind, _ in MIX],
        help="run only these kinds of request (repeatable; default: the whole mix)",
    )
    args = parser.parse_args()
    if args.reuse:
        url = _server_url(args.pg_url, args.database)
        published = published_ids(url)
    else:
        url, published = build(args.pg_url, args.database, args.postings, args.seekers)
    log = Path(f"/tmp/{args.database}-gunicorn.log")
    server, base = start_server(url, log)
    try:
        click.echo(f"load average before: {os.getloadavg()}")
        kinds = tuple(args.only or (kind for kind, _ in MIX))
        result = run_users(base, published, args.users, args.seconds, kinds)
        click.echo(f"load average after: {os.getloadavg()}")
        report(result)
    finally:
        server.terminate()
        server.wait(timeout=60)
        server_report(log)
        if not (args.keep or args.reuse):
            _drop(args.pg_url, args.database)


if __name__ == "__main__":
    main()
