"""Load test: 50 users with no think time against gunicorn on PostgreSQL with a city's data.

``python bench/load.py [--postings 100000] [--seekers 200000] [--users 50] [--seconds 60]
[--database jianxi_load] [--keep | --reuse] [--only KIND] [--restart-postgres-at SECONDS]``

1. Creates a database ``jianxi_load`` (``--database``) on ``--pg-url``'s server (dropped at
   the end unless ``--keep``), migrates it, loads the reference lists and fills it:
   synthetic postings as ``bench/search.py`` makes them (85 % published) and seekers
   inserted in batches, 20 of them with a login; an employer login owning the postings of
   one employer and an office login for district 500156.
2. Starts the production stack: gunicorn with ``gunicorn.conf.py`` (its workers, one thread
   each, indexes prebuilt before forking) and one RQ worker, both on ``--redis-url`` (its own
   queue), ``RATELIMIT_DEFAULT`` raised so that the users, who all come from one address
   here, measure the service rather than the per-address limiter.
3. Runs ``--users`` threads for ``--seconds``, each picking its next request at random with
   the mix of issue 23: listing searches with Chinese keywords 40 %, API search 20 %, posting
   pages 20 %, home 10 %, a logged-in seeker's pages (recommendations, applications,
   profile) 10 %, and on top of those (weight 5 of 105) a logged-in seeker applying to a
   published posting with the application form. Beside them one staff thread opens, as the
   employer, the candidates page of one of their postings, then, as the office, starts a
   match report with the office's form and polls it as its page does until it is done;
   another polls ``/health/ready`` twice a second. With ``--restart-postgres-at`` PostgreSQL
   is restarted (``pg_ctlcluster``) that many seconds into the run.
4. Prints, per kind and overall, the count, errors, p50 / p95 / p99 and requests per second,
   and the load average before and after; the staff thread's times and outcomes; around the
   restart, the errors (kinds, statuses), the time to the last error and to the first
   success after it, and whether ``/health/ready`` and every worker came back; then, from
   the app's request log, the time the app itself took per kind (without the wait for a free
   server thread), the exceptions it logged and the workers that died; last, the recount of
   the applications from the database (every one answered as sent exists once with its
   history row, none that failed was written, none exists without its history).
"""

import argparse
import datetime as dt
import html
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
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import click
import requests
from sqlalchemy import create_engine, exists, func, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import fill, migrated_app

from app.auth import hash_password
from app.extensions import db
from app.models import Application, ApplicationEvent, Posting, Seeker, User

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "jianxi_load"
PASSWORD = "load-test-Passw0rd!"
LOGINS = 20
BATCH = 5000
EMPLOYER_LOGIN = "load-employer"
OFFICE_LOGIN = "load-office"
OFFICE_DISTRICT = "500156"
STAFF_AT = 2.0  # seconds into the run when the staff thread starts
STAFF_ADDRESS = "10.23.0.7"
WORKER_COMMAND = ("worker", "-w", "app.worker.Worker")  # the shipped worker: indexes built once
RESTART = "pg_ctlcluster --skip-systemctl-redirect {version} main restart"
KEYWORDS = ["会计", "软件测试", "仓库", "销售", "护士", "电工", "客服", "Python", "厨师", "司机"]
MIX = (
    ("listing search", 40),
    ("API search", 20),
    ("posting page", 20),
    ("home", 10),
    ("seeker pages", 10),
    ("apply", 5),
)
SEEKER_PAGES = ("/me/recommended", "/me/applications", "/me/profile")
APPLY_PATH = "/me/applications"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
RUN_STATUS = re.compile(r'class="status status-(\w+)"')


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


def _staff() -> None:
    """Add the employer login (the employer of the first published posting) and the office login."""
    employer_id = db.session.scalar(
        select(Posting.employer_id)
        .where(Posting.status == "published")
        .order_by(Posting.id)
        .limit(1)
    )
    hashed = hash_password(PASSWORD)
    db.session.add_all(
        [
            User(
                username=EMPLOYER_LOGIN,
                password_hash=hashed,
                role="employer",
                employer_id=employer_id,
            ),
            User(
                username=OFFICE_LOGIN,
                password_hash=hashed,
                role="office",
                office_district=OFFICE_DISTRICT,
            ),
        ]
    )
    db.session.commit()


