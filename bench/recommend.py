"""``/me/recommended`` cost: the posting index's first build and one seeker's recommendations.

``python bench/recommend.py [--rows 24000] [--backend sqlite|postgresql]``

Fills a fresh database with synthetic postings (85 % published, the rest closed or drafts,
as ``bench/search.py`` makes them), then times the first ``posting_index()`` of a process
(what a worker's first recommendation pays) and ``recommendations_for_seeker`` for a few
seekers: wall and CPU time, and the memory Python allocated per call (``tracemalloc``).
"""

import datetime as dt
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import click
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import database, fill

from app import create_app
from app.config import Config
from app.extensions import db
from app.models import Posting, Seeker, User
from app.services import recommendations


def _seekers(n: int) -> list[Seeker]:
    """Seekers with a summary and a desired occupation, one office user to ask for them."""
    people = [
        Seeker(
            name=f"求职者{i}",
            id_number=f"50015620010101{i:04d}",
            birth_date=dt.date(2001, 1, 1),
            education="bachelor",
            district_code="500156",
            summary="软件测试 Python SQL 仓库管理 客户服务",
            desired_occupations=["4-04-05-02"],
            skills=["Python", "SQL"],
            expected_salary=5000,
        )
        for i in range(n)
    ]
    db.session.add_all(people)
    db.session.add(User(username="bench_office", role="office", password_hash="x"))
    db.session.commit()
    return people


def run(backend: str, rows: int) -> None:
    """Fill one backend and print the timings."""
    with database(backend, "postgresql+psycopg://postgres@127.0.0.1:5432/test") as (url, options):
        config = type(
            "BenchConfig",
            (Config,),
            {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options},
        )
        app = create_app(config)
        with app.app_context():
            from flask_migrate import upgrade

            from app.services.seeding import seed_districts, seed_occupations

            upgrade()
            seed_districts()
            seed_occupations()
            fill(rows)
            people = _seekers(12)
            office = db.session.scalar(select(User).where(User.username == "bench_office"))
            published = db.session.scalar(
                select(func.count()).select_from(Posting).where(Posting.status == "published")
            )
            tracemalloc.start()
            started, cpu = time.perf_counter(), time.process_time()
            index = recommendations.posting_index()
            first = time.perf_counter() - started, time.process_time() - cpu
            built = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            click.echo(
                f"{backend}: {rows} postings ({published} published); first posting_index(): "
                f"{first[0]:.2f} s (CPU {first[1]:.2f} s), {len(index)} rows indexed, "
                f"peak allocated {built:.0f} MiB"
            )
            walls, cpus, peaks = [], [], []
            for seeker in people:
                tracemalloc.start()
                started, cpu = time.perf_counter(), time.process_time()
                recommendations.recommendations_for_seeker(office, seeker.id, 10, "zh")
                walls.append(time.perf_counter() - started)
                cpus.append(time.process_time() - cpu)
                peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
                tracemalloc.stop()
                db.session.rollback()
            click.echo(
                f"  recommendations_for_seeker, k=10: p50 {1000 * statistics.median(walls[2:]):.0f} ms "
                f"(CPU {1000 * statistics.median(cpus[2:]):.0f} ms), "
                f"allocated per call p50 {statistics.median(peaks[2:]):.1f} MiB"
            )
            db.session.remove()
            db.engine.dispose()


@click.command()
@click.option("--rows", default=24_000, show_default=True, help="Synthetic postings to insert.")
@click.option("--backend", type=click.Choice(["sqlite", "postgresql"]), default="sqlite")
def main(rows: int, backend: str) -> None:
    """Time the posting index's first build and one seeker's recommendations."""
    run(backend, rows)


if __name__ == "__main__":
    main()
