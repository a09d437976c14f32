"""On-site notifications, e.g. new listings that match a saved search."""

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JsonType, Timestamped, UTCDateTime


class Notification(Timestamped, Base):
    """A message for a user; ``payload`` holds what the page needs to word it in either language."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    saved_search_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_search.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict] = mapped_column(JsonType, default=dict)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