def run_inputs(url: str) -> dict:
    """What a run needs from the load database.

    The published postings, those nobody applied to yet (the users apply to these), a
    published posting of the employer login and the number of applications stored.
    """
    engine = create_engine(url)
    with engine.connect() as conn:
        published = list(
            conn.scalars(
                select(Posting.id).where(Posting.status == "published").order_by(Posting.id)
            )
        )
        applied = set(conn.scalars(select(Application.posting_id).distinct()))
        # Two posts of the employer in one district: the first view makes the district's
        # exposure lists, the second (on any worker) reads them from Redis.
        own = conn.execute(
            select(Posting.id, Posting.district_code)
            .join(User, User.employer_id == Posting.employer_id)
            .where(User.username == EMPLOYER_LOGIN, Posting.status == "published")
            .order_by(Posting.id)
        ).all()
        employer_postings = [p.id for p in own if p.district_code == own[0].district_code][:2]
        applications = conn.scalar(select(func.count(Application.id)))
    engine.dispose()
    return {
        "published": published,
        "fresh": [p for p in published if p not in applied],
        "employer_postings": employer_postings,
        "applications": applications,
    }


def build(pg_url: str, database: str, postings: int, seekers: int) -> str:
    """Create and fill the load database; its URL."""
    url = _recreate(pg_url, database)
    app = migrated_app(url)
    with app.app_context():
        started = time.perf_counter()
        fill(postings)
        _seekers(seekers)
        _staff()
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        counts = {
            "postings": db.session.scalar(select(func.count(Posting.id))),
            "published": db.session.scalar(
                select(func.count(Posting.id)).where(Posting.status == "published")
            ),
            "seekers": db.session.scalar(select(func.count(Seeker.id))),
        }
        click.echo(f"filled in {time.perf_counter() - started:.0f} s: {counts}")
        db.session.remove()
        db.engine.dispose()
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    url: str, redis_url: str, log: Path
) -> tuple[subprocess.Popen, subprocess.Popen, str]:
    """gunicorn with the shipped settings on a free port and one RQ worker; once it answers."""
    port = _free_port()
    queue = f"jianxi-load-{port}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "RQ_QUEUE": queue,
        "SECRET_KEY": "load-test-secret-key-long-enough-0123456789",
        "JIANXI_ENV": "production",
        "SESSION_COOKIE_SECURE": "0",
        "STAFF_TOTP_REQUIRED": "0",
        "RATELIMIT_DEFAULT": "100000 per minute",
        # The staff come from their own address (STAFF_ADDRESS, as nginx would forward it):
        # the 20 seekers' logins use up the per-address login limit of 127.0.0.1.
        "TRUSTED_PROXIES": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOGLEVEL": "warning",
        "PYTHONWARNINGS": "ignore",
    }
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
    worker_log = open(log.with_suffix(".rq.log"), "w")  # noqa: SIM115 (open while it runs)
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "rq"), *WORKER_COMMAND, "--url", redis_url, queue],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
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
                worker.kill()
                raise SystemExit(f"the server did not start; see {log}") from None
            time.sleep(1)
    click.echo(f"gunicorn ready in {time.perf_counter() - started:.0f} s")
    return server, worker, base


def _token(page: str) -> str:
    """The CSRF token of a page's first form."""
    found = CSRF.search(page) or re.search(r'name="csrf_token" value="([^"]+)"', page)
    return found.group(1)


def _login(base: str, username: str, address: str | None = None) -> tuple[requests.Session, str]:
    """A logged-in session (from ``address`` if given) and the CSRF token its forms carry."""
    session = requests.Session()
    if address:
        session.headers["X-Forwarded-For"] = address
    page = session.get(base + "/login", timeout=30).text
    done = session.post(
        base + "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": _token(page)},
        allow_redirects=False,
        timeout=30,
    )
    if done.status_code != 302:
        raise SystemExit(f"login of {username} failed: HTTP {done.status_code}")
    return session, _token(session.get(base + "/", timeout=30).text)


@dataclass
class Outcome:
    """One request of a user: its kind, when it started and ended (s into the run), how it went."""

    kind: str
    started: float
    ended: float
    ok: bool
    problem: str
    login: str | None = None
    posting_id: int | None = None


def _applied(response: requests.Response) -> tuple[bool, str]:
    """Whether the application form answered as sent (a redirect to the applications page)."""
    if response.status_code != 302:
        return False, f"HTTP {response.status_code}"
    target = response.headers.get("Location", "").split("?")[0]
    if target.endswith(APPLY_PATH):
        return True, ""
    return False, f"HTTP 302 to {target}"


