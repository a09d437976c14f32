"""Postings: create, edit, publish (after screening), close, review and search."""

import datetime as dt

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app.errors import Forbidden, NotFound, RuleViolation
from app.extensions import db
from app.models import Employer, Occupation, Posting, Program, User
from app.models.base import utcnow
from app.services import screening
from app.services.common import (
    apply_changes,
    apply_sort,
    audit,
    check_district,
    check_occupation,
    commit,
    get_or_404,
    office_scope,
    paginate,
    require_office_over,
)
from app.services.search import relevance, search_condition
from matching.education import EDUCATION_LEVELS, education_rank
from matching.text import normalize


def can_manage(user: User | None, posting: Posting) -> bool:
    """The owning employer, or an office covering the posting's district."""
    if user is None:
        return False
    if user.role == "employer":
        return user.employer_id == posting.employer_id
    if user.role in ("office", "admin"):
        scope = office_scope(user)
        return scope is None or scope == posting.district_code
    return False


def can_see(user: User | None, posting: Posting) -> bool:
    """Published and closed postings are public; drafts and held ones only to who manages them."""
    return posting.status in ("published", "closed") or can_manage(user, posting)


def get_posting(user: User | None, posting_id: int) -> Posting:
    """Load a posting the user may see (hidden ones look missing)."""
    posting = get_or_404(Posting, posting_id, "岗位")
    if not can_see(user, posting):
        raise NotFound("岗位不存在 / posting not found")
    return posting


def get_managed_posting(user: User, posting_id: int) -> Posting:
    """Load a posting the user may edit."""
    posting = get_or_404(Posting, posting_id, "岗位")
    if not can_manage(user, posting):
        raise Forbidden("无权管理该岗位 / you may not manage this posting")
    return posting


def search_text_of(posting: Posting) -> str:
    """The normalised text the keyword search looks in."""
    occupation = (
        db.session.get(Occupation, posting.occupation_code) if posting.occupation_code else None
    )
    parts = [
        posting.title,
        posting.description,
        " ".join(posting.skills or []),
        occupation.name if occupation else "",
    ]
    return normalize(" ".join(p for p in parts if p))


def _check_program(data: dict, employer: Employer) -> None:
    program_id = data.get("program_id")
    if program_id is None:
        return
    program = db.session.get(Program, program_id)
    if program is None:
        raise RuleViolation(
            f"见习计划 {program_id} 不存在 / program {program_id} not found", field="program_id"
        )
    if program.district_code != data["district_code"] or (
        employer.district_code != program.district_code
    ):
        raise RuleViolation(
            "见习岗位及其单位须在计划所属区县 / a trainee post and its host must lie in the program's district",
            field="program_id",
        )
    if program.kind == "public" and not employer.public_institution:
        raise RuleViolation(
            "机关事业单位见习计划只接受机关事业单位岗位 / only public institutions post into a public program (000 § 11)",
            field="program_id",
        )


def _check_apply_by(data: dict) -> None:
    """An application deadline, when given, is not already past."""
    if data.get("apply_by") is not None and data["apply_by"] < dt.date.today():
        raise RuleViolation(
            "申请截止日期不能早于今天 / the application deadline cannot be in the past",
            field="apply_by",
        )


def _resubmit(posting: Posting) -> None:
    """A posting an office rejected goes back to the office, whatever the screening finds now."""
    posting.screening = screening.screen_posting(posting)
    posting.status = "pending_review"


def _publish_or_hold(posting: Posting) -> None:
    """Screen the wording; publish when clean, otherwise hold it for office review."""
    result = screening.screen_posting(posting)
    posting.screening = result
    if result["flagged"]:
        posting.status = "pending_review"
    else:
        posting.status = "published"
        posting.published_at = posting.published_at or utcnow()


