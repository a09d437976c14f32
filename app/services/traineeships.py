"""Traineeships: enrolment under the program's rulebook with atomic seats, outcomes, listing."""

import datetime as dt
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.errors import Conflict, Forbidden, RuleViolation, conflict_from_integrity
from app.extensions import db
from app.models import Application, Posting, Program, Seeker, Traineeship, User
from app.models.base import utcnow
from app.services import declared_facts, employment, notices
from app.services.common import (
    apply_sort,
    audit,
    commit,
    get_or_404,
    give_back,
    office_scope,
    paginate,
    require_office_over,
    take_one,
)
from app.services.rulebooks import program_rulebook
from app.services.seekers import get_seeker
from matching.conditions import add_months, evaluate
from matching.policy import Decision, Person, check_eligibility, person_facts
from matching.rulebook import Rulebook

ENDED = ("completed", "retained", "converted_early", "left_early")
# outcome → outcomes it may move to: an active traineeship ends once; a completed trainee the host
# hires afterwards becomes retained (which settles as an adjustment).
MOVES = {"active": set(ENDED), "completed": {"retained"}}
QUOTA_FULL = "计划名额已满 / the program's quota is full"
POST_FULL = "见习岗位名额已满 / the trainee post has no free slot"
LIVE_APPLICATION = ("applied", "shortlisted", "invited")
NOT_AN_APPLICANT = "只能录用申请了该见习岗位的求职者 / you may enrol only a person who applied to this trainee post"
NOT_ELIGIBLE_FOR_EMPLOYER = (
    "此人不符合该见习计划的条件，可由就业服务机构告知本人原因 / "
    "this person does not meet the program's conditions; the office can tell them why"
)


def person_of(seeker: Seeker, has_active_traineeship: bool) -> Person:
    """The policy engine's view of a seeker."""
    return Person(
        person_id=str(seeker.id),
        birth_date=seeker.birth_date,
        hukou_district=seeker.hukou_district,
        education=seeker.education,
        graduation_date=seeker.graduation_date,
        employed=seeker.employed,
        registered_unemployed_since=seeker.registered_unemployed_since,
        registered_unemployed_district=seeker.registered_unemployed_district,
        has_active_traineeship=has_active_traineeship,
        priority_groups=frozenset(seeker.priority_groups or ()),
    )


def has_active(seeker_id: int) -> bool:
    """Whether the seeker has an active traineeship."""
    stmt = select(
        exists().where(Traineeship.seeker_id == seeker_id, Traineeship.outcome == "active")
    )
    return bool(db.session.scalar(stmt))


def explain(
    rulebook: Rulebook, decision: Decision, person: Person, planned_months: int | None
) -> list[dict[str, Any]]:
    """Every reason of a decision with the fields it tested, its source clause and zh/en messages."""
    facts = person_facts(person)
    facts["traineeship.program"] = decision.program
    facts["traineeship.start"] = decision.on
    if planned_months is not None:
        facts["traineeship.planned_months"] = planned_months
    out = []
    for reason in decision.reasons:
        rule = rulebook.rule(reason.rule)
        checks = evaluate(rule.when, facts, decision.on).checks if rule.when is not None else ()
        failed = [c.field for c in checks if not c.passed]
        fields = failed if not reason.passed and failed else [c.field for c in checks]
        out.append(
            {
                "rule": reason.rule,
                "fields": sorted(set(fields)),
                "source": reason.source,
                "passed": reason.passed,
                "message": {"zh": reason.message_zh, "en": reason.message_en},
            }
        )
    return out


def decide(
    program: Program,
    person: Person,
    on: dt.date,
    planned_months: int | None,
    seeker: Seeker | None = None,
) -> dict[str, Any]:
    """Check a person against a program's rulebook on a date; return the decision with every reason.

    For a stored seeker, ``declared_facts`` lists the facts the person declared that the
    reasons rely on, and whether an office has confirmed each.
    """
    rulebook = program_rulebook(program)
    decision = check_eligibility(rulebook, person, program.kind, on, planned_months)
    reasons = explain(rulebook, decision, person, planned_months)
    tested = {field for reason in reasons for field in reason["fields"]}
    return {
        "program_id": program.id,
        "eligible": decision.eligible,
        "on": on,
        "rulebook": rulebook.id,
        "rulebook_version": rulebook.version,
        "reasons": reasons,
        "declared_facts": declared_facts.relied_on(seeker, tested) if seeker else [],
    }


