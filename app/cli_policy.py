"""``flask policy``, ``flask settle`` and ``flask payments``: rulebooks, settlement, payments."""

import datetime as dt
import re
import sys

import click
from flask import Flask
from flask.cli import AppGroup

from app.cli import exit_if_refused, progress, staff_account
from app.errors import DomainError
from app.services.policy_finder import STATUSES
from matching.rows import EXIT_INPUT, lang_option, language
from matching.rulebook import RulebookError

policy_cli = AppGroup("policy", help="Validate rulebooks and store their versions.")

# click's own usage errors (click 8.2+) and their Chinese, for the file tools' commands.
_USAGE_ZH = (
    (r"Missing argument '(.+)'\.", "缺少必填参数：{0}"),
    (r"Got unexpected extra arguments? \((.+)\)", "多余的参数：{0}"),
    (r"No such option:? '?([^'\s]+?)'?\.?", "无法识别的选项：{0}"),
    (r"Invalid value for '.+': (?:File|Path) '(.+)' does not exist\.", "{0}：文件不存在"),
    (
        r"Invalid value for '(.+)': (.+) is not one of (.+)\.",
        "参数 {0}：{1} 不是可选值（可选：{2}）",
    ),
    (r"Option '(.+)' requires an argument\.", "参数 {0} 需要一个值"),
)


def usage_in_chinese(message: str) -> str:
    """A click usage error in Chinese, with its "Did you mean" hint (unknown wordings kept)."""
    message, _, guess = message.partition(" Did you mean ")
    hint = f"（是否要用 {guess.rstrip('?')}？）" if guess else ""
    for pattern, chinese in _USAGE_ZH:
        match = re.fullmatch(pattern, message.strip())
        if match:
            return chinese.format(*match.groups()) + hint
    return message + hint


class FileToolCommand(click.Command):
    """A file tool's command: a usage error is one line in the operator's language, exit 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse, or print ``command: reason`` (Chinese unless --lang en / LANG=en) and exit 2."""
        lang = language(lang_option(args))
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            text = exc.format_message()
            if lang == "en":
                click.echo(f"{ctx.command_path}: {text}", err=True)
            else:
                click.echo(f"{ctx.command_path}：{usage_in_chinese(text)}", err=True)
            ctx.exit(EXIT_INPUT)


@policy_cli.command("check", cls=FileToolCommand)
@click.argument("file")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Message language.")
def policy_check(file: str, lang: str | None) -> None:
    """Validate a rulebook file; exit 2 with one line: FILE, line and reason (zh, or en)."""
    from app.services.rulebooks import check_file

    try:
        book = check_file(file)
    except RulebookError as exc:
        click.echo(exc.message(language(lang)), err=True)
        sys.exit(EXIT_INPUT)
    click.echo(f"{file}: ok, {book.id}, {len(book.rules)} rules, sha256 {book.version}")


@policy_cli.command("load", cls=FileToolCommand)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Message language.")
def policy_load(files: tuple[str, ...], lang: str | None) -> None:
    """Store rulebook versions (default: every seed/policy/*.toml); a stored version is never changed."""
    from app.services.rulebooks import default_files, load_files

    try:
        loaded = load_files(files or default_files())
    except RulebookError as exc:
        click.echo(exc.message(language(lang)), err=True)
        sys.exit(1)
    for item in loaded:
        state = "stored" if item.new else "already stored"
        click.echo(f"{item.path}: {item.rulebook.id} sha256 {item.rulebook.version[:12]} {state}")
    click.echo(f"{sum(item.new for item in loaded)} new of {len(loaded)}")