def create_posting(user: User, data: dict) -> Posting:
    """An employer posts for itself, or an office for an employer in its district."""
    publish = data.pop("publish", True)
    if user.role == "employer":
        if data.get("employer_id", user.employer_id) != user.employer_id:
            raise Forbidden("只能为本单位发布岗位 / you may post only for your own organisation")
        data["employer_id"] = user.employer_id
    elif user.role in ("office", "admin"):
        if "employer_id" not in data:
            raise RuleViolation("请指定用人单位 / employer_id is required", field="employer_id")
    else:
        raise Forbidden("求职者不能发布岗位 / seekers cannot post")
    employer = db.session.get(Employer, data["employer_id"])
    if employer is None:
        raise RuleViolation(
            f"用人单位 {data['employer_id']} 不存在 / employer not found", field="employer_id"
        )
    if user.role in ("office", "admin"):
        require_office_over(user, employer.district_code, data["district_code"])
    if employer.blacklisted:
        raise Forbidden(
            "该单位已列入黑名单，不能发布岗位 / a blacklisted employer cannot post (003 § 30)"
        )
    check_district(data["district_code"])
    check_occupation(data.get("occupation_code"))
    _check_program(data, employer)
    _check_apply_by(data)
    posting = Posting(**data, status="draft")
    if posting.occupation_code is None:
        _code_from_title(posting)
    else:
        posting.occupation_source = "given"
    posting.search_text = search_text_of(posting)
    if publish:
        _publish_or_hold(posting)
    db.session.add(posting)
    db.session.flush()
    audit(user, "create", "posting", posting.id, None, {**data, "status": posting.status})
    commit(what="create posting")
    return posting


def _code_from_title(posting: Posting) -> None:
    """Code the posting's occupation from its title (``occupation_source = "auto"``)."""
    from app.services.bridge import code_titles

    posting.occupation_code = code_titles([posting.title])[0]
    posting.occupation_source = "auto"


def _occupation_after_edit(user: User, posting: Posting, data: dict, after: dict) -> None:
    """Record who set the code after an edit, or code it again from the title.

    A code an employer changes is theirs (``given``); a code an office sends, changed or not,
    is a check (``office``). An emptied code, or a code that came from a title that has now
    changed (coded or checked for the old title), is coded again from the new title.
    """
    office = user.role in ("office", "admin")
    if data.get("occupation_code") is not None and ("occupation_code" in after or office):
        posting.occupation_source = "office" if office else "given"
    elif posting.occupation_code is None or (
        "title" in after and posting.occupation_source != "given"
    ):
        _code_from_title(posting)
        after.update(
            occupation_code=posting.occupation_code, occupation_source=posting.occupation_source
        )


def update_posting(user: User, posting_id: int, data: dict) -> Posting:
    """Edit a posting; wording changes are screened again before it is published."""
    posting = get_managed_posting(user, posting_id)
    check_district(data.get("district_code"))
    check_occupation(data.get("occupation_code"))
    low = data.get("salary_min", posting.salary_min)
    high = data.get("salary_max", posting.salary_max)
    if low > high:
        raise RuleViolation(
            "最低薪资不能高于最高薪资 / salary_min must not exceed salary_max", field="salary_min"
        )
    if (
        posting.kind == "traineeship"
        and "duration_months" in data
        and not 3 <= (data["duration_months"] or 0) <= 12
    ):
        raise RuleViolation(
            "见习期限应为3至12个月 / a traineeship lasts 3 to 12 months (001 § 6)",
            field="duration_months",
        )
    if (
        posting.program is not None
        and data.get("district_code", posting.district_code) != posting.program.district_code
    ):
        raise RuleViolation(
            "见习计划的岗位须在计划所属区县 / a program's trainee post stays in the program's district",
            field="district_code",
        )
    if "slots" in data and data["slots"] < posting.slots_filled:
        raise RuleViolation(
            f"名额不能少于已录用人数 {posting.slots_filled} / slots cannot go below those filled",
            field="slots",
        )
    _check_apply_by(data)
    status = data.pop("status", None)
    before, after = apply_changes(posting, data)
    _occupation_after_edit(user, posting, data, after)
    posting.search_text = search_text_of(posting)
    if status == "closed":
        posting.status = "closed"
    elif status == "draft" and posting.status not in ("closed", "rejected"):
        posting.status = "draft"
    elif status == "published" or (
        posting.status == "published" and {"title", "description"} & after.keys()
    ):
        if posting.employer.blacklisted:
            raise Forbidden(
                "该单位已列入黑名单，不能发布岗位 / a blacklisted employer cannot publish (003 § 30)"
            )
        if posting.rejected_at is not None and user.role == "employer":
            _resubmit(posting)
        else:
            _publish_or_hold(posting)
    after["status"] = posting.status
    audit(user, "update", "posting", posting.id, before, after)
    commit(what="update posting")
    return posting


