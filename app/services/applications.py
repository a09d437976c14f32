"""Applications: seekers apply and withdraw; employers shortlist, invite, hire or reject."""

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.errors import Conflict, Forbidden, RuleViolation
from app.extensions import db
from app.models import Application, Posting, User
from app.models.base import utcnow
from app.services import employment, notices
from app.services import postings as posting_service
from app.services import traineeships as traineeship_service
from app.services.common import (
    apply_sort,
    audit,
    commit,
    get_or_404,
    office_scope,
    paginate,
    take_one,
)
from app.services.seekers import own_seeker

# status → statuses it may move to, and who may move it there.
EMPLOYER_MOVES = {
    "applied": {"shortlisted", "invited", "hired", "rejected"},
    "shortlisted": {"invited", "hired", "rejected"},
    "invited": {"hired", "rejected"},
}
SEEKER_MOVES = {"applied": {"withdrawn"}, "shortlisted": {"withdrawn"}, "invited": {"withdrawn"}}


def apply(user: User, posting_id: int, note: str | None) -> Application:
    """A seeker applies to a published posting that still has free slots and is before its deadline.

    A seeker who withdrew may apply again while the posting is open: the same application is
    reopened with the new cover note.
    """
    application = add_application(user, posting_id, note)
    commit(what="apply")
    return application


def add_application(user: User, posting_id: int, note: str | None) -> Application:
    """Add (or reopen a withdrawn) application of the seeker to an open posting (the caller commits)."""
    seeker = own_seeker(user)
    posting = posting_service.get_posting(user, posting_id)
    if posting.status != "published":
        raise RuleViolation("该岗位未在招聘中 / this posting is not open", field="posting_id")
    if posting.apply_by is not None and posting.apply_by < dt.date.today():
        raise RuleViolation(
            "该岗位已截止申请 / applications to this posting have closed", field="posting_id"
        )
    if posting.slots_filled >= posting.slots:
        raise Conflict("该岗位名额已满 / this posting is full", field="posting_id")
    application = db.session.scalar(
        select(Application).where(
            Application.seeker_id == seeker.id,
            Application.posting_id == posting.id,
            Application.status == "withdrawn",
        )
    )
    if application is None:
        application = Application(
            seeker_id=seeker.id, posting_id=posting.id, note=note, status="applied"
        )
        db.session.add(application)
    else:
        application.status, application.note, application.applied_at = "applied", note, utcnow()
        audit(
            user,
            "application_reapply",
            "application",
            application.id,
            {"status": "withdrawn"},
            {"status": "applied"},
        )
    notices.application_moved(user, application)
    return application


def can_see(user: User, application: Application) -> bool:
    """The applicant, the posting's employer, or an office covering the posting's district."""
    if user.role == "seeker":
        return user.seeker is not None and application.seeker_id == user.seeker.id
    return posting_service.can_manage(user, application.posting)


def get_application(user: User, application_id: int) -> Application:
    """Load an application the user may see."""
    application = get_or_404(Application, application_id, "申请")
    if not can_see(user, application):
        raise Forbidden("无权查看该申请 / you may not see this application")
    return application


def list_applications(
    user: User, args: dict, page: int, page_size: int
) -> tuple[list[Application], int]:
    """A seeker's own applications, an employer's applicants, or an office district's."""
    stmt = (
        select(Application)
        .join(Application.posting)
        .options(
            joinedload(Application.posting).joinedload(Posting.employer),
            joinedload(Application.seeker),
        )
    )
    if user.role == "seeker":
        stmt = stmt.where(Application.seeker_id == own_seeker(user).id)
    elif user.role == "employer":
        stmt = stmt.where(Posting.employer_id == user.employer_id)
    else:
        scope = office_scope(user)
        if scope:
            stmt = stmt.where(Posting.district_code == scope)
    for key in ("status", "posting_id", "seeker_id"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Application, key) == args[key])
    stmt = apply_sort(
        stmt, Application, args.get("sort"), ("applied_at", "status", "id"), "-applied_at"
    )
    return paginate(stmt, page, page_size)


def move(
    user: User,
    application_id: int,
    status: str,
    note: str | None,
    started_on: dt.date | None = None,
    interview: dict | None = None,
) -> Application:
    """Change an application's status if the user's role allows that move from where it stands.

    Hiring on a trainee post enrols the person (``started_on``, today by default): the
    traineeship holds the post's slot and the program's seat, and no employment is opened. The
    seeker's cover note stays; a note given with the move is kept beside it with its author and time.
    The seeker is told of every move but their own; an invitation carries ``interview``
    (``interview_at``, ``interview_place``).
    """
    application = get_application(user, application_id)
    moves = SEEKER_MOVES if user.role == "seeker" else EMPLOYER_MOVES
    if status not in moves.get(application.status, set()):
        raise Conflict(
            f"不能从「{application.status}」改为「{status}」 / cannot move from {application.status} to {status}",
            field="status",
        )
    if status in ("invited", "hired") and application.posting.employer.blacklisted:
        raise Forbidden(
            "该单位已列入黑名单，不能邀约或录用 / a blacklisted employer cannot invite or hire (003 § 30)"
        )
    before = {"status": application.status}
    if status == "hired" and application.posting.kind == "traineeship":
        traineeship_service.hire_trainee(user, application, started_on, None)
    elif status == "hired":
        take_one(
            Posting,
            application.posting_id,
            "slots_filled",
            "slots",
            "该岗位名额已满 / this posting is full",
            "status",
        )
    application.status = status
    application.decided_at = utcnow()
    if note:
        application.decision_note = note
        application.decision_note_by = user.id
        application.decision_note_at = application.decided_at
    audit(user, f"application_{status}", "application", application.id, before, {"status": status})
    notices.application_moved(user, application, interview if status == "invited" else None)
    employment.open_for_application(user, application)
    commit(what="move application")
    return application


def applicant_counts(posting_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per posting: how many applied in all and how many still wait for a first decision."""
    if not posting_ids:
        return {}
    waiting = func.count().filter(Application.status == "applied")
    rows = db.session.execute(
        select(Application.posting_id, func.count(), waiting)
        .where(Application.posting_id.in_(posting_ids), Application.status != "withdrawn")
        .group_by(Application.posting_id)
    )
    return {posting_id: (total, new) for posting_id, total, new in rows}
