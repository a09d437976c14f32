"""A seeker's personal data, all of it, for the seeker alone (PIPL art. 45: the right to a copy)."""

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import delete, inspect, select

from app.auth import hash_password, verify_password
from app.errors import Unauthorized
from app.extensions import db
from app.models import (
    Application,
    ApplicationEvent,
    DesiredJob,
    Employment,
    Favourite,
    HiringSubsidyGrant,
    Invitation,
    Notification,
    PushedRecommendation,
    SavedSearch,
    Seeker,
    ServiceRecord,
    SubsidyLine,
    Traineeship,
    User,
)
from app.services.common import apply_changes, commit, security_event
from app.services.seekers import own_seeker

# Internal columns that say nothing about the person.
LEFT_OUT = {
    "password_hash",
    "token_version",
    "search_text",
    "search_tokens",
    "totp_secret",
    "totp_last_step",
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def row(record: Any) -> dict[str, Any]:
    """Every column of a record, dates as ISO text."""
    return {
        column.key: _plain(getattr(record, column.key))
        for column in inspect(record).mapper.column_attrs
        if column.key not in LEFT_OUT
    }


def _rows(model: type, *conditions: Any) -> list[dict[str, Any]]:
    return [row(r) for r in db.session.scalars(select(model).where(*conditions).order_by(model.id))]


def export_for(user: User) -> dict[str, Any]:
    """Everything the service holds about the logged-in seeker, section by section."""
    seeker: Seeker = own_seeker(user)
    applications = _rows(Application, Application.seeker_id == seeker.id)
    app_ids = [a["id"] for a in applications]
    traineeships = _rows(Traineeship, Traineeship.seeker_id == seeker.id)
    data = {
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "account": row(user),
        "profile": row(seeker),
        "desired_jobs": _rows(DesiredJob, DesiredJob.seeker_id == seeker.id),
        "applications": applications,
        "application_events": _rows(ApplicationEvent, ApplicationEvent.application_id.in_(app_ids)),
        "invitations": _rows(Invitation, Invitation.seeker_id == seeker.id),
        "favourites": _rows(Favourite, Favourite.user_id == user.id),
        "saved_searches": _rows(SavedSearch, SavedSearch.user_id == user.id),
        "notifications": _rows(Notification, Notification.user_id == user.id),
        "office_recommendations": _rows(
            PushedRecommendation, PushedRecommendation.seeker_id == seeker.id
        ),
        "traineeships": traineeships,
        "subsidy_lines": _rows(
            SubsidyLine, SubsidyLine.traineeship_id.in_([t["id"] for t in traineeships])
        ),
        "employments": _rows(Employment, Employment.seeker_id == seeker.id),
        "hiring_subsidy_grants": _rows(
            HiringSubsidyGrant, HiringSubsidyGrant.seeker_id == seeker.id
        ),
        "service_records": _rows(ServiceRecord, ServiceRecord.seeker_id == seeker.id),
    }
    security_event(user, "personal_data_exported", {"seeker_id": seeker.id})
    commit(what="audit a personal data export")
    return data


OPEN_APPLICATIONS = ("applied", "shortlisted", "invited")
ERASED_NAME = "已注销用户"


def erase_account(user: User, password: str) -> int:
    """Delete a seeker's account (PIPL art. 47): the login is closed and every session ends,
    personal data are erased, open applications withdrawn; the traineeships, subsidy lines,
    hiring grants and service records the law requires offices to keep stay with the
    anonymised person, and the person leaves every ranking index and list."""
    if not verify_password(user, password):
        raise Unauthorized("密码错误 / the password is wrong", field="password")
    seeker = own_seeker(user)
    birth_year = seeker.birth_date.year
    for model, owner in (
        (DesiredJob, DesiredJob.seeker_id == seeker.id),
        (SavedSearch, SavedSearch.user_id == user.id),
        (Favourite, Favourite.user_id == user.id),
        (Notification, Notification.user_id == user.id),
    ):
        db.session.execute(delete(model).where(owner))
    for application in db.session.scalars(
        select(Application).where(
            Application.seeker_id == seeker.id, Application.status.in_(OPEN_APPLICATIONS)
        )
    ):
        application.status = "withdrawn"
    apply_changes(
        seeker,
        {
            "name": ERASED_NAME,
            "id_number": f"ERASED{seeker.id:012d}",
            "birth_date": dt.date(birth_year, 1, 1),
            "gender": None,
            "phone": None,
            "school": None,
            "major": None,
            "summary": None,
            "skills": [],
            "desired_occupations": [],
            "desired_districts": [],
            "education_history": [],
            "work_history": [],
            "expected_salary": None,
            "visible": False,
            "erased_at": dt.datetime.now(dt.UTC),
        },
    )
    apply_changes(
        user,
        {
            "username": f"erased-{user.id}",
            "email": None,
            "display_name": None,
            "active": False,
            "password_hash": hash_password(secrets.token_urlsafe(32)),
            "token_version": user.token_version + 1,
        },
    )
    security_event(user, "account_erased", {"seeker_id": seeker.id})
    commit(what="erase a seeker's account")
    return seeker.id
