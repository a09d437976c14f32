"""Favourites: seekers keep postings they want to come back to."""

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Favourite, Posting, User
from app.services import postings as posting_service
from app.services.common import commit
from app.services.seekers import own_seeker


def add_favourite(user: User, posting_id: int) -> Favourite:
    """Mark a posting the seeker may see; marking it twice keeps one favourite."""
    own_seeker(user)
    posting = posting_service.get_posting(user, posting_id)
    existing = db.session.scalar(
        select(Favourite).where(Favourite.user_id == user.id, Favourite.posting_id == posting.id)
    )
    if existing is not None:
        return existing
    favourite = Favourite(user_id=user.id, posting_id=posting.id)
    db.session.add(favourite)
    commit(what="add favourite")
    return favourite


def remove_favourite(user: User, posting_id: int) -> None:
    """Unmark a posting (nothing happens when it was not marked)."""
    own_seeker(user)
    db.session.execute(
        delete(Favourite).where(Favourite.user_id == user.id, Favourite.posting_id == posting_id)
    )
    commit(what="remove favourite")


def list_favourites(user: User) -> list[Favourite]:
    """The seeker's favourites that are still visible, newest first."""
    own_seeker(user)
    stmt = (
        select(Favourite)
        .join(Favourite.posting)
        .options(joinedload(Favourite.posting).joinedload(Posting.employer))
        .where(Favourite.user_id == user.id, Posting.status.in_(("published", "closed")))
        .order_by(Favourite.created_at.desc(), Favourite.id.desc())
    )
    return list(db.session.scalars(stmt))


def favourite_ids(user: User | None) -> set[int]:
    """Ids of the postings a seeker has marked (empty for anyone else)."""
    if user is None or user.role != "seeker":
        return set()
    return set(db.session.scalars(select(Favourite.posting_id).where(Favourite.user_id == user.id)))
