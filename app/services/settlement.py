"""Monthly subsidy settlement: build matching.subsidy inputs from the database, store only new lines."""

import calendar
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app.errors import Forbidden, RuleViolation
from app.extensions import db
from app.identifiers import mask_id_number
from app.models import Employer, Program, SubsidyLine, Traineeship, User
from app.services.cells import safe_row
from app.services.common import audit, commit, get_or_404, require_office_over
from app.services.employers import get_employer
from app.services.programs import find_program
from app.services.rulebooks import program_rulebook, version_by_hash
from matching import subsidy
from matching.rulebook import Rulebook

Progress = Callable[[Iterable], Iterable]
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
OUTCOME_NAMES = {
    "active": ("见习中", "in progress"),
    "completed": ("期满未留用", "completed, not retained"),
    "retained": ("期满留用", "retained"),
    "converted_early": ("提前签约留用", "contract signed early"),
    "left_early": ("提前离岗", "left early"),
}
TIER_NAMES = {
    "higher": ("提高档", "higher tier"),
    "base": ("基础档", "base tier"),
    "pending": ("待定（尚有见习未结束）", "pending (traineeships still running)"),
    "none": ("不适用", "not applicable"),
}


def month_end(month: str) -> dt.date:
    """The last day of a YYYY-MM month, refusing any other shape."""
    match = MONTH.match(month or "")
    if not match:
        raise RuleViolation("月份应为 YYYY-MM / month must read YYYY-MM", field="month")
    year, number = int(match.group(1)), int(match.group(2))
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def as_input(row: Traineeship, program: Program) -> subsidy.Traineeship:
    """The settlement library's view of a traineeship row (trainee id = traineeship id)."""
    return subsidy.Traineeship(
        trainee_id=str(row.id),
        host_id=str(row.host_id),
        program=program.kind,
        start=row.started_on,
        planned_months=row.planned_months,
        outcome=row.outcome,
        end=row.ended_on,
    )


def as_line(row: SubsidyLine) -> subsidy.Line:
    """The settlement library's view of a stored line."""
    return subsidy.Line(
        trainee_id=str(row.traineeship_id),
        host_id=str(row.host_id),
        month=row.month,
        kind=row.kind,
        rate=row.rate,
        amount=row.amount,
        rule=row.rule_id,
        source=row.source,
        rulebook=row.rulebook_version,
        corrects=row.corrects,
        revision=row.revision,
    )


def _traineeships(
    program: Program, until: dt.date, host_id: int | None = None
) -> list[Traineeship]:
    stmt = (
        select(Traineeship)
        .options(joinedload(Traineeship.seeker), joinedload(Traineeship.posting))
        .where(Traineeship.program_id == program.id, Traineeship.started_on <= until)
        .order_by(Traineeship.id)
    )
    if host_id is not None:
        stmt = stmt.where(Traineeship.host_id == host_id)
    return list(db.session.scalars(stmt))


def _stored(program: Program, host_id: int | None = None) -> list[SubsidyLine]:
    stmt = select(SubsidyLine).where(SubsidyLine.program_id == program.id)
    if host_id is not None:
        stmt = stmt.where(SubsidyLine.host_id == host_id)
    return list(
        db.session.scalars(
            stmt.order_by(
                SubsidyLine.month,
                SubsidyLine.traineeship_id,
                SubsidyLine.kind,
                SubsidyLine.revision,
            )
        )
    )


def _split(
    rulebook: Rulebook, program: Program, rows: Sequence[Traineeship]
) -> tuple[list[subsidy.Traineeship], list[dict]]:
    """Inputs the rulebook can settle, and the refused ones with the field and reason."""
    good, errors = [], []
    for row in rows:
        item = as_input(row, program)
        try:
            subsidy.check_traineeship(rulebook, item)
        except subsidy.SettlementError as exc:
            reason = f"{exc.reason_zh} / {exc.reason}"
            errors.append({"traineeship_id": row.id, "field": exc.field, "reason": reason})
            continue
        good.append(item)
    return good, errors


def _compute(
    program: Program, until: dt.date, host_id: int | None = None
) -> tuple[Rulebook, subsidy.Settlement, list[dict], list[SubsidyLine]]:
    rulebook = program_rulebook(program)
    good, errors = _split(rulebook, program, _traineeships(program, until, host_id))
    included = {t.trainee_id for t in good}
    stored = _stored(program, host_id)
    settled = [as_line(row) for row in stored if str(row.traineeship_id) in included]
    return rulebook, subsidy.settle(rulebook, good, until, settled), errors, stored


