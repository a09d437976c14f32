"""Applications of seekers to postings."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, UTCDateTime, utcnow
from app.models.posting import Posting
from app.models.seeker import Seeker

APPLICATION_STATUSES = ("applied", "shortlisted", "invited", "hired", "rejected", "withdrawn")


class Application(Timestamped, Base):
    """A seeker's application to a posting and where it stands."""

    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("seeker_id", "posting_id"),
        CheckConstraint(
            "status IN ('applied', 'shortlisted', 'invited', 'hired', 'rejected', 'withdrawn')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id", ondelete="CASCADE"), index=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(default="applied")
    note: Mapped[str | None]
    applied_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    seeker: Mapped[Seeker] = relationship()
    posting: Mapped[Posting] = relationship()
