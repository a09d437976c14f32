"""Command-line interface: noun groups with verb commands, each wrapping a service call."""

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from flask import Flask
from flask.cli import AppGroup

if TYPE_CHECKING:
    from app.models import Program, User

seed_cli = AppGroup("seed", help="Load reference data and demo data (idempotent).")


def progress(label: str) -> "callable":
    """Wrap an iterable in a click progress bar with a label."""

    def wrap(items: Iterable) -> Iterable:
        items = list(items)
        with click.progressbar(items, label=label, show_pos=True) as bar:
            yield from bar

    return wrap


@contextmanager
def stage_bar(label: str) -> Iterator["callable"]:
    """A progress bar over 0–100 % that a service moves with ``(fraction, stage)`` calls."""
    with click.progressbar(length=100, label=label) as bar:

        def advance(fraction: float, stage: str) -> None:
            bar.label = f"{label} · {stage}"
            bar.update(max(int(fraction * 100) - bar.pos, 0))

        yield advance
        bar.update(100 - bar.pos)


@contextmanager
def exit_if_refused() -> Iterator[None]:
    """Print a service's refusal (``DomainError``) on stderr and exit with status 1."""
    from app.errors import DomainError

    try:
        yield
    except DomainError as exc:
        click.echo(exc.message, err=True)
        sys.exit(1)


def staff_account(username: str | None) -> "User | None":
    """The office or admin account named by ``--as`` (None when not given: the operator at the shell)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User

    if username is None:
        return None
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or user.role not in ("office", "admin"):
        raise click.BadParameter(f"{username} is not an office or admin account", param_hint="--as")
    return user


def program_option(key_or_id: str) -> "Program":
    """The program named by ``--program`` (key or id), or a usage error."""
    from app.errors import NotFound
    from app.services.programs import find_program

    try:
        return find_program(key_or_id)
    except NotFound as exc:
        raise click.BadParameter(exc.message, param_hint="--program") from exc


@seed_cli.command("reference")
def seed_reference() -> None:
    """Load the 38 districts of Chongqing and the CSCO-2022 occupations."""
    from app.services.seeding import seed_districts, seed_occupations

    districts = seed_districts()
    occupations = seed_occupations(progress("职业分类 occupations"))
    click.echo(f"districts: {districts} new; occupations: {occupations} new")


@seed_cli.command("demo")
@click.option(
    "--seed", "seed_value", default=2023, show_default=True, help="Random seed of the generator."
)
def seed_demo(seed_value: int) -> None:
    """Load deterministic demo employers, postings, seekers, programs and traineeships."""
    from app.services.demo import load_demo

    counts = load_demo(seed_value, progress=progress)
    click.echo(", ".join(f"{name}: {n}" for name, n in counts.items()))


def register_cli(app: Flask) -> None:
    """Attach the command groups to the app."""
    from app.cli_match import register as register_match
    from app.cli_policy import register
    from app.cli_reports import register as register_reports

    app.cli.add_command(seed_cli)
    register(app)
    register_match(app)
    register_reports(app)

    from app.notify_cli import notify_cli

    app.cli.add_command(notify_cli)
