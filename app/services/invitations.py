"""Invitations to apply: an employer invites a ranked candidate; the seeker accepts (an application) or declines."""

import datetime as dt

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.errors import (
    Conflict,
    Forbidden,
    NotFound,
    RuleViolation,
    TooManyRequests,
    conflict_from_integrity,
)
from app.extensions import db
from app.models import Application, Employer, Invitation, Seeker, User
from app.models.base import utcnow
from app.services import applications, notices
from app.services import postings as posting_service
from app.services.common import audit, commit
from app.services.seekers import own_seeker

LOCAL_TZ = notices.LOCAL_TZ
NO_SUCH_CANDIDATE = (
    "求职者不存在或未公开求职信息 / no such candidate, or they do not show their profile"
)


def day_start(now: dt.datetime) -> dt.datetime:
    """Midnight in Chongqing of the day ``now`` falls on, in UTC."""
    local = now.astimezone(LOCAL_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def _sent_today(employer_id: int, now: dt.datetime) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.employer_id == employer_id, Invitation.created_at >= day_start(now))
        )
        or 0
    )


def invite(user: User, posting_id: int, seeker_id: int, message: str | None) -> Invitation:
    """An employer invites a seeker visible to employers to apply to one of its published posts.

    At most ``INVITES_PER_DAY`` a day per employer: the employer's row is locked (PostgreSQL)
    and the invitation written before counting (SQLite's write lock), so concurrent invitations
    can never pass the limit together.
    """
    if user.role != "employer":
        raise Forbidden("仅限用人单位 / employers only")
    posting = posting_service.get_managed_posting(user, posting_id)
    if posting.employer_id != user.employer_id:
        raise Forbidden("只能为本单位的岗位邀请 / you may invite only to your own posts")
    if posting.status != "published":
        raise RuleViolation("该岗位未在招聘中 / this posting is not open", field="posting_id")
    seeker = db.session.get(Seeker, seeker_id)
    if seeker is None or not seeker.visible:
        raise NotFound(NO_SUCH_CANDIDATE, field="seeker_id")
    if db.session.scalar(
        select(Application.id).where(
            Application.seeker_id == seeker.id, Application.posting_id == posting.id
        )
    ):
        raise Conflict("此人已申请该岗位 / this person has already applied", field="seeker_id")
    limit = int(current_app.config["INVITES_PER_DAY"])
    db.session.scalar(
        select(Employer.id).where(Employer.id == posting.employer_id).with_for_update()
    )
    invitation = Invitation(
        posting_id=posting.id,
        seeker_id=seeker.id,
        employer_id=posting.employer_id,
        invited_by=user.id,
        message=message,
        status="pending",
        created_at=utcnow(),
    )
    try:
        db.session.add(invitation)
        db.session.flush()
    except IntegrityError as err:
        db.session.rollback()
        raise conflict_from_integrity(err) from err
    if _sent_today(posting.employer_id, invitation.created_at) > limit:
        db.session.rollback()
        raise TooManyRequests(
            f"今日邀请已达上限 {limit} 人，请明天再试 / "
            f"you have reached today's limit of {limit} invitations; try again tomorrow",
            field="seeker_id",
        )
    employer = posting.employer.name
    notices.notify_seeker(
        seeker,
        "invitation",
        f"「{employer}」邀请您申请「{posting.title}」",
        f"{employer} invites you to apply for “{posting.title}”.",
        invitation_id=invitation.id,
        posting_id=posting.id,
    )
    audit(
        user,
        "invite",
        "invitation",
        invitation.id,
        None,
        {"seeker_id": seeker.id, "posting_id": posting.id},
    )
    commit(what="invite")
    return invitation


def respond(user: User, invitation_id: int, accept: bool, note: str | None = None) -> Invitation:
    """The seeker accepts (which applies to the post) or declines an invitation that is still open."""
    seeker = own_seeker(user)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.seeker_id != seeker.id:
        raise NotFound("邀请不存在 / invitation not found")
    if invitation.status != "pending":
        raise Conflict("该邀请已答复 / this invitation was already answered", field="status")
    if accept:
        application = applications.add_application(user, invitation.posting_id, note)
        db.session.flush()
        invitation.application_id = application.id
    invitation.status = "accepted" if accept else "declined"
    invitation.responded_at = utcnow()
    commit(what="answer invitation")
    return invitation


def list_invitations(user: User) -> list[Invitation]:
    """A seeker's invitations, or an employer's, open ones first, newest first."""
    stmt = select(Invitation).order_by(
        (Invitation.status != "pending"), Invitation.created_at.desc(), Invitation.id.desc()
    )
    if user.role == "seeker":
        stmt = stmt.where(Invitation.seeker_id == own_seeker(user).id)
    elif user.role == "employer":
        stmt = stmt.where(Invitation.employer_id == user.employer_id)
    else:
        raise Forbidden("仅限求职者和用人单位 / seekers and employers only")
    return list(db.session.scalars(stmt.limit(200)))


def invited_to(user: User, posting_id: int) -> dict[int, Invitation]:
    """The employer's invitations to one post, by seeker id."""
    stmt = select(Invitation).where(
        Invitation.posting_id == posting_id, Invitation.employer_id == user.employer_id
    )
    return {i.seeker_id: i for i in db.session.scalars(stmt)}