def run_settlement(
    user: User | None, key_or_id: str | int, month: str, progress: Progress = iter
) -> dict[str, Any]:
    """Settle a program up to the end of a month and store the new lines; running it again adds none."""
    until = month_end(month)
    program = find_program(key_or_id)
    if user is not None:
        require_office_over(user, program.district_code)
    rulebook, result, errors, _ = _compute(program, until)
    rows = [
        SubsidyLine(
            traineeship_id=int(line.trainee_id),
            host_id=int(line.host_id),
            program_id=program.id,
            month=line.month,
            kind=line.kind,
            rate=line.rate,
            amount=line.amount,
            rule_id=line.rule,
            source=line.source,
            rulebook_version=line.rulebook,
            corrects=line.corrects,
            revision=line.revision,
        )
        for line in progress(result.lines)
    ]
    db.session.add_all(rows)
    audit(
        user,
        "settle",
        "program",
        program.id,
        None,
        {"month": month, "lines": len(rows), "total": result.total},
    )
    commit(what="settle")
    return {
        "program_id": program.id,
        "month": month,
        "until": until,
        "rulebook_version": rulebook.version,
        "total": result.total,
        "lines": [_line_view(row, rulebook) for row in rows],
        "hosts": [h.as_dict() for h in result.hosts],
        "conflicts": list(result.conflicts),
        "errors": errors,
    }


def record_payment(
    user: User | None, key_or_id: str | int, month: str, reference: str
) -> dict[str, Any]:
    """Mark every due line of a program up to a month as paid, after the finance bureau pays the claim.

    Lines are only ever moved from due to paid (amounts never change); the payment reference
    is recorded in the audit trail.
    """
    program = find_program(key_or_id)
    if user is not None:
        require_office_over(user, program.district_code)
    result = db.session.execute(
        update(SubsidyLine)
        .where(
            SubsidyLine.program_id == program.id,
            SubsidyLine.month <= month,
            SubsidyLine.status == "due",
        )
        .values(status="paid")
        .execution_options(synchronize_session=False)
    )
    paid = db.session.scalar(
        select(func.coalesce(func.sum(SubsidyLine.amount), 0)).where(
            SubsidyLine.program_id == program.id, SubsidyLine.status == "paid"
        )
    )
    audit(
        user,
        "record_payment",
        "program",
        program.id,
        None,
        {"month": month, "lines": result.rowcount, "reference": reference},
    )
    commit(what="record payment")
    return {
        "program_id": program.id,
        "month": month,
        "lines_paid": result.rowcount,
        "paid_total": int(paid),
        "reference": reference,
    }


def _rule_names(rulebook: Rulebook | None, rule_id: str) -> tuple[str, str]:
    if rulebook is not None and rulebook.has_rule(rule_id):
        rule = rulebook.rule(rule_id)
        return rule.name_zh, rule.name_en
    return rule_id, rule_id


def _line_view(row: SubsidyLine, fallback: Rulebook | None = None) -> dict[str, Any]:
    """A stored line with the rule's name and a sentence saying why it is due."""
    rulebook = version_by_hash(row.rulebook_version) or fallback
    name_zh, name_en = _rule_names(rulebook, row.rule_id)
    if row.kind == subsidy.KIND_ADJUSTMENT:
        zh = f"{row.month} 更正第 {row.revision} 次：{row.amount:+d} 元，{name_zh}（{row.source}）"
        en = f"{row.month} correction #{row.revision}: {row.amount:+d} yuan, {name_en} ({row.source})"
    else:
        zh = f"{row.month} {name_zh}：{row.amount} 元（{row.source}）"
        en = f"{row.month} {name_en}: {row.amount} yuan ({row.source})"
    return {
        "id": row.id,
        "traineeship_id": row.traineeship_id,
        "host_id": row.host_id,
        "month": row.month,
        "kind": row.kind,
        "rate": row.rate,
        "amount": row.amount,
        "rule": row.rule_id,
        "source": row.source,
        "rulebook_version": row.rulebook_version,
        "revision": row.revision,
        "corrects": row.corrects,
        "status": row.status,
        "explanation": {"zh": zh, "en": en},
    }


def months_served(lines: Iterable[SubsidyLine]) -> dict[int, int]:
    """Months with a net positive monthly subsidy, per traineeship."""
    net: dict[tuple[int, str], int] = defaultdict(int)
    for line in lines:
        if line.kind == subsidy.KIND_MONTHLY or (line.corrects or "").endswith(
            f":{subsidy.KIND_MONTHLY}"
        ):
            net[(line.traineeship_id, line.month)] += line.amount
    out: dict[int, int] = defaultdict(int)
    for (traineeship_id, _), amount in net.items():
        if amount > 0:
            out[traineeship_id] += 1
    return out