def refusal(decision: dict[str, Any]) -> RuleViolation:
    """A 422 naming every failed field with a zh/en sentence and its clause, plus the structured reasons."""
    errors: dict[str, list[str]] = {}
    failed = [r for r in decision["reasons"] if not r["passed"]]
    for reason in failed:
        text = f"{reason['message']['zh']} / {reason['message']['en']} ({reason['rule']}, {reason['source']})"
        for field in reason["fields"] or ["eligibility"]:
            errors.setdefault(field, []).append(text)
    return RuleViolation(
        "不符合见习条件 / not eligible for this traineeship program", errors=errors, reasons=failed
    )


def can_manage(user: User, traineeship: Traineeship) -> bool:
    """The host employer, or an office covering the program's (or host's) district."""
    if user.role == "employer":
        return user.employer_id == traineeship.host_id
    if user.role in ("office", "admin"):
        scope = office_scope(user)
        district = (
            traineeship.program.district_code
            if traineeship.program
            else traineeship.host.district_code
        )
        return scope is None or scope == district
    return False


def _check_enrolment(
    user: User, program: Program, posting: Posting, started_on: dt.date, months: int
) -> None:
    if user.role == "employer":
        if user.employer_id != posting.employer_id:
            raise Forbidden(
                "只能为本单位的见习岗位录用 / you may enrol only into your own trainee posts"
            )
    else:
        require_office_over(user, program.district_code)
    if posting.program_id != program.id or posting.kind != "traineeship":
        raise RuleViolation(
            "该岗位不属于此见习计划 / this post does not belong to the program", field="posting_id"
        )
    if program.district_code != posting.district_code or (
        posting.employer.district_code != program.district_code
    ):
        raise RuleViolation(
            "见习岗位及其单位须在计划所属区县 / the post and its host must lie in the program's district",
            field="posting_id",
        )
    if posting.status != "published":
        raise RuleViolation(
            "该见习岗位未在招募中 / this trainee post is not open", field="posting_id"
        )
    host = posting.employer
    if not host.host_approved or host.blacklisted:
        raise RuleViolation(
            "见习单位未获认定或已列入黑名单 / the host is not an approved traineeship host",
            field="posting_id",
        )
    if not program.starts_on <= started_on <= program.ends_on:
        raise RuleViolation(
            f"开始日期应在计划期内（{program.starts_on} 至 {program.ends_on}） / "
            f"the start must fall in the program period ({program.starts_on} to {program.ends_on})",
            field="started_on",
        )
    if not 3 <= months <= 12:
        raise RuleViolation(
            "见习期限应为3—12个月（001 § 6） / a traineeship lasts 3 to 12 months (001 § 6)",
            field="planned_months",
        )


def live_application(seeker_id: int, posting_id: int) -> Application | None:
    """The person's application to the post while it is still open to a decision."""
    return db.session.scalar(
        select(Application).where(
            Application.seeker_id == seeker_id,
            Application.posting_id == posting_id,
            Application.status.in_(LIVE_APPLICATION),
        )
    )


def _enrolled_seeker(user: User, seeker_id: int, posting: Posting) -> Seeker:
    """The seeker to enrol; an employer may name only a person with a live application to the post.

    An employer's refusal is the same whether the id is unknown or the person never applied, so
    nobody can be enumerated through it.
    """
    if user.role == "employer" and live_application(seeker_id, posting.id) is None:
        raise RuleViolation(NOT_AN_APPLICANT, field="seeker_id")
    return get_or_404(Seeker, seeker_id, "求职者")


def take_seat(program_id: int) -> None:
    """Take one program seat atomically; refused once the quota is full."""
    take_one(Program, program_id, "seats_taken", "quota", QUOTA_FULL, "program_id")


