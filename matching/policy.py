"""Traineeship eligibility under a rulebook, and the `python -m matching.policy` CLI."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matching import rows
from matching.conditions import evaluate, fields_of
from matching.education import EDUCATION_LEVELS, EDUCATION_NAMES_ZH
from matching.rulebook import Rule, Rulebook, RulebookError, load_rulebook, parse_rulebook

__all__ = [
    "Decision",
    "Person",
    "Reason",
    "RulebookError",
    "check_eligibility",
    "load_rulebook",
    "parse_rulebook",
    "person_facts",
    "person_from_row",
]


@dataclass(frozen=True)
class Person:
    """A job seeker as the policy engine sees them; dates are plain dates, codes GB/T 2260."""

    person_id: str
    birth_date: dt.date
    hukou_district: str | None
    education: str | None
    graduation_date: dt.date | None
    employed: bool
    registered_unemployed_since: dt.date | None
    has_active_traineeship: bool = False
    priority_groups: frozenset[str] = field(default_factory=frozenset)
    graduation_year: int | None = None
    insured_months: int | None = None
    has_certificate: bool | None = None
    receives_ui_benefit: bool | None = None
    certificate_obtained_on: dt.date | None = None
    registered_unemployed_district: str | None = None


@dataclass(frozen=True)
class Reason:
    """One rule checked for a decision, with its source clause and a message in zh and en."""

    rule: str
    source: str
    passed: bool
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        """Return the reason as JSON-ready data."""
        return {
            "rule": self.rule,
            "source": self.source,
            "passed": self.passed,
            "message": {"zh": self.message_zh, "en": self.message_en},
        }


@dataclass(frozen=True)
class Decision:
    """An eligibility decision: eligible only when every reason passed."""

    person_id: str
    program: str
    on: dt.date
    eligible: bool
    reasons: tuple[Reason, ...]
    rulebook: str
    version: str

    def as_dict(self) -> dict[str, Any]:
        """Return the decision as JSON-ready data."""
        return {
            "person_id": self.person_id,
            "eligible": self.eligible,
            "reasons": [reason.as_dict() for reason in self.reasons],
        }


def person_facts(person: Person) -> dict[str, Any]:
    """Return the person's named fields as conditions read them."""
    year = person.graduation_year
    if year is None and person.graduation_date is not None:
        year = person.graduation_date.year
    return {
        "person.birth_date": person.birth_date,
        "person.hukou_district": person.hukou_district,
        "person.education": person.education,
        "person.graduation_date": person.graduation_date,
        "person.graduation_year": year,
        "person.employed": person.employed,
        "person.registered_unemployed_since": person.registered_unemployed_since,
        "person.registered_unemployed_district": person.registered_unemployed_district,
        "person.has_active_traineeship": person.has_active_traineeship,
        "person.priority_groups": frozenset(person.priority_groups),
        "person.insured_months": person.insured_months,
        "person.has_certificate": person.has_certificate,
        "person.receives_ui_benefit": person.receives_ui_benefit,
        "person.certificate_obtained_on": person.certificate_obtained_on,
    }


def apply_rule(rule: Rule, facts: Mapping[str, Any], on: dt.date) -> Reason:
    """Check one rule on a date, including whether the rule is in force then."""
    if not rule.in_force(on):
        until = rule.valid_until.isoformat() if rule.valid_until else "—"
        return Reason(
            rule.id,
            rule.source,
            False,
            f"{rule.name_zh}：{on.isoformat()} 不在规则有效期（{rule.valid_from.isoformat()} 至 {until}）内",
            f"{rule.name_en}: {on.isoformat()} is outside the rule's validity "
            f"({rule.valid_from.isoformat()} to {until})",
        )
    if rule.when is None:
        return Reason(rule.id, rule.source, True, rule.name_zh, rule.name_en)
    outcome = evaluate(rule.when, facts, on)
    return Reason(
        rule.id,
        rule.source,
        outcome.passed,
        f"{rule.name_zh}：{outcome.zh}",
        f"{rule.name_en}: {outcome.en}",
    )


def check_eligibility(
    rulebook: Rulebook,
    person: Person,
    program: str,
    on: dt.date,
    planned_months: int | None = None,
) -> Decision:
    """Decide whether a person may start a traineeship of a program on a date, with every reason.

    Rules about the traineeship's duration are checked only when `planned_months` is given.
    """
    facts = person_facts(person)
    facts["traineeship.program"] = program
    facts["traineeship.start"] = on
    if planned_months is not None:
        facts["traineeship.planned_months"] = planned_months
    rules = [r for r in rulebook.of_kind("eligibility") if program in r.programs]
    if not rules:
        raise ValueError(f"rulebook {rulebook.id} has no eligibility rules for program {program!r}")
    reasons = tuple(
        apply_rule(rule, facts, on)
        for rule in rules
        if rule.when is None or fields_of(rule.when) <= facts.keys()
    )
    return Decision(
        person_id=person.person_id,
        program=program,
        on=on,
        eligible=all(reason.passed for reason in reasons),
        reasons=reasons,
        rulebook=rulebook.id,
        version=rulebook.version,
    )


