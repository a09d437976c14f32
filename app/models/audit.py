"""Audit trail: every write, login, export and reading of unmasked personal data."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JsonType, UTCDateTime, utcnow


class AuditEvent(Base):
    """Who did what to which record, when, with the values before and after."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict | None] = mapped_column(JsonType)
    after: Mapped[dict | None] = mapped_column(JsonType)
    ip: Mapped[str | None] = mapped_column(String(45))
    # The district of the user who acted (an office's, an employer's or a seeker's own), so a
    # district's office reads the trail of its district; None for city staff and admins.
    district: Mapped[str | None] = mapped_column(String(6), index=True)
