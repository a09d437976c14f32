"""The history of an application: each status it took, when and by whom."""

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.application import Application
from app.models.base import Base, JsonType, UTCDateTime, utcnow


class ApplicationEvent(Base):
    """One status change of an application; ``detail`` holds e.g. an interview's time and place."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    by_role: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[dict] = mapped_column(JsonType, default=dict)

    application: Mapped[Application] = relationship()
