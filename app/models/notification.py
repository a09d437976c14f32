"""Notifications: on-site messages to a user, and the outbox a delivery channel sends from."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
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


OUTBOX_STATUSES = ("pending", "sent", "failed", "skipped")


class OutboxMessage(Timestamped, Base):
    """A message waiting for the configured channel (SMS, e-mail, console, file) to deliver it.

    ``flask notify deliver`` sends each pending message once; a failure is counted and retried
    until ``NOTIFY_MAX_ATTEMPTS``, then the message is ``failed``; one without an address on the
    channel is ``skipped``.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed', 'skipped')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    seeker_id: Mapped[int | None] = mapped_column(
        ForeignKey("seeker.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
