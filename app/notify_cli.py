"""``flask notify``: tell users about what changed for them, and deliver the outbox."""

import click
from flask.cli import AppGroup

notify_cli = AppGroup(
    "notify", help="Send on-site notifications and deliver the outbox (SMS, e-mail, console, file)."
)


@notify_cli.command("saved-searches")
def notify_saved_searches() -> None:
    """Record a notification for every saved search with new matching listings since last time."""
    from app.cli import progress
    from app.services.saved_searches import notify_saved_searches as run

    counts = run(progress=progress("保存的搜索 saved searches"))
    click.echo(f"searches: {counts['searches']}, notified: {counts['notified']}")


@notify_cli.command("deliver")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many messages.")
def notify_deliver(limit: int | None) -> None:
    """Send the pending outbox through the configured channel (NOTIFY_CHANNEL); safe to run again."""
    from app.services.outbox import deliver

    counts = deliver(limit)
    click.echo(
        f"sent: {counts['sent']}, skipped (no address): {counts['skipped']}, "
        f"to retry: {counts['retry']}, failed: {counts['failed']}"
    )
