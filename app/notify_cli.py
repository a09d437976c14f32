"""``flask notify``: tell users about what changed for them (saved searches for now)."""

import click
from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="Send on-site (and e-mail) notifications.")


@notify_cli.command("saved-searches")
def notify_saved_searches() -> None:
    """Record a notification for every saved search with new matching listings since last time."""
    from app.services.saved_searches import notify_saved_searches as run

    counts = run()
    click.echo(
        f"searches: {counts['searches']}, notified: {counts['notified']}, e-mailed: {counts['emailed']}"
    )
