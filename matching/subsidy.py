"""Traineeship subsidy settlement: pure functions over plain dataclasses, money in integer yuan."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from matching import rows
from matching.conditions import add_months, evaluate
from matching.rulebook import Rule, Rulebook, RulebookError, load_rulebook

OUTCOMES: tuple[str, ...] = ("active", "completed", "retained", "converted_early", "left_early")
PROGRAM_NAMES: tuple[str, ...] = ("enterprise", "public")
PROGRAM_NAMES_ZH: dict[str, str] = {"enterprise": "企业", "public": "机关事业单位"}
OUTCOME_NAMES_ZH: dict[str, str] = {
    "active": "在岗",
    "completed": "期满未留用",
    "retained": "期满留用",
    "converted_early": "提前签订劳动合同",
    "left_early": "中途退出",
}
TRAINEESHIP_COLUMNS: tuple[rows.Column, ...] = (
    rows.Column("trainee_id", "见习人员编号", required=True, aliases=("人员编号",)),
    rows.Column("host_id", "见习单位编号", required=True, aliases=("单位编号",)),
    rows.Column("program", "见习类别", required=True),
    rows.Column("start", "开始日期", required=True, aliases=("见习开始日期",)),
    rows.Column("planned_months", "计划月数", required=True, aliases=("见习期限",)),
    rows.Column("outcome", "见习状态", required=True, aliases=("见习结果",)),
    rows.Column("end", "结束日期", aliases=("见习结束日期",)),
)
KIND_MONTHLY = "monthly"
KIND_TIER = "tier_supplement"
KIND_INSURANCE = "accident_insurance"
KIND_ADJUSTMENT = "adjustment"

RULE_MONTHLY = {
    "enterprise": "traineeship.enterprise.monthly",
    "public": "traineeship.public.monthly",
}
RULE_TIER = "traineeship.enterprise.retention_tier"
RULE_CONVERSION = "traineeship.enterprise.early_conversion"
RULE_INSURANCE = "traineeship.accident_insurance"
RULE_DURATION = "traineeship.eligibility.duration"


class SettlementError(ValueError):
    """A traineeship that cannot be settled under the rulebook, naming the trainee and field."""

    def __init__(self, trainee_id: str, field: str, reason: str, reason_zh: str) -> None:
        super().__init__(f"trainee {trainee_id}, field {field}: {reason}")
        self.trainee_id = trainee_id
        self.field = field
        self.reason = reason
        self.reason_zh = reason_zh


@dataclass(frozen=True)
class Traineeship:
    """One traineeship: `end` is the last day served (inclusive), None while active."""

    trainee_id: str
    host_id: str
    program: str
    start: dt.date
    planned_months: int
    outcome: str
    end: dt.date | None = None

    @property
    def planned_end(self) -> dt.date:
        """Return the last day of the planned traineeship."""
        return add_months(self.start, self.planned_months) - dt.timedelta(days=1)

    @property
    def last_day(self) -> dt.date | None:
        """Return the last day served, the planned end when completed without an end date."""
        if self.outcome in {"completed", "retained"} and self.end is None:
            return self.planned_end
        return self.end


@dataclass(frozen=True)
class Line:
    """One settlement line; adjustments correct an earlier line and never edit it."""

    trainee_id: str
    host_id: str
    month: str
    kind: str
    rate: int
    amount: int
    rule: str
    source: str
    rulebook: str
    corrects: str | None = None
    revision: int = 0

    @property
    def base_id(self) -> str:
        """Return the id of the payment line this line pays or corrects."""
        return self.corrects or f"{self.trainee_id}:{self.month}:{self.kind}"

    @property
    def line_id(self) -> str:
        """Return a unique id: one per (trainee, month, kind), plus a revision for adjustments."""
        return self.base_id if self.revision == 0 else f"{self.base_id}#{self.revision}"

    def as_dict(self) -> dict[str, Any]:
        """Return the line as JSON-ready data."""
        return {
            "line_id": self.line_id,
            "trainee_id": self.trainee_id,
            "host_id": self.host_id,
            "month": self.month,
            "kind": self.kind,
            "rate": self.rate,
            "amount": self.amount,
            "rule": self.rule,
            "source": self.source,
            "rulebook": self.rulebook,
            "corrects": self.corrects,
            "revision": self.revision,
        }


@dataclass(frozen=True)
class HostSummary:
    """A host's retention in one program and the total of the new lines for it."""

    host_id: str
    program: str
    completed: int
    retained: int
    converted_early: int
    left_early: int
    active: int
    retention_rate: Fraction | None
    tier: str
    total: int

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data (rate rounded to 4 places)."""
        rate = None if self.retention_rate is None else round(float(self.retention_rate), 4)
        return {
            "host_id": self.host_id,
            "program": self.program,
            "retention_rate": rate,
            "tier": self.tier,
            "total": self.total,
            "counts": {
                "completed": self.completed,
                "retained": self.retained,
                "converted_early": self.converted_early,
                "left_early": self.left_early,
                "active": self.active,
            },
        }


@dataclass(frozen=True)
class Settlement:
    """The new lines of a settlement run, host summaries, and months refused as double claims."""

    lines: tuple[Line, ...]
    hosts: tuple[HostSummary, ...]
    conflicts: tuple[dict[str, str], ...] = ()

    @property
    def total(self) -> int:
        """Return the sum of the new lines in yuan."""
        return sum(line.amount for line in self.lines)

    def as_dict(self) -> dict[str, Any]:
        """Return the settlement as JSON-ready data."""
        return {
            "hosts": [host.as_dict() for host in self.hosts],
            "lines": [line.as_dict() for line in self.lines],
            "total": self.total,
            "conflicts": list(self.conflicts),
        }


@dataclass(frozen=True)
class _Target:
    host_id: str
    rate: int
    amount: int
    rule: Rule


@dataclass
class _Paid:
    host_id: str
    amount: int = 0
    revision: int = 0
    rule: str = ""
    source: str = ""
    kind: str = ""
    month: str = ""
    trainee_id: str = ""
    lines: list[Line] = field(default_factory=list)


def retention_rate(completed: int, retained: int, converted_early: int) -> Fraction | None:
    """Return (retained + converted early) / (completed + retained + converted early), None if 0/0."""
    denominator = completed + retained + converted_early
    if denominator == 0:
        return None
    return Fraction(retained + converted_early, denominator)


def tier_reached(rate: Fraction | None, threshold_percent: int) -> bool:
    """Whether a retention rate meets the threshold, compared exactly (no floats)."""
    return rate is not None and rate * 100 >= threshold_percent


def check_traineeship(rulebook: Rulebook, t: Traineeship) -> None:
    """Refuse a traineeship the rulebook cannot settle, naming the field."""
    if t.program not in PROGRAM_NAMES:
        raise SettlementError(
            t.trainee_id, "program", f"unknown program {t.program!r}", f"未知见习类别 {t.program!r}"
        )
    if t.outcome not in OUTCOMES:
        raise SettlementError(
            t.trainee_id, "outcome", f"unknown outcome {t.outcome!r}", f"未知见习状态 {t.outcome!r}"
        )
    if t.planned_months < 1:
        raise SettlementError(t.trainee_id, "planned_months", "must be at least 1", "至少为 1")
    if rulebook.has_rule(RULE_DURATION):
        rule = rulebook.rule(RULE_DURATION)
        if rule.when is not None and t.program in rule.programs:
            outcome = evaluate(rule.when, {"traineeship.planned_months": t.planned_months}, t.start)
            if not outcome.passed:
                raise SettlementError(
                    t.trainee_id,
                    "planned_months",
                    f"{rule.source}: {outcome.en}",
                    f"{rule.source}：{outcome.zh}",
                )
    monthly = _rule(rulebook, RULE_MONTHLY[t.program], t.trainee_id)
    if not monthly.in_force(t.start):
        raise SettlementError(
            t.trainee_id,
            "start",
            f"{t.start} is outside the validity of {monthly.id} ({monthly.source})",
            f"{t.start} 不在 {monthly.name_zh}（{monthly.source}）的有效期内",
        )
    if t.outcome in {"left_early", "converted_early"} and t.end is None:
        raise SettlementError(
            t.trainee_id,
            "end",
            f"is required when the outcome is {t.outcome}",
            f"见习状态为 {OUTCOME_NAMES_ZH[t.outcome]} 时必填",
        )
    if t.outcome == "active" and t.end is not None:
        raise SettlementError(
            t.trainee_id,
            "end",
            "must be empty while the traineeship is active",
            "见习在岗期间应为空",
        )
    if t.end is not None and not t.start <= t.end <= t.planned_end:
        raise SettlementError(
            t.trainee_id,
            "end",
            f"{t.end} must lie between start {t.start} and planned end {t.planned_end}",
            f"{t.end} 应在开始日期 {t.start} 与计划结束日期 {t.planned_end} 之间",
        )


def _rule(rulebook: Rulebook, rule_id: str, trainee_id: str) -> Rule:
    try:
        return rulebook.rule(rule_id)
    except KeyError:
        raise SettlementError(
            trainee_id,
            "program",
            f"rulebook {rulebook.id} has no rule {rule_id}",
            f"规则库 {rulebook.id} 没有规则 {rule_id}",
        ) from None


def _ended(t: Traineeship, until: dt.date) -> bool:
    last = t.last_day
    return t.outcome != "active" and last is not None and last <= until


def _months(
    t: Traineeship, until: dt.date, min_days: int, cap: int | None
) -> list[tuple[str, bool]]:
    """Return (YYYY-MM, remaining) for each payable month due by `until`."""
    count = t.planned_months if cap is None else min(t.planned_months, cap)
    last = t.last_day
    out: list[tuple[str, bool]] = []
    for k in range(count):
        first = add_months(t.start, k)
        month_end = add_months(t.start, k + 1) - dt.timedelta(days=1)
        label = f"{first.year:04d}-{first.month:02d}"
        if t.outcome == "converted_early":
            if last is not None and last <= until:
                out.append((label, last < first))
            continue
        served_to = month_end if last is None else min(month_end, last)
        if served_to < first or served_to > until:
            continue
        days = (served_to - first).days + 1
        if served_to == month_end or days >= min_days:
            out.append((label, False))
    return out


def _targets(
    rulebook: Rulebook, traineeships: Sequence[Traineeship], until: dt.date
) -> tuple[dict[str, _Target], dict[tuple[str, str], HostSummary], list[dict[str, str]]]:
    min_days = rulebook.parameters.get("partial_month_min_days", 1)
    groups: dict[tuple[str, str], list[Traineeship]] = defaultdict(list)
    for t in traineeships:
        groups[(t.host_id, t.program)].append(t)
    hosts: dict[tuple[str, str], HostSummary] = {}
    for (host_id, program), items in groups.items():
        counts = {o: sum(1 for t in items if t.outcome == o) for o in OUTCOMES}
        rate = retention_rate(counts["completed"], counts["retained"], counts["converted_early"])
        if program != "enterprise" or not rulebook.has_rule(RULE_TIER):
            tier = "none"
        elif not all(_ended(t, until) for t in items):
            tier = "pending"
        else:
            threshold = rulebook.rule(RULE_TIER).params["threshold_percent"]
            tier = "higher" if tier_reached(rate, threshold) else "base"
        hosts[(host_id, program)] = HostSummary(
            host_id,
            program,
            counts["completed"],
            counts["retained"],
            counts["converted_early"],
            counts["left_early"],
            counts["active"],
            rate,
            tier,
            0,
        )
    targets: dict[str, _Target] = {}
    conflicts: list[dict[str, str]] = []
    insured: set[str] = set()
    # A capped rule (public posts: at most 12 months) caps the person, not one traineeship:
    # months are counted across all of a trainee's traineeships, earliest first.
    capped_months: Counter[tuple[str, str]] = Counter()
    for t in sorted(traineeships, key=lambda t: (t.start, t.trainee_id, t.host_id)):
        monthly = rulebook.rule(RULE_MONTHLY[t.program])
        cap = monthly.params.get("max_months")
        conversion = rulebook.rule(RULE_CONVERSION) if rulebook.has_rule(RULE_CONVERSION) else None
        convertible = conversion is not None and t.program in conversion.programs
        tier = hosts[(t.host_id, t.program)].tier
        for label, remaining in _months(t, until, min_days, cap):
            if remaining and not convertible:
                continue
            key = f"{t.trainee_id}:{label}:{KIND_MONTHLY}"
            if key in targets:
                conflicts.append({"trainee_id": t.trainee_id, "month": label, "host_id": t.host_id})
                continue
            if cap is not None:
                if capped_months[(t.trainee_id, monthly.id)] >= cap:
                    continue
                capped_months[(t.trainee_id, monthly.id)] += 1
            rule = conversion if remaining and conversion is not None else monthly
            rate = monthly.amount("per_month")
            targets[key] = _Target(t.host_id, rate, rate, rule)
            if tier == "higher" and t.outcome in {"retained", "converted_early"}:
                tier_rule = rulebook.rule(RULE_TIER)
                extra = tier_rule.amount("per_month") - rate
                targets[f"{t.trainee_id}:{label}:{KIND_TIER}"] = _Target(
                    t.host_id, extra, extra, tier_rule
                )
        if rulebook.has_rule(RULE_INSURANCE) and t.start <= until and t.trainee_id not in insured:
            insurance = rulebook.rule(RULE_INSURANCE)
            if t.program in insurance.programs:
                insured.add(t.trainee_id)
                label = f"{t.start.year:04d}-{t.start.month:02d}"
                once = insurance.amount("once")
                targets[f"{t.trainee_id}:{label}:{KIND_INSURANCE}"] = _Target(
                    t.host_id, once, once, insurance
                )
    return targets, hosts, conflicts


def settle(
    rulebook: Rulebook,
    traineeships: Iterable[Traineeship],
    until: dt.date,
    settled: Iterable[Line] = (),
) -> Settlement:
    """Settle traineeships up to a date; return only the lines not yet in `settled`.

    Settling again with the returned lines added to `settled` yields no lines. A fact that
    changed after payment yields an `adjustment` line that corrects the paid line.
    """
    items = list(traineeships)
    for t in items:
        check_traineeship(rulebook, t)
    targets, hosts, conflicts = _targets(rulebook, items, until)
    eventual, _, _ = _targets(rulebook, [_as_planned(t) for t in items], dt.date.max)
    paid: dict[str, _Paid] = {}
    for line in settled:
        entry = paid.setdefault(line.base_id, _Paid(line.host_id))
        entry.amount += line.amount
        entry.revision = max(entry.revision, line.revision)
        if line.kind != KIND_ADJUSTMENT:
            entry.rule, entry.source, entry.kind = line.rule, line.source, line.kind
            entry.month, entry.trainee_id = line.month, line.trainee_id
    new: list[Line] = []
    for key, target in targets.items():
        trainee_id, month, kind = key.split(":")
        entry = paid.get(key)
        if entry is None:
            new.append(
                Line(
                    trainee_id,
                    target.host_id,
                    month,
                    kind,
                    target.rate,
                    target.amount,
                    target.rule.id,
                    target.rule.source,
                    rulebook.version,
                )
            )
        elif entry.amount != target.amount:
            new.append(
                Line(
                    trainee_id,
                    target.host_id,
                    month,
                    KIND_ADJUSTMENT,
                    target.rate,
                    target.amount - entry.amount,
                    target.rule.id,
                    target.rule.source,
                    rulebook.version,
                    corrects=key,
                    revision=entry.revision + 1,
                )
            )
    pending = {h.host_id for h in hosts.values() if h.tier == "pending"}
    for key, entry in paid.items():
        if key in targets or entry.amount == 0 or key in eventual:
            continue
        if entry.kind == KIND_TIER and entry.host_id in pending:
            continue
        new.append(
            Line(
                entry.trainee_id,
                entry.host_id,
                entry.month,
                KIND_ADJUSTMENT,
                0,
                -entry.amount,
                entry.rule,
                entry.source,
                rulebook.version,
                corrects=key,
                revision=entry.revision + 1,
            )
        )
    new.sort(key=lambda line: (line.host_id, line.trainee_id, line.month, line.kind, line.revision))
    program_of = {(t.trainee_id, t.host_id): t.program for t in items}
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for line in new:
        program = program_of.get((line.trainee_id, line.host_id), "")
        totals[(line.host_id, program)] += line.amount
    summaries = tuple(replace(h, total=totals[key]) for key, h in sorted(hosts.items()))
    return Settlement(tuple(new), summaries, tuple(conflicts))


def _as_planned(t: Traineeship) -> Traineeship:
    """Project an active traineeship to its planned end, to tell 'not yet due' from 'not owed'."""
    if t.outcome != "active":
        return t
    return Traineeship(t.trainee_id, t.host_id, t.program, t.start, t.planned_months, "completed")


@dataclass(frozen=True)
class TierDistance:
    """How far a host is from the retention tier, as data and as a sentence in zh and en."""

    host_id: str
    retention_rate: Fraction | None
    threshold_percent: int
    reached: bool
    more_needed: int | None
    gain: int
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        """Return the distance as JSON-ready data."""
        rate = None if self.retention_rate is None else round(float(self.retention_rate), 4)
        return {
            "host_id": self.host_id,
            "retention_rate": rate,
            "threshold_percent": self.threshold_percent,
            "reached": self.reached,
            "more_needed": self.more_needed,
            "gain": self.gain,
            "message": {"zh": self.message_zh, "en": self.message_en},
        }


def tier_distance(
    rulebook: Rulebook, traineeships: Iterable[Traineeship], host_id: str
) -> TierDistance:
    """Tell a host how many more trainees it must retain to reach the tier, and what it gains.

    Active trainees count as completing unless retained; the gain is the tier supplement on the
    planned months of every retained trainee once the tier is reached.
    """
    tier_rule = rulebook.rule(RULE_TIER)
    threshold = tier_rule.params["threshold_percent"]
    extra = tier_rule.amount("per_month") - rulebook.rule(RULE_MONTHLY["enterprise"]).amount(
        "per_month"
    )
    items = [t for t in traineeships if t.host_id == host_id and t.program == "enterprise"]
    kept = [t for t in items if t.outcome in {"retained", "converted_early"}]
    candidates = sorted(
        (t for t in items if t.outcome in {"completed", "active"}), key=lambda t: -t.planned_months
    )
    denominator = len(kept) + len(candidates)
    rate = Fraction(len(kept), denominator) if denominator else None
    if tier_reached(rate, threshold):
        gain = extra * sum(t.planned_months for t in kept)
        return TierDistance(
            host_id,
            rate,
            threshold,
            True,
            0,
            gain,
            f"留用率已达到 {threshold}%，留用人员按每人每月 {tier_rule.amount('per_month')} 元补贴（{tier_rule.source}）",
            f"Your retention rate has reached {threshold}%: retained trainees are paid "
            f"{tier_rule.amount('per_month')} yuan a month ({tier_rule.source})",
        )
    need = next(
        (
            k
            for k in range(1, len(candidates) + 1)
            if (len(kept) + k) * 100 >= threshold * denominator
        ),
        None,
    )
    if need is None:
        return TierDistance(
            host_id,
            rate,
            threshold,
            False,
            None,
            0,
            f"目前没有可留用的见习人员，留用率无法达到 {threshold}%",
            f"No trainee left to retain: the rate cannot reach {threshold}%",
        )
    gain = extra * (
        sum(t.planned_months for t in kept) + sum(t.planned_months for t in candidates[:need])
    )
    return TierDistance(
        host_id,
        rate,
        threshold,
        False,
        need,
        gain,
        f"再留用 {need} 名见习人员，留用率即可达到 {threshold}%：增加 {gain} 元（{tier_rule.source}）",
        f"Retain {need} more trainee{'s' if need > 1 else ''} and your rate reaches {threshold}%: "
        f"+{gain} yuan ({tier_rule.source})",
    )


def traineeship_from_row(row: Mapping[str, Any], index: int) -> Traineeship:
    """Parse one input row into a Traineeship, raising RowError naming the line and field."""
    rows.check_shape(row, index)
    return Traineeship(
        trainee_id=str(rows.text(row, "trainee_id", index)),
        host_id=str(rows.text(row, "host_id", index)),
        program=rows.choice(row, "program", index, PROGRAM_NAMES, PROGRAM_NAMES_ZH),
        start=rows.required_date(row, "start", index),
        planned_months=rows.integer(row, "planned_months", index),
        outcome=rows.choice(row, "outcome", index, OUTCOMES, OUTCOME_NAMES_ZH),
        end=rows.date(row, "end", index, required=False),
    )


def line_from_dict(data: Mapping[str, Any], index: int = 1) -> Line:
    """Rebuild a settled line from its JSON form, raising RowError naming the item and field."""
    rows.check_shape(data, index)
    revision = rows.integer(data, "revision", index, default=0)
    return Line(
        trainee_id=str(rows.text(data, "trainee_id", index)),
        host_id=str(rows.text(data, "host_id", index)),
        month=str(rows.text(data, "month", index)),
        kind=str(rows.text(data, "kind", index)),
        rate=rows.integer(data, "rate", index),
        amount=rows.integer(data, "amount", index),
        rule=str(rows.text(data, "rule", index)),
        source=str(rows.text(data, "source", index)),
        rulebook=rows.text(data, "rulebook", index, required=False) or "",
        corrects=rows.text(data, "corrects", index, required=False),
        revision=revision,
    )


def _settled_lines(path: str) -> list[Line]:
    """Read the --settled file: a JSON array of the lines printed before."""
    items = rows.read_json_items(path)
    table = rows.Table(path, "item", items)
    out: list[Line] = []
    for item, data in items:
        try:
            out.append(line_from_dict(data, item))
        except rows.RowError as exc:
            raise rows.InputError(
                path, exc.en, exc.zh, line=item, column=table.header(exc.field), unit="item"
            ) from None
    return out


def _settles_traineeships(rulebook: Rulebook) -> None:
    """Refuse a rulebook without traineeship subsidies, in one line."""
    if not rulebook.of_kind("traineeship_subsidy"):
        raise rows.InputError(
            rulebook.path,
            f"rulebook {rulebook.id} has no traineeship subsidy rules: nothing to settle",
            f"规则库 {rulebook.id} 没有见习补贴规则：无可结算",
        )


def _settle_cli(args: argparse.Namespace, lang: str) -> int:
    if args.template:
        print(rows.write_template(args.template, TRAINEESHIP_COLUMNS, lang))
        return 0
    rows.require_options(args, "rulebook", "traineeships", "until")
    until = rows.parse_date_option(args.until, "--until")
    rulebook = load_rulebook(args.rulebook)
    _settles_traineeships(rulebook)
    settled = _settled_lines(args.settled) if args.settled else []
    table = rows.read_table(args.traineeships, TRAINEESHIP_COLUMNS)
    good: list[Traineeship] = []
    errors: list[dict[str, Any]] = []
    for line, row in table:
        try:
            t = traineeship_from_row(row, line)
            check_traineeship(rulebook, t)
        except rows.RowError as exc:
            errors.append(exc.as_dict(table))
            print(exc.message(table, lang), file=sys.stderr)
            continue
        except SettlementError as exc:
            error = rows.RowError(line, exc.field, exc.reason, exc.reason_zh)
            errors.append(error.as_dict(table))
            print(error.message(table, lang), file=sys.stderr)
            continue
        good.append(t)
    result = settle(rulebook, good, until, settled).as_dict()
    result["errors"] = errors
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return rows.EXIT_INPUT if errors else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the subsidy CLI: `settle` prints the lines due up to a date.

    Exit status 0 when all is well, 2 on any input problem (one line per problem on stderr, in
    Chinese, or English with --lang en or LANG=en…).
    """
    parser = rows.ToolParser(prog="python -m matching.subsidy")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("settle", help="settle traineeship subsidies up to a date")
    run.add_argument("--rulebook")
    run.add_argument("--traineeships", help="JSON array or CSV of traineeships")
    run.add_argument("--until", help="settle months ended by this date YYYY-MM-DD")
    run.add_argument("--settled", default=None, help="JSON array of lines settled before")
    run.add_argument("--template", help="write an empty traineeships spreadsheet (CSV) and stop")
    run.add_argument("--lang", choices=["zh", "en"], default=None, help="message language")
    args = parser.parse_args(argv)
    lang = rows.language(args.lang)
    try:
        return _settle_cli(args, lang)
    except rows.InputError as exc:
        print(exc.message(lang), file=sys.stderr)
    except RulebookError as exc:
        print(exc.message(lang), file=sys.stderr)
    return rows.EXIT_INPUT


if __name__ == "__main__":
    rows.run(main)