class Person:
    """One simulated person: their own HTTP session (and login), requests drawn from the mix."""

    def __init__(
        self,
        base: str,
        published: list[int],
        login: tuple[str, requests.Session, str],
        to_apply: list[int],
        seed: int,
        kinds: tuple[str, ...],
    ):
        self.base, self.published = base, published
        self.username, self.login, self.token = login
        self.to_apply = to_apply
        self.anonymous = requests.Session()
        self.rng = random.Random(seed)
        self.kinds = [k for k, w in MIX for _ in range(w) if k in kinds]

    def request(self, started: float) -> Outcome:
        """Make the next request of the mix; its outcome (times relative to ``started``)."""
        kind = self.rng.choice(self.kinds)
        if kind == "apply" and not self.to_apply:
            kind = "posting page"
        if kind == "seeker pages":
            kind = f"seeker pages {self.rng.choice(SEEKER_PAGES)}"
        begun = time.perf_counter()
        login = posting = None
        try:
            if kind == "apply":
                login, posting = self.username, self.to_apply.pop()
                response = self.login.post(
                    self.base + APPLY_PATH,
                    data={"posting_id": posting, "note": "", "csrf_token": self.token},
                    allow_redirects=False,
                    timeout=30,
                )
                ok, problem = _applied(response)
            else:
                response = self._get(kind)
                ok, problem = response.status_code == 200, f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            ok, problem = False, type(exc).__name__
        ended = time.perf_counter()
        return Outcome(kind, begun - started, ended - started, ok, problem, login, posting)

    def _get(self, kind: str) -> requests.Response:
        word = self.rng.choice(KEYWORDS)
        if kind == "listing search":
            return self.anonymous.get(f"{self.base}/listings", params={"q": word}, timeout=30)
        if kind == "API search":
            url = f"{self.base}/api/v1/postings"
            return self.anonymous.get(url, params={"q": word}, timeout=30)
        if kind == "posting page":
            posting = self.rng.choice(self.published)
            return self.anonymous.get(f"{self.base}/listings/{posting}", timeout=30)
        if kind == "home":
            return self.anonymous.get(f"{self.base}/", timeout=30)
        return self.login.get(self.base + kind.removeprefix("seeker pages "), timeout=30)


def staff_work(
    base: str,
    employer: requests.Session,
    office: requests.Session,
    posting_ids: list[int],
    started: float,
    wait: float,
) -> dict:
    """As the office start a match report, as the employer open the candidates of each posting
    in turn, then follow the report to its end.

    The report is started with the office's form (it runs on the RQ worker) and polled as its
    page does (every 2 s) until it is done or failed, at most ``wait`` seconds. Times are
    seconds into the run.
    """
    time.sleep(max(0.0, started + STAFF_AT - time.perf_counter()))
    form = office.get(base + "/office/reports/match", timeout=60)
    begun = time.perf_counter()
    posted = office.post(
        base + "/office/reports/match",
        data={
            "csrf_token": _token(form.text),
            "district_code": OFFICE_DISTRICT,
            "program_id": "",
            "k": 10,
            "max_lists": 3,
            "below_education": "last",
        },
        allow_redirects=False,
        timeout=60,
    )
    run = re.search(r"/office/reports/match/(\d+)$", posted.headers.get("Location", ""))
    report = {"at": begun - started, "status": f"not started (HTTP {posted.status_code})"}
    pages = [_candidates(base, employer, posting, started) for posting in posting_ids]
    found = {"report": report, "candidates": pages}
    if run is None:
        return found
    report.update(run=int(run.group(1)), status="queued", failed_polls=Counter())
    while report["status"] not in ("done", "failed") and time.perf_counter() < begun + wait:
        time.sleep(2)
        try:
            poll = office.get(f"{base}/office/reports/match/{run.group(1)}/status", timeout=30)
        except requests.RequestException as exc:
            report["failed_polls"][type(exc).__name__] += 1
            continue
        if poll.status_code != 200:
            report["failed_polls"][f"HTTP {poll.status_code}"] += 1
            continue
        report["status"] = RUN_STATUS.search(poll.text).group(1)
        error = re.search(r'notice-error">(.*?)</p>', poll.text, re.S)
        said = html.unescape(re.sub(r"<[^>]+>", "", error.group(1))) if error else ""
        report["error"] = said.strip().splitlines()[0] if said.strip() else None
    report["took"] = time.perf_counter() - begun
    return found


