"""Traineeship programs: quotas and periods, run by offices."""

from sqlalchemy import select

from app.errors import Conflict, NotFound, RuleViolation
from app.extensions import db
from app.models import Program, User
from app.services.common import (
    apply_changes,
    audit,
    check_district,
    commit,
    get_or_404,
    paginate,
    require_office_over,
)
from app.services.rulebooks import current_version, program_rulebook, rulebook_of
from matching.rulebook import Rule


def list_programs(args: dict, page: int, page_size: int) -> tuple[list[Program], int]:
    """Programs are public: anyone may see quotas and how many seats are taken."""
    stmt = select(Program)
    if args.get("district"):
        stmt = stmt.where(Program.district_code == args["district"])
    if args.get("kind"):
        stmt = stmt.where(Program.kind == args["kind"])
    return paginate(stmt.order_by(Program.starts_on.desc(), Program.id), page, page_size)


def get_program(program_id: int) -> Program:
    """Load a program."""
    return get_or_404(Program, program_id, "计划")


def find_program(key_or_id: str | int) -> Program:
    """A program by numeric id or by key."""
    if isinstance(key_or_id, int) or str(key_or_id).isdigit():
        return get_or_404(Program, int(key_or_id), "计划")
    program = db.session.scalar(select(Program).where(Program.key == key_or_id))
    if program is None:
        raise NotFound(f"计划 {key_or_id} 不存在 / program {key_or_id} not found", field="program")
    return program


def check_rulebook_decides(rulebook_name: str, kind: str) -> None:
    """Refuse a program its rulebook cannot decide: not loaded, or no eligibility rule for its kind."""
    row = current_version(rulebook_name)
    if row is None:
        raise RuleViolation(
            f"规则库 {rulebook_name} 尚未载入 / rulebook {rulebook_name} is not loaded",
            field="rulebook",
        )
    rules = rulebook_of(row).of_kind("eligibility")
    if not any(kind in rule.programs for rule in rules):
        raise RuleViolation(
            f"规则库 {rulebook_name} 没有适用于 {kind} 计划的见习条件 / "
            f"rulebook {rulebook_name} has no eligibility rule for {kind} programs",
            field="kind",
        )


def create_program(user: User, data: dict) -> Program:
    """An office opens a program in its district, under a rulebook that decides who may join it."""
    require_office_over(user, data["district_code"])
    check_district(data["district_code"])
    check_rulebook_decides(data["rulebook"], data["kind"])
    program = Program(**data)
    db.session.add(program)
    db.session.flush()
    audit(user, "create", "program", program.id, None, data)
    commit(what="create program")
    return program


def update_program(user: User, program_id: int, data: dict) -> Program:
    """Change a program's names, cap (``quota``, None for none), floor or end date; a cap never drops below seats taken."""
    program = get_program(program_id)
    require_office_over(user, program.district_code)
    if data.get("quota") is not None and data["quota"] < program.seats_taken:
        raise RuleViolation(
            f"名额不能少于已占用的 {program.seats_taken} 个 / quota cannot go below the {program.seats_taken} seats taken",
            field="quota",
        )
    if "ends_on" in data and data["ends_on"] < program.starts_on:
        raise RuleViolation(
            "结束日期不能早于开始日期 / ends_on must not be before starts_on", field="ends_on"
        )
    before, after = apply_changes(program, data)
    audit(user, "update", "program", program.id, before, after)
    commit(what="update program")
    return program


def who_may_apply(program: Program) -> list[Rule]:
    """The program's eligibility rules for its kind, in rulebook order (none if the rulebook is not loaded)."""
    try:
        book = program_rulebook(program)
    except Conflict:
        return []
    return [r for r in book.of_kind("eligibility") if not r.programs or program.kind in r.programs]
