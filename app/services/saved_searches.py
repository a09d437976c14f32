"""Saved searches and the notifications of new listings that match them."""

import datetime as dt
from collections.abc import Callable, Iterable

from sqlalchemy import func, select, update

from app.errors import NotFound, RuleViolation
from app.extensions import db
from app.models import Notification, SavedSearch, User
from app.models.base import utcnow
from app.services import notices
from app.services import postings as posting_service
from app.services.common import commit
from app.services.seekers import own_seeker

# Filters of the listings search that a saved search keeps.
QUERY_KEYS = ("q", "district", "occupation", "kind", "salary_min", "salary_max", "education")
MAX_SAVED = 20
MAX_NEW = 50


def clean_query(args: dict) -> dict:
    """Keep the known, non-empty listing filters."""
    return {k: args[k] for k in QUERY_KEYS if args.get(k) not in (None, "")}


def save_search(user: User, name: str, query: dict) -> tuple[SavedSearch, bool]:
    """A seeker keeps a named search; new matches are notified from now on.

    Saving a search the seeker already keeps returns that one (and ``False``) instead of a copy.
    """
    own_seeker(user)
    query = clean_query(query)
    same = next((s for s in list_saved_searches(user) if s.query == query), None)
    if same is not None:
        return same, False
    count = (
        db.session.scalar(
            select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)
        )
        or 0
    )
    if count >= MAX_SAVED:
        raise RuleViolation(
            f"最多保存 {MAX_SAVED} 个搜索 / you may keep at most {MAX_SAVED} searches", field="name"
        )
    saved = SavedSearch(user_id=user.id, name=name.strip(), query=query, last_notified_at=utcnow())
    db.session.add(saved)
    commit(what="save search")
    return saved, True


def list_saved_searches(user: User) -> list[SavedSearch]:
    """The seeker's saved searches, newest first."""
    own_seeker(user)
    stmt = (
        select(SavedSearch)
        .where(SavedSearch.user_id == user.id)
        .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
    )
    return list(db.session.scalars(stmt))


def delete_saved_search(user: User, saved_search_id: int) -> None:
    """Remove one of the seeker's saved searches."""
    own_seeker(user)
    saved = db.session.get(SavedSearch, saved_search_id)
    if saved is None or saved.user_id != user.id:
        raise NotFound("搜索不存在 / saved search not found")
    db.session.delete(saved)
    commit(what="delete saved search")


def new_matches(saved: SavedSearch, since: dt.datetime) -> list[int]:
    """Ids of published postings matching the saved filters, published after ``since``."""
    items, _ = posting_service.list_postings(
        None, {**saved.query, "sort": "-published_at"}, 1, MAX_NEW
    )
    return [p.id for p in items if p.published_at is not None and p.published_at > since]


def notify_saved_searches(
    now: dt.datetime | None = None, progress: Callable[[Iterable], Iterable] = iter
) -> dict[str, int]:
    """Record a notification (and an outbox message) for each saved search with new matches since it was last notified."""
    now = now or utcnow()
    counts = {"searches": 0, "notified": 0}
    searches = list(db.session.scalars(select(SavedSearch).order_by(SavedSearch.id)))
    for saved in progress(searches):
        counts["searches"] += 1
        since = saved.last_notified_at or saved.created_at
        posting_ids = new_matches(saved, since)
        saved.last_notified_at = now
        if not posting_ids:
            continue
        note = notices.notify(
            saved.user_id,
            None,
            "saved_search",
            f"您保存的搜索「{saved.name}」有 {len(posting_ids)} 个新岗位",
            f"Your saved search “{saved.name}” has {len(posting_ids)} new listings.",
            name=saved.name,
            query=saved.query,
            posting_ids=posting_ids,
        )
        note.saved_search_id = saved.id
        counts["notified"] += 1
    commit(what="notify saved searches")
    return counts


def list_notifications(user: User, limit: int = 50) -> list[Notification]:
    """The user's latest notifications."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def unread_count(user: User | None) -> int:
    """How many notifications the user has not read."""
    if user is None:
        return 0
    stmt = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return db.session.scalar(stmt) or 0


def mark_all_read(user: User) -> None:
    """Mark the user's notifications read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    commit(what="read notifications")
