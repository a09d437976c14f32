"""Keyword search benchmark: the bigram token index against a plain ``LIKE '%…%'`` scan.

``python bench/search.py [--rows 100000] [--quick] [--backend sqlite|postgresql|both]``

Builds a throwaway database (a temporary SQLite file; a schema in ``--pg-url`` that is dropped
afterwards), migrated to head like a real one, with N synthetic postings whose titles,
descriptions and skills come from the CSCO-2022 occupations (aliases, tasks) plus common
employer phrases and English skill words. Every query runs through ``list_postings`` (first
page of 20 and the total count, newest first) with the index and, in the same run, with the
plain scan; both must return the same postings. On PostgreSQL the plain scan is then timed a
third time with a pg_trgm GIN index on ``search_text``, the usual alternative.
"""

import csv
import datetime as dt
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import click
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import Config
from app.extensions import db
from app.models import Employer, Posting
from app.services import postings as posting_service
from app.services.postings import list_postings
from app.services.search import plain_condition
from matching.text import normalize
from matching.tokens import index_tokens

ROOT = Path(__file__).resolve().parents[1]
CSCO = ROOT / "seed" / "reference" / "csco22.csv"
DISTRICTS = ROOT / "seed" / "reference" / "districts.csv"
PG_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BATCH = 2000

PHRASES = [
    "五险一金",
    "周末双休",
    "包吃包住",
    "有相关工作经验者优先",
    "吃苦耐劳，服从安排",
    "应届毕业生可投递",
    "提供岗前培训",
    "工作地点在主城区",
    "年终奖金",
    "团队氛围好",
    "沟通能力强",
    "持证上岗",
]
ENGLISH = [
    "Excel",
    "Python",
    "SQL",
    "CAD",
    "English",
    "Office",
    "Java",
    "Photoshop",
    "sales",
    "customer service",
    "security",
    "nurse",
    "driver",
    "warehouse",
]
EDUCATION = [
    None,
    "junior_high",
    "high_school",
    "secondary_vocational",
    "junior_college",
    "bachelor",
]

# (query type, keyword, extra filters)
QUERIES: list[tuple[str, str, dict]] = [
    ("2-char Chinese", "保安", {}),
    ("2-char Chinese", "护士", {}),
    ("2-char Chinese", "销售", {}),
    ("2-char Chinese", "司机", {}),
    ("2-char Chinese", "会计", {}),
    ("3-4-char Chinese", "保安员", {}),
    ("3-4-char Chinese", "软件测试", {}),
    ("3-4-char Chinese", "客户服务", {}),
    ("3-4-char Chinese", "机动车驾驶", {}),
    ("3-4-char Chinese", "护理员", {}),
    ("English", "python", {}),
    ("English", "excel", {}),
    ("English", "customer service", {}),
    ("English", "nurse", {}),
    ("keyword + filters", "销售", {"district": "500106", "kind": "job"}),
    ("keyword + filters", "护士", {"district": "500103", "kind": "traineeship"}),
    ("keyword + filters", "保安员", {"district": "500156", "kind": "job", "salary_min": 3000}),
    ("keyword + filters", "excel", {"kind": "internship", "education": "bachelor"}),
    ("1-char Chinese", "厨", {}),
    ("1-char Chinese", "焊", {}),
]


def _occupations() -> list[dict[str, str]]:
    with CSCO.open(encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if r["level"] == "4" and r["tasks"]]


def _districts() -> list[str]:
    with DISTRICTS.open(encoding="utf-8-sig", newline="") as f:
        return [r["code"] for r in csv.DictReader(f)]