def _candidates(base: str, employer: requests.Session, posting_id: int, started: float) -> dict:
    """Open the candidates page of the employer's posting: when, how long, the answer."""
    begun = time.perf_counter()
    try:
        page = employer.get(f"{base}/employer/postings/{posting_id}/candidates", timeout=120)
        status = f"HTTP {page.status_code}"
    except requests.RequestException as exc:
        status = type(exc).__name__
    return {
        "at": begun - started,
        "took": time.perf_counter() - begun,
        "status": status,
        "posting": posting_id,
    }


def watch_health(base: str, started: float, until: float) -> list[tuple[float, str]]:
    """Poll ``/health/ready`` twice a second until ``until``: (seconds into the run, answer)."""
    seen = []
    with requests.Session() as session:
        while time.perf_counter() < until:
            at = time.perf_counter() - started
            try:
                answer = f"HTTP {session.get(base + '/health/ready', timeout=5).status_code}"
            except requests.RequestException as exc:
                answer = type(exc).__name__
            seen.append((at, answer))
            time.sleep(0.5)
    return seen


def restart_postgres() -> dict:
    """Restart the local PostgreSQL cluster; how long the command took and what it said."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    begun = time.perf_counter()
    done = subprocess.run(
        RESTART.format(version=version).split(), capture_output=True, text=True, check=False
    )
    return {
        "took": time.perf_counter() - begun,
        "exit": done.returncode,
        "said": (done.stdout + done.stderr).strip(),
    }


def run_users(
    base: str,
    inputs: dict,
    users: int,
    seconds: float,
    kinds: tuple[str, ...],
    restart_at: float | None,
    report_wait: float,
) -> dict:
    """Run the users, the staff thread, the health poller and the restart; what each saw."""
    logins = [(f"load{n}", *_login(base, f"load{n}")) for n in range(LOGINS)]
    employer, _ = _login(base, EMPLOYER_LOGIN, STAFF_ADDRESS)
    office, _ = _login(base, OFFICE_LOGIN, STAFF_ADDRESS)
    fresh = list(inputs["fresh"])
    random.Random(2026).shuffle(fresh)
    outcomes: list[Outcome] = []
    found: dict = {}
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def work(n: int) -> None:
        person = Person(
            base, inputs["published"], logins[n % LOGINS], fresh[n::users], seed=n, kinds=kinds
        )
        while time.perf_counter() < deadline:
            outcome = person.request(started)
            with lock:
                outcomes.append(outcome)

    def staff() -> None:
        found["staff"] = staff_work(
            base, employer, office, inputs["employer_postings"], started, report_wait
        )

    def health() -> None:
        found["health"] = watch_health(base, started, deadline + 5)

    def restart() -> None:
        time.sleep(max(0.0, started + restart_at - time.perf_counter()))
        found["restart"] = {"began": time.perf_counter() - started, **restart_postgres()}

    helpers = [threading.Thread(target=staff), threading.Thread(target=health)]
    if restart_at is not None:
        helpers.append(threading.Thread(target=restart))
    threads = [threading.Thread(target=work, args=(n,)) for n in range(users)]
    for thread in threads + helpers:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    for thread in helpers:
        thread.join()
    return {"outcomes": outcomes, "seconds": seconds, **found}


def _q(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(result: dict) -> None:
    """Print count, errors, p50 / p95 / p99 per kind and overall, and the request rate."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    for outcome in result["outcomes"]:
        timings[outcome.kind].append(outcome.ended - outcome.started)
        if not outcome.ok:
            errors[outcome.kind].append(outcome.problem)
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
    click.echo(
        f"{len(everything) / result['seconds']:.1f} requests/s over {result['seconds']:.0f} s"
    )
    for kind, problems in errors.items():
        click.echo(f"  errors of {kind}: {dict(Counter(problems).most_common(5))}")


def staff_report(staff: dict) -> None:
    """Print the employer's candidates pages and the office's match report: when, how long, outcome."""
    for page in staff["candidates"]:
        click.echo(
            f"employer's candidates page (posting {page['posting']}) at {page['at']:.1f} s: "
            f"{page['status']} in {page['took'] * 1000:.0f} ms"
        )
    run = staff["report"]
    line = (
        f"office's match report ({OFFICE_DISTRICT}) started at {run['at']:.1f} s: {run['status']}"
    )
    if "run" in run:
        line += f" after {run['took']:.1f} s (run {run['run']})"
        if run["failed_polls"]:
            line += f"; polls that failed: {dict(run['failed_polls'])}"
        if run.get("error"):
            line += f"; {run['error']}"
    click.echo(line)


