"""Employers: registration, profile, office approval and blacklist."""

from sqlalchemy import select

from app.errors import Forbidden
from app.extensions import db
from app.models import Employer, User
from app.services import postings as posting_service
from app.services.common import (
    apply_changes,
    apply_sort,
    audit,
    check_district,
    commit,
    get_or_404,
    office_scope,
    paginate,
    require_office_over,
)
from app.services.users import new_user

OFFICE_ONLY_FIELDS = {"host_approved", "host_cap", "blacklisted", "blacklist_reason"}


def can_manage(user: User, employer: Employer) -> bool:
    """Whether the user may read the employer's private data and edit it."""
    if user.role == "employer":
        return user.employer_id == employer.id
    if user.role in ("office", "admin"):
        scope = office_scope(user)
        return scope is None or scope == employer.district_code
    return False


def get_employer(user: User, employer_id: int) -> Employer:
    """Load an employer the user may manage."""
    employer = get_or_404(Employer, employer_id, "用人单位")
    if not can_manage(user, employer):
        raise Forbidden("无权查看该单位 / you may not see this employer")
    return employer


def list_employers(user: User, args: dict, page: int, page_size: int) -> tuple[list[Employer], int]:
    """Employers the user may manage, filtered and sorted."""
    stmt = select(Employer)
    if user.role == "employer":
        stmt = stmt.where(Employer.id == user.employer_id)
    elif user.role in ("office", "admin"):
        scope = office_scope(user)
        if scope:
            stmt = stmt.where(Employer.district_code == scope)
    else:
        raise Forbidden("无权查看单位列表 / you may not list employers")
    if args.get("district"):
        stmt = stmt.where(Employer.district_code == args["district"])
    if args.get("q"):
        stmt = stmt.where(Employer.name.contains(args["q"], autoescape=True))
    for flag in ("blacklisted", "host_approved"):
        if flag in args:
            stmt = stmt.where(getattr(Employer, flag).is_(args[flag]))
    stmt = apply_sort(stmt, Employer, args.get("sort"), ("name", "created_at", "id"), "name")
    return paginate(stmt, page, page_size)


def create_employer(user: User, data: dict) -> Employer:
    """An office registers an employer in its district."""
    require_office_over(user, data["district_code"])
    check_district(data["district_code"])
    employer = Employer(**data)
    db.session.add(employer)
    db.session.flush()
    audit(user, "create", "employer", employer.id, None, data)
    commit(what="create employer")
    return employer


def register_employer(data: dict) -> tuple[User, Employer]:
    """An employer signs itself up: an organisation and its first login, in one transaction."""
    org = data["employer"]
    check_district(org["district_code"], "employer.district_code")
    employer = Employer(**org)
    db.session.add(employer)
    db.session.flush()
    user = new_user(
        data["username"],
        data["password"],
        "employer",
        employer_id=employer.id,
        email=data.get("email"),
    )
    commit(what="register employer")
    return user, employer


def update_employer(user: User, employer_id: int, data: dict) -> Employer:
    """Edit an employer; approval, caps and blacklist are for offices only."""
    employer = get_employer(user, employer_id)
    if user.role == "employer" and OFFICE_ONLY_FIELDS & data.keys():
        raise Forbidden(
            "仅就业服务机构可修改审核与黑名单 / only offices set approval and blacklist"
        )
    if "district_code" in data:
        check_district(data["district_code"])
        if user.role == "office":
            require_office_over(user, data["district_code"])
    before, after = apply_changes(employer, data)
    audit(user, "update", "employer", employer.id, before, after)
    if after.get("blacklisted"):
        posting_service.take_down(user, employer)
    commit(what="update employer")
    return employer