def _posting(
    rng: random.Random, occupation: dict[str, str], districts: list[str], employers: int
) -> dict:
    """One synthetic posting as a row, with the search text the service would store."""
    name = occupation["name"].rstrip("SL")
    aliases = [a for a in occupation["alias"].split(",") if a] or [name]
    tasks = [t.strip(" 。") for t in occupation["tasks"].split(" ") if t.strip()]
    kind = rng.choices(["job", "traineeship", "internship"], [0.7, 0.2, 0.1])[0]
    title = rng.choice(aliases) + ("（见习）" if kind == "traineeship" else "")
    words = rng.sample(tasks, min(len(tasks), rng.randint(2, 4))) + rng.sample(PHRASES, 3)
    if rng.random() < 0.3:
        words.append(" ".join(rng.sample(ENGLISH, 2)))
    description = "；".join(words) + "。"
    skills = rng.sample(ENGLISH, 1) if rng.random() < 0.2 else []
    low = rng.randrange(1800, 9000, 100)
    search_text = normalize(" ".join(p for p in [title, description, " ".join(skills), name] if p))
    status = rng.choices(["published", "closed", "draft"], [0.85, 0.1, 0.05])[0]
    return {
        "employer_id": rng.randint(1, employers),
        "kind": kind,
        "title": title[:120],
        "description": description,
        "occupation_code": occupation["code"],
        "occupation_source": "given",
        "skills": skills,
        "majors": [],
        "min_education": rng.choice(EDUCATION),
        "salary_min": low,
        "salary_max": low + rng.randrange(0, 4000, 100),
        "district_code": rng.choice(districts),
        "slots": rng.randint(1, 5),
        "slots_filled": 0,
        "duration_months": rng.randint(3, 12) if kind == "traineeship" else None,
        "status": status,
        "published_at": None
        if status == "draft"
        else dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - dt.timedelta(minutes=rng.randint(0, 525600)),
        "search_text": search_text,
        "search_tokens": " ".join(index_tokens(search_text)),
    }