def take_post_slot(posting_id: int) -> None:
    """Fill one slot of the trainee post atomically; refused once every slot is filled."""
    take_one(Posting, posting_id, "slots_filled", "slots", POST_FULL, "posting_id")


def enrol(user: User, data: dict) -> Traineeship:
    """Enrol an eligible seeker into a program's trainee post, taking a seat and a slot in one transaction.

    The person's live application to the post, if any, becomes ``hired`` with it: on a trainee
    post the enrolment is the hire, one record of the relation holding one seat.
    """
    program = get_or_404(Program, data["program_id"], "计划")
    posting = get_or_404(Posting, data["posting_id"], "岗位")
    started_on = data["started_on"]
    months = data.get("planned_months") or posting.duration_months or 0
    _check_enrolment(user, program, posting, started_on, months)
    seeker = _enrolled_seeker(user, data["seeker_id"], posting)
    traineeship = _take_up(user, program, posting, seeker, started_on, months)
    commit(what="enrol")
    return traineeship


def hire_trainee(
    user: User, application: Application, started_on: dt.date | None, months: int | None
) -> Traineeship:
    """Hiring on a trainee post enrols the applicant (the caller commits): the traineeship holds the slot.

    A post of a program is checked as any enrolment (period, host, rulebook); a trainee post
    outside every program records a traineeship without a program and without a subsidy.
    """
    posting = application.posting
    started_on = started_on or employment.local_date(utcnow())
    months = months or posting.duration_months or 0
    if posting.program is not None:
        _check_enrolment(user, posting.program, posting, started_on, months)
    return _take_up(user, posting.program, posting, application.seeker, started_on, months)


def _take_up(
    user: User,
    program: Program | None,
    posting: Posting,
    seeker: Seeker,
    started_on: dt.date,
    months: int,
) -> Traineeship:
    """Check eligibility, take the program seat and the post slot and add the traineeship (no commit)."""
    version = None
    if program is not None:
        person = person_of(seeker, has_active(seeker.id))
        decision = decide(program, person, started_on, months, seeker)
        if not decision["eligible"]:
            if user.role == "employer":
                raise RuleViolation(NOT_ELIGIBLE_FOR_EMPLOYER, field="seeker_id")
            raise refusal(decision)
        version = decision["rulebook_version"]
    traineeship = Traineeship(
        seeker_id=seeker.id,
        posting_id=posting.id,
        program_id=program.id if program is not None else None,
        host_id=posting.employer_id,
        started_on=started_on,
        planned_months=months,
        outcome="active",
        rulebook_version=version,
    )
    try:
        if program is not None:
            take_seat(program.id)
        take_post_slot(posting.id)
        db.session.add(traineeship)
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise conflict_from_integrity(err) from err
    except Conflict:
        db.session.rollback()
        raise
    application = live_application(seeker.id, posting.id)
    if application is not None:
        application.status = "hired"
        application.decided_at = utcnow()
        notices.application_moved(user, application)
    audit(
        user,
        "enrol",
        "traineeship",
        traineeship.id,
        None,
        {
            "seeker_id": seeker.id,
            "posting_id": posting.id,
            "program_id": traineeship.program_id,
            "application_id": application.id if application is not None else None,
            "started_on": started_on,
            "planned_months": months,
            "rulebook_version": version,
        },
    )
    notices.traineeship_started(traineeship)
    return traineeship


def get_traineeship(user: User, traineeship_id: int) -> Traineeship:
    """Load a traineeship the user may see."""
    traineeship = get_or_404(Traineeship, traineeship_id, "见习")
    if not can_manage(user, traineeship):
        raise Forbidden("无权查看该见习 / you may not see this traineeship")
    return traineeship


