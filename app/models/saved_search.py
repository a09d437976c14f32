"""Saved searches of seekers, with when they were last told about new matches."""

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JsonType, Timestamped, UTCDateTime


class SavedSearch(Timestamped, Base):
    """A named set of listing filters a user keeps and is notified about."""

    __tablename__ = "saved_search"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[dict] = mapped_column(JsonType, default=dict)
    last_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