def fill(rows: int, seed: int = 2026) -> None:
    """Insert employers and ``rows`` postings, showing a progress bar."""
    rng = random.Random(seed)
    occupations, districts = _occupations(), _districts()
    employers = max(1, rows // 50)
    db.session.execute(
        insert(Employer),
        [
            {
                "name": f"重庆测试企业{i}有限公司",
                "credit_code": f"91500000BENCH{i:05d}",
                "size_class": "sme",
                "industry": "批发和零售业",
                "district_code": rng.choice(districts),
            }
            for i in range(1, employers + 1)
        ],
    )
    db.session.commit()
    table = Posting.__table__
    with click.progressbar(length=rows, label=f"postings ({db.engine.dialect.name})") as bar:
        for start in range(0, rows, BATCH):
            size = min(BATCH, rows - start)
            batch = [
                _posting(rng, rng.choice(occupations), districts, employers) for _ in range(size)
            ]
            db.session.execute(table.insert(), batch)
            db.session.commit()
            bar.update(size)


def _tidy() -> None:
    """Refresh planner statistics (and merge FTS5 segments) as a live database would have."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE posting")
            )
        else:
            conn.execute(text("INSERT INTO posting_fts(posting_fts) VALUES ('optimize')"))
            conn.execute(text("ANALYZE"))
            conn.commit()


def _timed(
    run: Callable[[], tuple[list, int]], repeat: int
) -> tuple[list[float], tuple[list[int], int]]:
    run()
    db.session.rollback()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        items, total = run()
        times.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    return times, ([p.id for p in items], total)


def _all_ids(args: dict) -> set[int]:
    items, _ = list_postings(None, dict(args), 1, 10**7)
    ids = {p.id for p in items}
    db.session.rollback()
    return ids


def measure(repeat: int, trigram: bool) -> dict[str, dict[str, list[float]]]:
    """Time every query with the index and with the plain scan; fail if their results differ."""
    timings: dict[str, dict[str, list[float]]] = {}
    for kind, keyword, filters in QUERIES:
        args = {"q": keyword, **filters}
        per = timings.setdefault(kind, {"index": [], "like": [], "trigram": []})
        times, indexed = _timed(lambda a=args: list_postings(None, dict(a), 1, 20), repeat)
        per["index"] += times
        with mock.patch.object(posting_service, "search_condition", plain_condition):
            times, plain = _timed(lambda a=args: list_postings(None, dict(a), 1, 20), repeat)
            per["like"] += times
            everything_plain = _all_ids(args)
        everything_indexed = _all_ids(args)
        if indexed != plain or everything_indexed != everything_plain:
            raise click.ClickException(f"{keyword!r} {filters}: the index and the scan disagree")
        click.echo(f"  {kind:18} {keyword!r:22} {filters!s:58} {plain[1]:>6} hits  same ids")
    if trigram:
        with db.engine.begin() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(
                text("CREATE INDEX ix_bench_trgm ON posting USING gin (search_text gin_trgm_ops)")
            )
        _tidy()
        with mock.patch.object(posting_service, "search_condition", plain_condition):
            for kind, keyword, filters in QUERIES:
                args = {"q": keyword, **filters}
                times, _ = _timed(lambda a=args: list_postings(None, dict(a), 1, 20), repeat)
                timings[kind]["trigram"] += times
    return timings


def _p(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
        if len(values) > 1
        else values[0]
    )


def report(backend: str, rows: int, timings: dict[str, dict[str, list[float]]]) -> None:
    """Print p50/p95 per query type and the scan/index ratio of the medians."""
    trigram = any(t["trigram"] for t in timings.values())
    head = f"{'query type':18} {'index p50':>10} {'p95':>8} {'LIKE p50':>10} {'p95':>8} {'LIKE/index':>11}"
    click.echo(f"\n{backend}, {rows:,} postings (ms; first page of 20 + total count)")
    click.echo(head + (f" {'trgm p50':>10} {'p95':>8}" if trigram else ""))
    for kind, t in timings.items():
        line = (
            f"{kind:18} {_p(t['index'], 50):10.1f} {_p(t['index'], 95):8.1f} "
            f"{_p(t['like'], 50):10.1f} {_p(t['like'], 95):8.1f} "
            f"{_p(t['like'], 50) / _p(t['index'], 50):10.1f}x"
        )
        if trigram:
            line += f" {_p(t['trigram'], 50):10.1f} {_p(t['trigram'], 95):8.1f}"
        click.echo(line)


def _sizes() -> str:
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            table = conn.scalar(text("SELECT pg_table_size('posting')"))
            index = conn.scalar(text("SELECT pg_relation_size('ix_posting_search_tokens')"))
        else:
            pages = "SELECT sum(pgsize) FROM dbstat WHERE name {}"
            table = conn.scalar(text(pages.format("= 'posting'")))
            index = conn.scalar(text(pages.format("LIKE 'posting_fts%'")))
    return f"posting table {table / 2**20:.0f} MiB, token index {index / 2**20:.0f} MiB"


@contextmanager
def database(backend: str, pg_url: str) -> Iterator[tuple[str, dict]]:
    """A throwaway database URL and engine options, removed afterwards."""
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="jianxi-bench-")
        try:
            yield f"sqlite:///{folder}/bench.db", {}
        finally:
            shutil.rmtree(folder)
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_url, {"connect_args": {"options": f"-csearch_path={schema},public"}}
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def migrated_app(url: str, options: dict | None = None):
    """The app on a database migrated to head with the reference lists loaded."""
    config = type(
        "BenchConfig",
        (Config,),
        {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options or {}},
    )
    app = create_app(config)
    with app.app_context():
        from flask_migrate import upgrade

        from app.services.seeding import seed_districts, seed_occupations

        upgrade()
        seed_districts()
        seed_occupations()
        db.session.remove()
    return app


def run_backend(backend: str, rows: int, repeat: int, pg_url: str) -> None:
    """Build, fill, measure and report one backend."""
    with database(backend, pg_url) as (url, options):
        app = migrated_app(url, options)
        with app.app_context():
            started = time.perf_counter()
            fill(rows)
            click.echo(f"  inserted in {time.perf_counter() - started:.0f} s; {_sizes()}")
            _tidy()
            total = db.session.scalar(select(func.count()).select_from(Posting))
            timings = measure(repeat, trigram=backend == "postgresql")
            report(backend, total, timings)
            db.session.remove()
            db.engine.dispose()


@click.command()
@click.option("--rows", default=100_000, show_default=True, help="Synthetic postings to insert.")
@click.option("--quick", is_flag=True, help="10,000 postings and 3 timed runs per query.")
@click.option("--repeat", default=7, show_default=True, help="Timed runs per query.")
@click.option("--backend", type=click.Choice(["sqlite", "postgresql", "both"]), default="both")
@click.option(
    "--pg-url", default=PG_URL, show_default=True, help="PostgreSQL server to make a schema in."
)
def main(rows: int, quick: bool, repeat: int, backend: str, pg_url: str) -> None:
    """Compare the token index with the plain LIKE scan on SQLite and PostgreSQL."""
    if quick:
        rows, repeat = min(rows, 10_000), 3
    if backend in ("sqlite", "both"):
        run_backend("sqlite", rows, repeat, pg_url)
    if backend in ("postgresql", "both"):
        if make_url(pg_url).get_backend_name() != "postgresql":
            raise click.BadParameter("not a PostgreSQL URL", param_hint="--pg-url")
        run_backend("postgresql", rows, repeat, pg_url)


if __name__ == "__main__":
    main()
