"""Fuzz the API with schemathesis: every operation, as every kind of user and anonymously.

``python bench/fuzz.py [--examples 25] [--quick]``

Builds a throwaway SQLite database migrated to head with the reference data and a small demo
data set, logs in as the demo seeker, employer, district office, city office and admin, and for
each operation of ``/api/v1/openapi.json`` and each of those six identities generates requests
(schemathesis, hypothesis), sends them to the application in process, and checks each response:
no 5xx, a documented status code, a body and headers that match the document, a documented
content type. Prints the counts (requests, 5xx, schema violations) and every failure, and
exits 1 if there was any. ``tests/fuzz/test_api_fuzz.py`` runs the same at a small size.
"""

import shutil
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import click
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from app import create_app
from app.config import Config
from app.extensions import db

DEMO_PASSWORD = "jianxi-demo"
IDENTITIES = (
    "anonymous",
    "wulong-seeker",
    "wulong-employer",
    "wulong-office",
    "city-office",
    "admin",
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
SIZES = {"employers": 100, "postings": 300, "seekers": 400}


@contextmanager
def demo_app() -> Iterator:
    """The application on a fresh SQLite file with the reference and a small demo data set."""
    folder = tempfile.mkdtemp(prefix="jianxi-fuzz-")
    try:
        config = type(
            "FuzzConfig",
            (Config,),
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/fuzz.db", "RATELIMIT_ENABLED": False},
        )
        app = create_app(config)
        with app.app_context():
            from flask_migrate import upgrade

            from app.services.demo import load_demo
            from app.services.seeding import seed_districts, seed_occupations

            upgrade()
            seed_districts()
            seed_occupations()
            load_demo(**SIZES)
            db.session.remove()
        yield app
    finally:
        shutil.rmtree(folder)


def tokens(app) -> dict[str, dict[str, str]]:
    """The Authorization header of each demo login (none for the anonymous visitor)."""
    client = app.test_client()
    headers = {"anonymous": {}}
    for username in IDENTITIES[1:]:
        response = client.post(
            "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
        )
        headers[username] = {"Authorization": f"Bearer {response.json['token']}"}
    return headers


def fuzz(app, examples: int, identities: dict[str, dict[str, str]]) -> tuple[Counter, list[str]]:
    """Send generated requests for every operation and identity; counts and failure lines."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    counts: Counter = Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for who, headers in identities.items():
            _run(operation, who, headers, examples, counts, failures)
    return counts, failures


def violation(case, response) -> str | None:
    """What is wrong with a response (a 5xx, or anything the document does not allow), or None."""
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as error:  # every check that failed on this response
        return " | ".join(str(error).strip().splitlines()[:3])
    return None


def _run(
    operation, who: str, headers: dict, examples: int, counts: Counter, failures: list
) -> None:
    """Generate and check ``examples`` requests to one operation as one identity."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case) -> None:
        response = case.call(headers=headers)
        counts["requests"] += 1
        counts[f"status {response.status_code // 100}xx"] += 1
        if problem := violation(case, response):
            counts["5xx" if response.status_code >= 500 else "schema violations"] += 1
            failures.append(f"{operation.label} as {who}: {response.status_code} {problem}")

    run()


@click.command()
@click.option(
    "--examples", default=8, show_default=True, help="Requests per operation and identity."
)
@click.option("--quick", is_flag=True, help="3 requests per operation and identity.")
def main(examples: int, quick: bool) -> None:
    """Fuzz every API operation as every kind of user and print what broke."""
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    with demo_app() as app:
        counts, failures = fuzz(app, 3 if quick else examples, tokens(app))
    for line in sorted(set(failures)):
        click.echo(line)
    click.echo(
        f"{counts['requests']:,} requests in {time.perf_counter() - started:.0f} s: "
        f"{counts['5xx']} 5xx, {counts['schema violations']} schema violations; "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()) if k.startswith("status"))
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