def take_down(user: User, employer: Employer) -> None:
    """Close a blacklisted employer's published and held postings, each audited (the caller commits)."""
    live = select(Posting).where(
        Posting.employer_id == employer.id, Posting.status.in_(("published", "pending_review"))
    )
    for posting in db.session.scalars(live):
        audit(
            user,
            "take_down",
            "posting",
            posting.id,
            {"status": posting.status},
            {"status": "closed"},
        )
        posting.status = "closed"


def review_posting(user: User, posting_id: int, decision: str, note: str | None) -> Posting:
    """An office approves or rejects a posting held by the screening."""
    posting = get_or_404(Posting, posting_id, "岗位")
    require_office_over(user, posting.district_code)
    if posting.status != "pending_review":
        raise RuleViolation(
            "该岗位不在待审核状态 / the posting is not waiting for review", field="decision"
        )
    before = {"status": posting.status}
    if decision == "approve":
        posting.status = "published"
        posting.published_at = utcnow()
        posting.rejected_at = None
    else:
        posting.status = "rejected"
        posting.rejected_at = utcnow()
    posting.review_note = note
    audit(
        user,
        f"review_{decision}",
        "posting",
        posting.id,
        before,
        {"status": posting.status, "note": note},
    )
    commit(what="review posting")
    return posting


def visible_postings(user: User | None) -> Select:
    """Select the postings a user may see in lists."""
    stmt = select(Posting).options(selectinload(Posting.employer))
    public = Posting.status.in_(("published",))
    if user is None or user.role == "seeker":
        return stmt.where(public)
    if user.role == "employer":
        return stmt.where(or_(public, Posting.employer_id == user.employer_id))
    scope = office_scope(user)
    return stmt if scope is None else stmt.where(or_(public, Posting.district_code == scope))


def list_postings(
    user: User | None, args: dict, page: int, page_size: int
) -> tuple[list[Posting], int]:
    """Search postings by keyword, district, occupation prefix, kind, status, salary, education and code source."""
    stmt = visible_postings(user)
    if args.get("status"):
        stmt = stmt.where(Posting.status == args["status"])
    if args.get("district"):
        stmt = stmt.where(Posting.district_code == args["district"])
    if args.get("kind"):
        stmt = stmt.where(Posting.kind == args["kind"])
    if args.get("occupation"):
        prefix = args["occupation"]
        stmt = stmt.where(
            Posting.occupation_code == prefix
            if len(prefix) == 10
            else Posting.occupation_code.startswith(prefix)
        )
    if args.get("salary_min") is not None:
        stmt = stmt.where(Posting.salary_max >= args["salary_min"])
    if args.get("salary_max") is not None:
        stmt = stmt.where(Posting.salary_min <= args["salary_max"])
    if args.get("education"):
        rank = education_rank(args["education"])
        allowed = [lvl for lvl in EDUCATION_LEVELS if education_rank(lvl) <= rank]
        stmt = stmt.where(or_(Posting.min_education.is_(None), Posting.min_education.in_(allowed)))
    for key in ("employer_id", "program_id", "occupation_source"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Posting, key) == args[key])
    if args.get("q"):
        stmt = stmt.where(search_condition(args["q"]))
    if args.get("q") and args.get("sort") in (None, "relevance"):
        score = relevance(args["q"])
        return paginate(
            stmt.order_by(score.desc(), Posting.published_at.desc(), Posting.id.desc()),
            page,
            page_size,
        )
    stmt = apply_sort(
        stmt,
        Posting,
        args.get("sort"),
        ("published_at", "salary_min", "salary_max", "created_at", "id"),
        "-published_at",
    )
    return paginate(stmt, page, page_size)