def list_traineeships(
    user: User, args: dict, page: int, page_size: int
) -> tuple[list[Traineeship], int]:
    """The host's own traineeships (employer) or the office district's, filtered and sorted."""
    stmt = select(Traineeship).options(
        joinedload(Traineeship.seeker),
        joinedload(Traineeship.host),
        joinedload(Traineeship.program),
        joinedload(Traineeship.posting),
    )
    if user.role == "employer":
        stmt = stmt.where(Traineeship.host_id == user.employer_id)
    elif user.role in ("office", "admin"):
        scope = office_scope(user)
        if scope:
            stmt = stmt.join(Traineeship.program).where(Program.district_code == scope)
    else:
        raise Forbidden("无权查看见习名单 / you may not list traineeships")
    for key in ("program_id", "host_id", "seeker_id", "posting_id", "outcome"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Traineeship, key) == args[key])
    if args.get("started_from"):
        stmt = stmt.where(Traineeship.started_on >= args["started_from"])
    if args.get("started_until"):
        stmt = stmt.where(Traineeship.started_on <= args["started_until"])
    stmt = apply_sort(
        stmt, Traineeship, args.get("sort"), ("started_on", "outcome", "id"), "-started_on"
    )
    return paginate(stmt, page, page_size)


def planned_end(traineeship: Traineeship) -> dt.date:
    """The last day of the planned traineeship."""
    return add_months(traineeship.started_on, traineeship.planned_months) - dt.timedelta(days=1)


def record_outcome(user: User, traineeship_id: int, outcome: str, ended_on: dt.date) -> Traineeship:
    """The host or an office records how a traineeship ended.

    Any end frees the post slot (the post may take a new trainee); an early leave also frees the
    program seat, since the seat was not used to the end.
    """
    traineeship = get_traineeship(user, traineeship_id)
    if outcome not in MOVES.get(traineeship.outcome, set()):
        raise Conflict(
            f"不能从「{traineeship.outcome}」改为「{outcome}」 / cannot move from {traineeship.outcome} to {outcome}",
            field="outcome",
        )
    last = planned_end(traineeship)
    if not traineeship.started_on <= ended_on <= last:
        raise RuleViolation(
            f"结束日期应在 {traineeship.started_on} 至 {last} 之间 / ended_on must lie between {traineeship.started_on} and {last}",
            field="ended_on",
        )
    if (
        outcome in ("completed", "retained")
        and traineeship.outcome == "active"
        and ended_on != last
    ):
        raise RuleViolation(
            f"期满结束日期应为 {last} / a completed traineeship ends on its planned end {last}",
            field="ended_on",
        )
    before = {"outcome": traineeship.outcome, "ended_on": traineeship.ended_on}
    if traineeship.outcome == "active" and traineeship.posting_id is not None:
        give_back(Posting, traineeship.posting_id, "slots_filled")
    if outcome == "left_early" and traineeship.program_id is not None:
        give_back(Program, traineeship.program_id, "seats_taken")
    traineeship.outcome = outcome
    traineeship.ended_on = ended_on
    audit(
        user,
        "outcome",
        "traineeship",
        traineeship.id,
        before,
        {"outcome": outcome, "ended_on": ended_on},
    )
    notices.traineeship_ended(traineeship)
    employment.open_for_traineeship(user, traineeship)
    commit(what="record outcome")
    return traineeship


def check_person(user: User, data: dict) -> dict[str, Any]:
    """Check a stored seeker or a person record against a program without enrolling."""
    program = get_or_404(Program, data["program_id"], "计划")
    if "seeker_id" in data:
        seeker = get_seeker(user, data["seeker_id"])
        person = person_of(seeker, has_active(seeker.id))
        return decide(program, person, data["started_on"], data.get("planned_months"), seeker)
    record = data["person"]
    person = Person(
        person_id="record",
        birth_date=record["birth_date"],
        hukou_district=record.get("hukou_district"),
        education=record.get("education"),
        graduation_date=record.get("graduation_date"),
        employed=record.get("employed", False),
        registered_unemployed_since=record.get("registered_unemployed_since"),
        registered_unemployed_district=record.get("registered_unemployed_district"),
        has_active_traineeship=record.get("has_active_traineeship", False),
    )
    return decide(program, person, data["started_on"], data.get("planned_months"))