@click.command("settle")
@click.option(
    "--program", "program", required=True, help="Program key (e.g. wulong-2023-enterprise) or id."
)
@click.option(
    "--month", required=True, help="Settle every month ended by the end of this month, YYYY-MM."
)
def settle_command(program: str, month: str) -> None:
    """Settle a program's traineeship subsidies up to a month's end and store the new lines."""
    from app.services.settlement import run_settlement

    with exit_if_refused():
        result = run_settlement(None, program, month, progress=progress("补贴明细 subsidy lines"))
    for error in result["errors"]:
        click.echo(
            f"traineeship {error['traineeship_id']}, {error['field']}: {error['reason']}", err=True
        )
    for host in result["hosts"]:
        rate = "—" if host["retention_rate"] is None else f"{host['retention_rate']:.0%}"
        click.echo(
            f"host {host['host_id']}: retention {rate}, tier {host['tier']}, new {host['total']} yuan"
        )
    click.echo(
        f"{month}: {len(result['lines'])} new lines, {result['total']} yuan (rulebook {result['rulebook_version'][:12]})"
    )


payments_cli = AppGroup("payments", help="Record subsidy payments made by the finance bureau.")


@payments_cli.command("record")
@click.option("--program", "program", required=True, help="Program key or id.")
@click.option("--month", required=True, help="Every due line up to this month (YYYY-MM) was paid.")
@click.option("--reference", required=True, help="The finance bureau's payment reference.")
def payments_record(program: str, month: str, reference: str) -> None:
    """Mark a program's due subsidy lines up to a month as paid."""
    from app.services.settlement import record_payment

    with exit_if_refused():
        result = record_payment(None, program, month, reference)
    click.echo(
        f"{result['lines_paid']} lines marked paid; {result['paid_total']} yuan paid in all ({reference})"
    )


@policy_cli.command("find")
@click.option(
    "--as", "username", required=True, help="Office or admin account (sets the district)."
)
@click.option("--rule", default=None, help="Only this hiring-subsidy rule (e.g. hiring.youth).")
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default=None,
    help="Only findings with this status.",
)
def policy_find(username: str, rule: str | None, status: str | None) -> None:
    """List who qualifies, or may, for the one-off hiring subsidies, with what is missing."""
    from app.services.policy_finder import find

    with exit_if_refused():
        result = find(staff_account(username), rule, progress=progress("政策找人 hires checked"))
    shown = [f for f in result["findings"] if status in (None, f["status"])]
    for f in shown:
        missing = "; ".join(m["message"]["zh"] for m in f["missing"])
        click.echo(
            f"{f['status']:<15} seeker {f['seeker_id']} {f['seeker_name']} · {f['employer_name']} · "
            f"{f['rule']} ({f['source']}) {f['amount']} yuan · hired {f['hire_date']}"
            + (f" · {missing}" if missing else "")
        )
    click.echo(f"{len(shown)} findings from {result['hires_checked']} hires checked")


@payments_cli.command("hiring-grant")
@click.option("--as", "username", required=True, help="Office or admin account recording it.")
@click.option("--seeker", "seeker_id", type=int, required=True, help="Seeker id.")
@click.option("--rule", required=True, help="Hiring-subsidy rule, e.g. hiring.youth.")
@click.option("--reference", required=True, help="The finance bureau's payment reference.")
@click.option(
    "--date",
    "granted_on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Paid on (default today).",
)
def payments_hiring_grant(
    username: str, seeker_id: int, rule: str, reference: str, granted_on: dt.datetime | None
) -> None:
    """Record a one-off hiring subsidy the finder rates as qualifying as paid."""
    from app.services.hiring_grants import grant

    try:
        row = grant(
            staff_account(username),
            seeker_id,
            rule,
            reference,
            granted_on.date() if granted_on else None,
        )
    except DomainError as exc:
        click.echo(exc.message, err=True)
        for field, messages in (exc.errors or {}).items():
            details = [m for m in messages if m != exc.message]
            if details:
                click.echo(f"  {field}: {'; '.join(details)}", err=True)
        sys.exit(1)
    click.echo(
        f"grant {row.id}: {row.amount} yuan to employer {row.employer_id} for seeker {seeker_id}, "
        f"{row.rule_id} ({row.source}), paid {row.granted_on} ({row.reference})"
    )


def register(app: Flask) -> None:
    """Attach ``policy``, ``settle`` and ``payments`` to the app's CLI."""
    app.cli.add_command(policy_cli)
    app.cli.add_command(settle_command)
    app.cli.add_command(payments_cli)