def _scope_host(user: User, program: Program, host_id: int | None) -> int | None:
    """The host an employer is limited to, or the requested one for an office over the program."""
    if user.role == "employer":
        if host_id is not None and host_id != user.employer_id:
            raise Forbidden("只能查看本单位的补贴 / you may see only your own subsidies")
        return user.employer_id
    if user.role not in ("office", "admin"):
        raise Forbidden("无权查看补贴 / you may not see subsidies")
    require_office_over(user, program.district_code)
    return host_id


def _host_view(
    summary: subsidy.HostSummary, host: Employer | None, paid: int, due: int, months: int
) -> dict[str, Any]:
    tier_zh, tier_en = TIER_NAMES[summary.tier]
    data = summary.as_dict()
    data.update(
        {
            "host_id": int(summary.host_id),
            "host_name": host.name if host else None,
            "paid": paid,
            "due": due,
            "months_served": months,
            "tier_name": {"zh": tier_zh, "en": tier_en},
        }
    )
    return data


def settlement_view(user: User, program_id: int, month: str | None) -> dict[str, Any]:
    """Stored lines (of one month, or all) with explanations and each host's retention, tier and totals."""
    program = get_or_404(Program, program_id, "计划")
    host_id = _scope_host(user, program, None)
    until = month_end(month) if month else dt.date.today()
    rulebook, result, errors, stored = _compute(program, until, host_id)
    up_to = [row for row in stored if row.month <= f"{until:%Y-%m}"]
    shown = [row for row in up_to if month is None or row.month == month]
    paid: dict[int, int] = defaultdict(int)
    for row in up_to:
        paid[row.host_id] += row.amount
    due: dict[str, int] = defaultdict(int)
    for line in result.lines:
        due[line.host_id] += line.amount
    served = months_served(up_to)
    months_by_host: dict[int, int] = defaultdict(int)
    host_of = {row.traineeship_id: row.host_id for row in up_to}
    for traineeship_id, count in served.items():
        months_by_host[host_of[traineeship_id]] += count
    hosts = {
        e.id: e
        for e in db.session.scalars(
            select(Employer).where(Employer.id.in_([int(h.host_id) for h in result.hosts]))
        )
    }
    return {
        "program_id": program.id,
        "month": month,
        "until": until,
        "rulebook_version": rulebook.version,
        "lines": [_line_view(row, rulebook) for row in shown],
        "total": sum(row.amount for row in shown),
        "hosts": [
            _host_view(
                h,
                hosts.get(int(h.host_id)),
                paid[int(h.host_id)],
                due[h.host_id],
                months_by_host[int(h.host_id)],
            )
            for h in result.hosts
        ],
        "errors": errors,
    }


def _as_planned(item: subsidy.Traineeship) -> subsidy.Traineeship:
    if item.outcome != "active":
        return item
    return subsidy.Traineeship(
        item.trainee_id, item.host_id, item.program, item.start, item.planned_months, "completed"
    )


def employer_subsidy(user: User, employer_id: int, on: dt.date | None = None) -> dict[str, Any]:
    """A host's retention rate, tier, paid and expected amounts and distance to the tier, per program."""
    from app.services.retention_forecast import host_forecast  # scikit-learn: loaded when used

    employer = get_employer(user, employer_id)
    on = on or dt.date.today()
    program_ids = db.session.scalars(
        select(Traineeship.program_id)
        .where(Traineeship.host_id == employer.id, Traineeship.program_id.is_not(None))
        .distinct()
    )
    programs = []
    for program in db.session.scalars(
        select(Program).where(Program.id.in_(list(program_ids))).order_by(Program.id)
    ):
        rulebook = program_rulebook(program)
        rows = _traineeships(program, dt.date.max, employer.id)
        good, errors = _split(rulebook, program, rows)
        stored = _stored(program, employer.id)
        included = {t.trainee_id for t in good}
        settled = [as_line(row) for row in stored if str(row.traineeship_id) in included]
        now = subsidy.settle(rulebook, good, on, settled)
        eventual = subsidy.settle(rulebook, [_as_planned(t) for t in good], dt.date.max)
        summary = next((h for h in now.hosts if h.host_id == str(employer.id)), None)
        served = months_served(stored)
        paid_by: dict[int, int] = defaultdict(int)
        for row in stored:
            paid_by[row.traineeship_id] += row.amount
        distance = None
        if program.kind == "enterprise" and rulebook.has_rule(subsidy.RULE_TIER) and good:
            distance = subsidy.tier_distance(rulebook, good, str(employer.id)).as_dict()
        tier = summary.tier if summary else "none"
        programs.append(
            {
                "program_id": program.id,
                "program_key": program.key,
                "program_name": program.name,
                "retention_rate": summary.as_dict()["retention_rate"] if summary else None,
                "tier": tier,
                "tier_name": {"zh": TIER_NAMES[tier][0], "en": TIER_NAMES[tier][1]},
                "counts": summary.as_dict()["counts"] if summary else {},
                "paid": sum(row.amount for row in stored),
                "due_now": now.total,
                "expected_total": eventual.total,
                "tier_distance": distance,
                "forecast": host_forecast(employer.id, program.id)
                if program.kind == "enterprise"
                else None,
                "trainees": [
                    {
                        "traineeship_id": row.id,
                        "name": row.seeker.name,
                        "started_on": row.started_on,
                        "planned_months": row.planned_months,
                        "ended_on": row.ended_on,
                        "outcome": row.outcome,
                        "months_served": served.get(row.id, 0),
                        "paid": paid_by.get(row.id, 0),
                    }
                    for row in rows
                ],
                "errors": errors,
            }
        )
    return {
        "employer_id": employer.id,
        "employer_name": employer.name,
        "on": on,
        "programs": programs,
    }