def fault_report(result: dict) -> None:
    """Around the restart: the errors, the last error, the first success after it, the health."""
    restart = result["restart"]
    began, back = restart["began"], restart["began"] + restart["took"]
    click.echo(
        f"PostgreSQL restart at {began:.1f} s: the command took {restart['took']:.1f} s "
        f"(exit {restart['exit']}{'; ' + restart['said'] if restart['said'] else ''})"
    )
    outcomes = result["outcomes"]
    failed = [o for o in outcomes if not o.ok]
    after = [o for o in failed if o.ended >= began]
    click.echo(f"errors before the restart: {len(failed) - len(after)}; from it on: {len(after)}")
    if after:
        click.echo(f"  by kind: {dict(Counter(o.kind for o in after).most_common())}")
        for problem, count in Counter(o.problem for o in after).most_common():
            some = [o for o in after if o.problem == problem]
            click.echo(
                f"  {problem}: {count}, sent {min(o.started for o in some) - began:+.1f} to "
                f"{max(o.started for o in some) - began:+.1f} s, answered "
                f"{min(o.ended for o in some) - began:+.1f} to "
                f"{max(o.ended for o in some) - began:+.1f} s from the restart"
            )
        last = max(o.ended for o in after)
        first = min((o.ended for o in outcomes if o.ok and o.ended > last), default=None)
        click.echo(
            f"  last error {last - began:.1f} s after the restart began; first success after it "
            + (f"{first - began:.1f} s after (recovery)" if first is not None else "never")
        )
        late = [o for o in after if o.started >= back]
        click.echo(
            f"  errors of requests started after the restart command returned: {len(late)} "
            f"{dict(Counter(o.problem for o in late).most_common())}"
        )
    polls = result["health"]
    down = [at for at, answer in polls if at >= began and answer != "HTTP 200"]
    if down:
        up = min(
            (at for at, answer in polls if at > down[-1] and answer == "HTTP 200"), default=None
        )
        answers = dict(Counter(a for at, a in polls if at >= began and a != "HTTP 200"))
        click.echo(
            f"/health/ready not 200 from {down[0] - began:.1f} s to {down[-1] - began:.1f} s "
            f"after the restart began {answers}; 200 again "
            + (f"{up - began:.1f} s after" if up is not None else "never during the run")
        )
    else:
        click.echo("/health/ready answered 200 throughout")


def recount(url: str, outcomes: list[Outcome], before: int) -> None:
    """Recount the applications of the run from the database and print the recount.

    An application the form answered as sent must exist exactly once with exactly one
    ``applied`` history row (a seeker's own application writes nothing else: no notice, no
    audit row); one that failed must have left nothing; no application may lack its history.
    """
    applies = [o for o in outcomes if o.kind == "apply"]
    engine = create_engine(url)
    with engine.connect() as conn:
        seeker_of = dict(
            conn.execute(
                select(User.username, Seeker.id)
                .join(Seeker, Seeker.user_id == User.id)
                .where(User.username.in_({o.login for o in applies}))
            ).all()
        )
        history = (
            select(ApplicationEvent.application_id, func.count().label("applied"))
            .where(ApplicationEvent.status == "applied")
            .group_by(ApplicationEvent.application_id)
            .subquery()
        )
        rows = conn.execute(
            select(Application.seeker_id, Application.posting_id, history.c.applied)
            .outerjoin(history, history.c.application_id == Application.id)
            .where(Application.seeker_id.in_(seeker_of.values()))
        ).all()
        total = conn.scalar(select(func.count(Application.id)))
        without_history = conn.scalar(
            select(func.count(Application.id)).where(
                ~exists().where(ApplicationEvent.application_id == Application.id)
            )
        )
    engine.dispose()
    stored: dict[tuple[int, int], list[int]] = defaultdict(list)
    for seeker_id, posting_id, applied in rows:
        stored[(seeker_id, posting_id)].append(applied or 0)
    sent = [stored.get((seeker_of[o.login], o.posting_id), []) for o in applies if o.ok]
    failed = [
        (o.problem, stored.get((seeker_of[o.login], o.posting_id), [])) for o in applies if not o.ok
    ]
    click.echo(
        f"recount: {len(applies)} applications tried, {len(sent)} answered as sent: "
        f"{sum(1 for s in sent if s == [1])} stored once with their one history row, "
        f"{sum(1 for s in sent if not s)} missing, "
        f"{sum(1 for s in sent if s and s != [1])} stored more than once or without history"
    )
    for problem, count in Counter(p for p, _ in failed).most_common():
        stored_anyway = sum(1 for p, s in failed if p == problem and s)
        click.echo(
            f"  failed with {problem}: {count}, of them stored all the same: {stored_anyway}"
        )
    click.echo(
        f"  applications in the database: {before} before the run, {total} after "
        f"(+{total - before}); without their history row: {without_history}"
    )


