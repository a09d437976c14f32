"""``flask match report`` and ``flask report dispatch|services|early-warning``: office reports from the shell.

Each command wraps the same service function as the API, so figures agree. The match report
runs in this process with a progress bar (the operator is waiting at the terminal); the API
starts the same computation as a background job when Redis is configured.
"""

import json
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from app.cli import exit_if_refused, program_option, progress, staff_account, stage_bar

report_cli = AppGroup(
    "report", help="Office reports: monthly dispatch, 1-3-1-1 tracking, early warning."
)


@click.command("report")
@click.option("--district", "district", help="GB/T 2260 district code.")
@click.option("--program", "program_key", help="Program key or id.")
@click.option("--k", default=10, show_default=True, help="Candidates per post.")
@click.option("--max-lists", default=3, show_default=True, help="Exposure cap: lists per seeker.")
@click.option("--seed", default=0, show_default=True, help="Seed recorded with the run.")
@click.option(
    "--below-education",
    type=click.Choice(["last", "exclude"]),
    default="last",
    show_default=True,
    help="Seekers below a post's minimum education: listed last and marked, or left out.",
)
@click.option("--exclude-employed", is_flag=True, help="Leave out people who already have a job.")
@click.option(
    "--out", "out", type=click.Path(dir_okay=False), help="Write the report to FILE.xlsx."
)
@click.option("--as", "username", help="Office account the run is recorded under.")
def match_report(
    district: str | None,
    program_key: str | None,
    k: int,
    max_lists: int,
    seed: int,
    below_education: str,
    exclude_employed: bool,
    out: str | None,
    username: str | None,
) -> None:
    """Top-k eligible candidates per open post and three posts per priority-group seeker."""
    from app.services.reports import exports
    from app.services.reports import match_report as reports

    if (district is None) == (program_key is None):
        raise click.UsageError("give exactly one of --district or --program")
    program_id = program_option(program_key).id if program_key else None
    user = staff_account(username)
    with stage_bar("匹配报告 match report") as progress, exit_if_refused():
        run = reports.start_report(
            user,
            district,
            program_id,
            k,
            max_lists,
            seed,
            background=False,
            progress=progress,
            below_education=below_education,  # type: ignore[arg-type]
            exclude_employed=exclude_employed,
        )
    _show(run, exports, out)


def _show(run, exports, out: str | None) -> None:
    from app.services.reports import match_report as reports

    summary = run.parameters["summary"]
    click.echo(
        f"run {run.id}: {summary['posts']} posts, {summary['posts_with_candidates']} with candidates; "
        f"{summary['priority_seekers']} priority-group seekers, "
        f"{summary['priority_seekers_with_posts']} with recommendations"
    )
    note = reports.exposure_note(run)
    click.echo(note["zh"])
    click.echo(note["en"])
    click.echo(
        f"lists shorter than k: {summary.get('short_by_cap', 0)} by the exposure cap, "
        f"{summary.get('short_too_few', 0)} for too few candidates"
    )
    if out:
        data, _ = exports.match_report_xlsx(run)
        Path(out).write_bytes(data)
        click.echo(f"wrote {out}")


@report_cli.command("dispatch")
@click.option("--month", "period", required=True, help="YYYY-MM (or YYYY-Qn, YYYY-Hn, YYYY).")
@click.option("--district", "district", help="GB/T 2260 district code (default: city).")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write FILE.xlsx.")
@click.option("--as", "username", help="Office account to run as (scopes the figures).")
def report_dispatch(
    period: str, district: str | None, out: str | None, username: str | None
) -> None:
    """The monthly dispatch report (月调度) and its roll-ups; prints JSON, writes XLSX with --out."""
    from app.api.reports import plain
    from app.services.reports import dispatch, exports

    steps = ["figures", "workbook"] if out else ["figures"]
    report = None
    with exit_if_refused(), click.progressbar(steps, label="月调度 dispatch") as bar:
        for step in bar:
            if step == "figures":
                report = dispatch.dispatch_report(staff_account(username), period, district)
            else:
                Path(out).write_bytes(exports.dispatch_xlsx(report)[0])
    click.echo(json.dumps(plain(report["figures"]), ensure_ascii=False, indent=2))
    if out:
        click.echo(f"wrote {out}")


ON_OPTION = click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Look at the figures as of this day (YYYY-MM-DD; default today).",
)


@report_cli.command("services")
@click.option("--district", "district", help="GB/T 2260 district code (default: city).")
@click.option("--as", "username", help="Office account to run as.")
@ON_OPTION
def report_services(district: str | None, username: str | None, on) -> None:
    """Difficult graduates still missing part of the 1-3-1-1 package; registered unemployed not contacted."""
    from app.services.reports.service_tracking import tracking_report

    with exit_if_refused():
        report = tracking_report(
            staff_account(username),
            district,
            on.date() if on else None,
            progress=progress("1-3-1-1 服务跟踪 service tracking"),
        )
    click.echo(
        f"difficult graduates {report['difficult_graduates']}, complete {report['complete']}, "
        f"missing {report['missing_totals']}; uncontacted {len(report['uncontacted'])}"
    )
    for g in report["still_missing"]:
        click.echo(f"  {g['seeker_id']} {g['name']}: {g['missing']}")


@report_cli.command("early-warning")
@click.option("--district", "district", help="GB/T 2260 district code (default: city).")
@click.option("--as", "username", help="Office account to run as.")
@ON_OPTION
def report_early_warning(district: str | None, username: str | None, on) -> None:
    """Programs on course to miss their floor (or that ended below it), with what they still need."""
    from app.services.reports.early_warning import early_warnings, target_warnings

    day = on.date() if on else None
    with exit_if_refused():
        user = staff_account(username)
        rows = early_warnings(user, district, day)
        targets = target_warnings(user, district, day)
    for row in rows:
        flag = row["at_risk"] or row["missed_floor"]
        click.echo(("⚠ " if flag else "  ") + row["message"]["zh"])
    for row in targets:
        flag = "⚠ " if row.get("behind") else "  "
        click.echo(f"{flag}{row['rule']}（{row['source']}）{row['message']['zh']}")


def register(app: Flask) -> None:
    """Attach ``match report`` and the ``report`` group to the app's CLI."""
    from app.cli_match import match_cli

    match_cli.add_command(match_report)
    app.cli.add_command(report_cli)