PEOPLE_COLUMNS: tuple[rows.Column, ...] = (
    rows.Column("person_id", "人员编号", required=True, aliases=("编号",)),
    rows.Column("birth_date", "出生日期", required=True),
    rows.Column("hukou_district", "户籍区县代码", aliases=("户籍区县", "户籍地")),
    rows.Column("education", "学历"),
    rows.Column("graduation_date", "离校日期", aliases=("毕业日期",)),
    rows.Column("employed", "是否已就业", required=True, aliases=("是否就业",)),
    rows.Column("registered_unemployed_since", "失业登记日期"),
    rows.Column("registered_unemployed_district", "失业登记地", aliases=("失业登记地代码",)),
    rows.Column("has_active_traineeship", "是否有在岗见习"),
)


def _district_code(row: Mapping[str, Any], key: str, index: int) -> str | None:
    """An optional 6-digit GB/T 2260 code field."""
    code = rows.text(row, key, index, required=False)
    if code is not None and not (len(code) == 6 and code.isdigit()):
        raise rows.RowError(
            index, key, f"{code!r} is not a 6-digit GB/T 2260 code", f"{code!r} 不是6位行政区划代码"
        )
    return code


def person_from_row(row: Mapping[str, Any], index: int) -> Person:
    """Parse one input row into a Person, raising RowError naming the line and field."""
    rows.check_shape(row, index)
    hukou = _district_code(row, "hukou_district", index)
    registered_in = _district_code(row, "registered_unemployed_district", index)
    education = None
    if rows.text(row, "education", index, required=False) is not None:
        education = rows.choice(row, "education", index, EDUCATION_LEVELS, EDUCATION_NAMES_ZH)
    return Person(
        person_id=str(rows.text(row, "person_id", index)),
        birth_date=rows.required_date(row, "birth_date", index),
        hukou_district=hukou,
        education=education,
        graduation_date=rows.date(row, "graduation_date", index, required=False),
        employed=rows.boolean(row, "employed", index),
        registered_unemployed_since=rows.date(
            row, "registered_unemployed_since", index, required=False
        ),
        registered_unemployed_district=registered_in,
        has_active_traineeship=rows.boolean(row, "has_active_traineeship", index, default=False),
    )


def _eligibility_rules(rulebook: Rulebook, program: str) -> None:
    """Refuse a rulebook without traineeship eligibility rules for the program, in one line."""
    if not any(program in r.programs for r in rulebook.of_kind("eligibility")):
        raise rows.InputError(
            rulebook.path,
            f"rulebook {rulebook.id} has no traineeship eligibility rules for program "
            f"{program}: its documents set no traineeships, so it cannot decide who may start one",
            f"规则库 {rulebook.id} 没有“{program}”见习的对象条件：其文件未规定就业见习，无法判断谁可参加",
        )


def _eligible(args: argparse.Namespace, lang: str) -> int:
    if args.template:
        print(rows.write_template(args.template, PEOPLE_COLUMNS, lang))
        return 0
    rows.require_options(args, "rulebook", "program", "on", "people")
    on = rows.parse_date_option(args.on, "--on")
    rulebook = load_rulebook(args.rulebook)
    _eligibility_rules(rulebook, args.program)
    table = rows.read_table(args.people, PEOPLE_COLUMNS)
    out: list[dict[str, Any]] = []
    failed = False
    for line, row in table:
        try:
            person = person_from_row(row, line)
        except rows.RowError as exc:
            failed = True
            print(exc.message(table, lang), file=sys.stderr)
            out.append(
                {"person_id": row.get("person_id"), "eligible": None, "error": exc.as_dict(table)}
            )
            continue
        decision = check_eligibility(rulebook, person, args.program, on, args.months)
        out.append(decision.as_dict())
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return rows.EXIT_INPUT if failed else 0


def _check(args: argparse.Namespace) -> int:
    rulebook = load_rulebook(args.file)
    print(f"{args.file}: ok, {rulebook.id}, {len(rulebook.rules)} rules, sha256 {rulebook.version}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the policy CLI: `eligible` checks people, `check` validates a rulebook.

    Exit status 0 when all is well, 2 on any input problem (one line per problem on stderr, in
    Chinese, or English with --lang en or LANG=en…).
    """
    common = rows.ToolParser(add_help=False)
    common.add_argument("--lang", choices=["zh", "en"], default=None, help="message language")
    parser = rows.ToolParser(prog="python -m matching.policy")
    commands = parser.add_subparsers(dest="command", required=True)
    eligible = commands.add_parser(
        "eligible", parents=[common], help="check people's traineeship eligibility"
    )
    eligible.add_argument("--rulebook")
    eligible.add_argument("--program", choices=["enterprise", "public"])
    eligible.add_argument("--on", help="traineeship start date YYYY-MM-DD")
    eligible.add_argument("--people", help="JSON array or CSV of people")
    eligible.add_argument("--months", type=int, default=None, help="planned duration in months")
    eligible.add_argument("--template", help="write an empty people spreadsheet (CSV) and stop")
    check = commands.add_parser("check", parents=[common], help="validate a rulebook")
    check.add_argument("file")
    args = parser.parse_args(argv)
    lang = rows.language(args.lang)
    try:
        return _check(args) if args.command == "check" else _eligible(args, lang)
    except rows.InputError as exc:
        print(exc.message(lang), file=sys.stderr)
    except RulebookError as exc:
        print(exc.message(lang), file=sys.stderr)
    return rows.EXIT_INPUT


if __name__ == "__main__":
    rows.run(main)
