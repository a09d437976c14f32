"""What seekers are told: an on-site notification and an outbox message for every change that concerns them.

Each function adds to the caller's transaction (the caller commits), so a notice exists exactly
when the change it tells of does. Texts are worded here in Chinese and English once, for the
page and for the delivery channel alike.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Application,
    ApplicationEvent,
    Notification,
    OutboxMessage,
    Seeker,
    Traineeship,
    User,
)

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
SUBJECT = "见习 Jianxi"
OUTCOME_TEXT = {
    "completed": ("见习期满", "completed"),
    "retained": ("期满并留用", "completed and kept on"),
    "converted_early": ("提前签订劳动合同", "an employment contract signed early"),
    "left_early": ("提前离岗", "left early"),
}


def notify(
    user_id: int | None, seeker_id: int | None, kind: str, zh: str, en: str, **payload
) -> Notification | None:
    """Add a notification for the account (if there is one) and an outbox message for the channel."""
    note = None
    if user_id is not None:
        note = Notification(user_id=user_id, kind=kind, payload={**payload, "zh": zh, "en": en})
        db.session.add(note)
        db.session.flush()
    db.session.add(
        OutboxMessage(
            notification_id=note.id if note is not None else None,
            user_id=user_id,
            seeker_id=seeker_id,
            kind=kind,
            subject=f"{SUBJECT}: {zh}"[:200],
            body=f"{zh}\n{en}",
        )
    )
    return note


def notify_seeker(seeker: Seeker, kind: str, zh: str, en: str, **payload) -> None:
    """Tell a seeker, on the site when they have an account and through the outbox always."""
    notify(seeker.user_id, seeker.id, kind, zh, en, **payload)


def local_time(value: dt.datetime) -> str:
    """A moment as Chongqing wall-clock time, e.g. 2024-03-01 14:30."""
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _wording(application: Application, status: str, detail: dict) -> tuple[str, str] | None:
    title = application.posting.title
    employer = application.posting.employer.name
    if status == "shortlisted":
        return (
            f"「{employer}」已将您应聘「{title}」列入候选名单",
            f"{employer} shortlisted your application for “{title}”.",
        )
    if status == "invited":
        when = detail.get("interview_at_local")
        place = detail.get("interview_place")
        zh_more = "".join([f"，时间：{when}" if when else "", f"，地点：{place}" if place else ""])
        en_more = "".join([f" on {when}" if when else "", f" at {place}" if place else ""])
        return (
            f"「{employer}」邀请您就「{title}」面试{zh_more}",
            f"{employer} invites you to an interview for “{title}”{en_more}.",
        )
    if status == "hired":
        return (f"「{employer}」录用了您：{title}", f"{employer} hired you for “{title}”.")
    if status == "rejected":
        return (
            f"「{employer}」此次未录用您：{title}",
            f"{employer} did not select you for “{title}” this time.",
        )
    return None


def application_moved(
    user: User | None, application: Application, detail: dict | None = None
) -> None:
    """Record the application's new status in its history and tell the seeker unless they made the change.

    A status already recorded last is not recorded again, so a hire that also enrols (trainee
    posts) is one event, while applying again after withdrawing is a new one.
    """
    status = application.status
    if application.id is not None:
        latest = db.session.scalar(
            select(ApplicationEvent.status)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.id.desc())
            .limit(1)
        )
        if latest == status:
            return
    detail = dict(detail or {})
    if detail.get("interview_at"):
        at = detail["interview_at"]
        detail["interview_at_local"] = local_time(at)
        detail["interview_at"] = at.astimezone(dt.UTC).isoformat()
    db.session.add(
        ApplicationEvent(
            application=application,
            status=status,
            by_user_id=user.id if user is not None else None,
            by_role=user.role if user is not None else None,
            detail=detail,
        )
    )
    if user is not None and user.role == "seeker":
        return
    words = _wording(application, status, detail)
    if words is not None:
        notify_seeker(
            application.seeker,
            "application",
            *words,
            application_id=application.id,
            status=status,
            **detail,
        )


def traineeship_started(traineeship: Traineeship) -> None:
    """Tell the trainee that a traineeship was recorded for them: host, post, start and length."""
    host = traineeship.host.name
    title = traineeship.posting.title if traineeship.posting is not None else ""
    notify_seeker(
        traineeship.seeker,
        "traineeship",
        f"您已登记为「{host}」{title}见习，{traineeship.started_on} 开始，"
        f"为期 {traineeship.planned_months} 个月",
        f"You are enrolled as a trainee at {host} ({title}) from {traineeship.started_on} "
        f"for {traineeship.planned_months} months.",
        traineeship_id=traineeship.id,
        outcome="active",
    )


def traineeship_ended(traineeship: Traineeship) -> None:
    """Tell the trainee how their traineeship was recorded as ending."""
    zh, en = OUTCOME_TEXT[traineeship.outcome]
    host = traineeship.host.name
    notify_seeker(
        traineeship.seeker,
        "traineeship",
        f"您在「{host}」的见习已登记结束：{zh}（{traineeship.ended_on}）",
        f"Your traineeship at {host} was recorded as ended on {traineeship.ended_on}: {en}.",
        traineeship_id=traineeship.id,
        outcome=traineeship.outcome,
    )


def recommendations_pushed(seeker: Seeker, titles: list[str], run_id: int) -> None:
    """Tell a seeker their office recommended posts to them."""
    shown = "、".join(titles[:3])
    notify_seeker(
        seeker,
        "recommendation",
        f"就业服务机构为您推荐了 {len(titles)} 个岗位：{shown}",
        f"Your employment office recommended {len(titles)} posts to you: {', '.join(titles[:3])}.",
        run_id=run_id,
        count=len(titles),
    )
