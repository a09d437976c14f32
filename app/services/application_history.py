"""An application's timeline: each status it took, when and by whom, as the seeker sees it."""

from sqlalchemy import select

from app.extensions import db
from app.models import Application, ApplicationEvent, User
from app.services.applications import get_application

WHO = {
    "seeker": {"zh": "您", "en": "You"},
    "office": {"zh": "就业服务机构", "en": "Employment office"},
    "admin": {"zh": "就业服务机构", "en": "Employment office"},
}


def _who(event_role: str | None, application: Application) -> dict[str, str]:
    if event_role == "employer":
        name = application.posting.employer.name
        return {"zh": name, "en": name}
    return WHO.get(event_role or "", {"zh": "—", "en": "—"})


def timeline(user: User, application_id: int) -> dict:
    """The application with every status change in order; older applications start from their dates."""
    application = get_application(user, application_id)
    events = list(
        db.session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.at, ApplicationEvent.id)
        )
    )
    steps = [
        {"status": e.status, "at": e.at, "by": _who(e.by_role, application), "detail": e.detail}
        for e in events
    ]
    # Applications from before the history was kept: their application and last decision dates.
    if not any(e.status == "applied" for e in events):
        steps.insert(
            0,
            {"status": "applied", "at": application.applied_at, "by": WHO["seeker"], "detail": {}},
        )
    if not events and application.status != "applied":
        steps.append(
            {
                "status": application.status,
                "at": application.decided_at,
                "by": {"zh": "—", "en": "—"},
                "detail": {},
            }
        )
    return {"application": application, "steps": steps}