HEADERS = (
    ("序号 No.", 8),
    ("姓名 Name", 14),
    ("身份证号 ID number", 24),
    ("见习岗位 Post", 28),
    ("开始日期 Start", 14),
    ("计划月数 Planned months", 12),
    ("结束日期 End", 14),
    ("已补贴月数 Months paid", 12),
    ("留用情况 Retention", 22),
    ("补贴金额（元） Amount (yuan)", 16),
)


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "host"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:25]}({n})", n + 1
    used.add(title)
    return title


def claims_workbook(
    user: User, program_id: int, host_id: int | None = None, month: str | None = None
) -> tuple[bytes, str]:
    """The finance bureau's claim sheet: one sheet per host with masked ID numbers and amounts."""
    from openpyxl import Workbook  # loaded when a workbook is written, not at start-up
    from openpyxl.styles import Font

    program = get_or_404(Program, program_id, "计划")
    host_id = _scope_host(user, program, host_id)
    until = month_end(month) if month else dt.date.max
    rows = _traineeships(program, until, host_id)
    stored = [row for row in _stored(program, host_id) if month is None or row.month <= month]
    served = months_served(stored)
    amounts: dict[int, int] = defaultdict(int)
    for line in stored:
        amounts[line.traineeship_id] += line.amount
    by_host: dict[int, list[Traineeship]] = defaultdict(list)
    for row in rows:
        by_host[row.host_id].append(row)
    hosts = {
        e.id: e for e in db.session.scalars(select(Employer).where(Employer.id.in_(list(by_host))))
    }
    book = Workbook()
    summary = book.active
    summary.title = "汇总 Summary"
    _header(
        summary,
        ("见习单位 Host", 36),
        ("统一社会信用代码 Credit code", 24),
        ("见习人数 Trainees", 12),
        ("补贴金额（元） Amount (yuan)", 16),
    )
    used = {summary.title}
    for host_id_, trainees in sorted(by_host.items(), key=lambda kv: hosts[kv[0]].name):
        host = hosts[host_id_]
        sheet = book.create_sheet(_sheet_title(host.name, used))
        _header(sheet, *HEADERS)
        for n, t in enumerate(trainees, start=1):
            zh, en = OUTCOME_NAMES[t.outcome]
            sheet.append(
                safe_row(
                    [
                        n,
                        t.seeker.name,
                        mask_id_number(t.seeker.id_number),
                        t.posting.title if t.posting else "",
                        t.started_on,
                        t.planned_months,
                        t.ended_on,
                        served.get(t.id, 0),
                        f"{zh} {en}",
                        amounts.get(t.id, 0),
                    ]
                )
            )
        total_row = len(trainees) + 2
        sheet.cell(total_row, 1, "合计 Total").font = Font(bold=True)
        sheet.cell(total_row, 10, sum(amounts.get(t.id, 0) for t in trainees)).font = Font(
            bold=True
        )
        for row in sheet.iter_rows(min_row=2, max_row=total_row):
            row[4].number_format = row[6].number_format = "yyyy-mm-dd"
            row[5].number_format = row[7].number_format = "0"
            row[9].number_format = "#,##0"
        summary.append(
            safe_row(
                [
                    host.name,
                    host.credit_code,
                    len(trainees),
                    sum(amounts.get(t.id, 0) for t in trainees),
                ]
            )
        )
        summary.cell(summary.max_row, 4).number_format = "#,##0"
    buffer = io.BytesIO()
    book.save(buffer)
    suffix = f"-{month}" if month else ""
    return buffer.getvalue(), f"claims-{program.key}{suffix}.xlsx"


def _header(sheet: Any, *columns: tuple[str, int]) -> None:
    """Bold, filled, frozen header row with column widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append([title for title, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