_REQUEST_LINE = re.compile(r"jianxi\.request: (GET|POST) (\S+) -> (\d+) \(([\d.]+) ms\)")
_EXCEPTION = re.compile(r"^((?:\w+\.)*\w*(?:Error|Exception))\b:? ?(.{0,120})", re.M)


def _server_kind(method: str, path: str) -> str | None:
    """The request kind of a path the users ask for (None for start-up, login and staff requests)."""
    if method == "POST":
        return "apply" if path == APPLY_PATH else None
    if path == "/listings":
        return "listing search"
    if path.startswith("/listings/"):
        return "posting page"
    if path == "/api/v1/postings":
        return "API search"
    if path == "/":
        return "home"
    return f"seeker pages {path}" if path in SEEKER_PAGES else None


def _children(pid: int) -> int:
    """How many processes the given one has (gunicorn's master: its live workers)."""
    found = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    )
    return len(found.stdout.split())


def server_report(log: Path) -> None:
    """Print the time the app itself took per kind (its request log), its exceptions and the workers that died.

    The users' times above include waiting for a free server thread; these do not.
    """
    times: dict[str, list[float]] = defaultdict(list)
    text = log.read_text(encoding="utf-8", errors="replace")
    for method, path, _status, ms in _REQUEST_LINE.findall(text):
        kind = _server_kind(method, path)
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
    exceptions = Counter(name for name, _ in _EXCEPTION.findall(text))
    click.echo(f"exceptions in the app's log: {dict(exceptions.most_common(6))}")
    for name, said in dict(_EXCEPTION.findall(text)).items():
        click.echo(f"  {name}: {said}")
    died = re.findall(r"Worker \(pid:\d+\) was sent (\w+)", text)
    click.echo(f"workers that died: {len(died)} {sorted(set(died))} (see {log})")


def main() -> None:
    """Build the data, start the server, run the users (and the restart), report, recount, clean up."""
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
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/9",
        help="Redis of the server (rate limits) and of its RQ worker (match reports)",
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
    parser.add_argument(
        "--restart-postgres-at",
        type=float,
        metavar="SECONDS",
        help="restart PostgreSQL (pg_ctlcluster, as root) this many seconds into the run",
    )
    parser.add_argument(
        "--report-wait",
        type=float,
        default=600,
        help="how long the office waits at most for its match report (s)",
    )
    args = parser.parse_args()
    if args.reuse:
        url = _server_url(args.pg_url, args.database)
    else:
        url = build(args.pg_url, args.database, args.postings, args.seekers)
    inputs = run_inputs(url)
    log = Path(f"/tmp/{args.database}-gunicorn.log")
    server, worker, base = start_server(url, args.redis_url, log)
    try:
        click.echo(f"load average before: {os.getloadavg()}")
        kinds = tuple(args.only or (kind for kind, _ in MIX))
        result = run_users(
            base,
            inputs,
            args.users,
            args.seconds,
            kinds,
            args.restart_postgres_at,
            args.report_wait,
        )
        click.echo(f"load average after: {os.getloadavg()}")
        report(result)
        staff_report(result["staff"])
        if "restart" in result:
            fault_report(result)
        ready = requests.get(base + "/health/ready", timeout=30).status_code
        click.echo(f"after the run: /health/ready HTTP {ready}, {_children(server.pid)} workers")
        recount(url, result["outcomes"], inputs["applications"])
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=60)
        worker.wait(timeout=60)
        server_report(log)
        if not (args.keep or args.reuse):
            _drop(args.pg_url, args.database)


if __name__ == "__main__":
    main()
