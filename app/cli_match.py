"""``flask match train|evaluate``, ``flask place propose|confirm`` and ``flask occupations recode|train-encoder``: ranking models, placement runs and the occupation codes of postings and desired jobs."""

import datetime as dt
import json

import click
from flask import Flask
from flask.cli import AppGroup

from app.cli import exit_if_refused, program_option, staff_account, stage_bar

match_cli = AppGroup("match", help="Train and evaluate the ranking model.")
place_cli = AppGroup("place", help="Propose and confirm quota-aware placements for a program.")
occupations_cli = AppGroup(
    "occupations", help="Occupation codes of postings and of the jobs seekers named."
)


@occupations_cli.command("recode")
@click.option("--dry-run", is_flag=True, help="Only count and list the codes that would change.")
@click.option("--show", default=20, show_default=True, help="How many changes to list.")
def occupations_recode(dry_run: bool, show: int) -> None:
    """Code again every posting and desired job coded from its words, with the coder as offices' checks have taught it."""
    from app.cli import progress
    from app.services.occupation_checks import recode_automatic, recode_desired_jobs

    verb = "would change" if dry_run else "changed"
    result = recode_automatic(dry_run=dry_run, progress=progress("岗位 postings"))
    click.echo(
        f"{result['read']} postings coded from their titles; {result['changed']} of their codes {verb}"
    )
    for posting_id, title, old, new in result["changes"][:show]:
        click.echo(f"  posting #{posting_id} {title}: {old} -> {new}")
    result = recode_desired_jobs(dry_run=dry_run, progress=progress("求职意向 desired jobs"))
    click.echo(
        f"{result['read']} desired jobs coded from their words; {result['changed']} of their codes {verb}"
    )
    for seeker_id, title, old, new in result["changes"][:show]:
        click.echo(f"  seeker #{seeker_id} {title}: {old} -> {new}")


@occupations_cli.command("train-encoder")
@click.option("--epochs", default=4, show_default=True, help="Passes over the training rows.")
@click.option(
    "--sample",
    type=click.IntRange(min=1),
    default=None,
    help="Train on this many random rows only: a quick trial of the set-up, not a model to use.",
)
def occupations_train_encoder(epochs: int, sample: int | None) -> None:
    """Fine-tune the multilingual encoder on the labelled titles and offices' checks (about 4 minutes on 2 cores); the coder blends it in from then on."""
    from app.cli import progress
    from app.services.occupation_training import train_occupation_encoder

    with exit_if_refused():
        result = train_occupation_encoder(
            epochs=epochs, sample=sample, progress=progress("微调 fine-tuning batches")
        )
    click.echo(
        f"encoder trained on {result['rows']} rows ({result['office_checks']} office checks) "
        f"in {result['seconds']} s: {result['path']}"
    )
    click.echo("run `flask occupations recode` to code postings and desired jobs with it")


@match_cli.command("train")
@click.option("--seed", default=0, show_default=True, help="Random state of the held-out split.")
def match_train(seed: int) -> None:
    """Learn weights from hires and retained traineeships; promote them only if they pass every guard of the gate (printed)."""
    from app.services.ranker_models import train

    with stage_bar("排序模型训练 ranker training") as progress:
        result = train(random_state=seed, progress=progress)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@match_cli.command("evaluate")
@click.option("--seed", default=0, show_default=True, help="Random state of the held-out split.")
def match_evaluate(seed: int) -> None:
    """Print held-out nDCG@10 and AUC of the model in use against a freshly fitted candidate."""
    from app.services.ranker_models import evaluate

    with stage_bar("排序模型评估 ranker evaluation") as progress:
        result = evaluate(random_state=seed, progress=progress)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@place_cli.command("propose")
@click.option("--program", "program_key", required=True, help="Program key or id.")
@click.option("--as", "username", required=True, help="Office account the run is recorded under.")
@click.option(
    "--mode", type=click.Choice(["stable", "best_total"]), default="stable", show_default=True
)
@click.option("--seed", default=0, show_default=True, help="Seed of the tie-breaking lottery.")
def place_propose(program_key: str, username: str, mode: str, seed: int) -> None:
    """Propose placements for a program and print the summary."""
    from app.services.placement import propose

    with exit_if_refused(), stage_bar("安置方案 placement") as progress:
        run = propose(
            staff_account(username), program_option(program_key).id, mode, seed, progress=progress
        )
    summary = run.parameters["summary"]
    click.echo(
        f"run {run.id}: {summary['placed']} placed, {len(summary['unplaced_seekers'])} unplaced, blocking pairs {summary['blocking_pairs']}"
    )
    click.echo(summary["floor"]["message_zh"])
    click.echo(summary["floor"]["message_en"])


@place_cli.command("confirm")
@click.argument("run_id", type=int)
@click.option("--as", "username", required=True, help="Office account confirming the run.")
@click.option(
    "--start",
    "start",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Start date of the traineeships.",
)
def place_confirm(run_id: int, username: str, start: dt.datetime) -> None:
    """Enrol a proposed run's placements as traineeships; refusals are listed."""
    from app.services.placement import confirm

    with exit_if_refused():
        run = confirm(staff_account(username), run_id, start.date())
    result = run.parameters["confirmation"]
    click.echo(f"enrolled {len(result['enrolled'])}, refused {len(result['refused'])}")
    for refusal in result["refused"]:
        click.echo(
            f"  seeker {refusal['seeker_id']} → posting {refusal['posting_id']}: {refusal['message']}",
            err=True,
        )


def register(app: Flask) -> None:
    """Attach ``match`` and ``place`` to the app's CLI."""
    app.cli.add_command(match_cli)
    app.cli.add_command(place_cli)
    app.cli.add_command(occupations_cli)
