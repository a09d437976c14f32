"""Applications of seekers to postings."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, UTCDateTime, utcnow
from app.models.posting import Posting
from app.models.seeker import Seeker
from app.models.user import User

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
    # The seeker's cover note, written when applying (``applied_at``); never overwritten.
    note: Mapped[str | None]
    applied_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # The note given with the latest status change, by whom and when.
    decision_note: Mapped[str | None] = mapped_column(Text)
    decision_note_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decision_note_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    seeker: Mapped[Seeker] = relationship()
    posting: Mapped[Posting] = relationship()
    decision_note_author: Mapped[User | None] = relationship()

    @property
    def notes(self) -> list[dict]:
        """Both notes with their author's role and time: the seeker's cover note, then the decision's."""
        out = []
        if self.note:
            out.append({"author": "seeker", "text": self.note, "at": self.applied_at})
        if self.decision_note:
            author = self.decision_note_author
            out.append(
                {
                    "author": author.role if author is not None else None,
                    "text": self.decision_note,
                    "at": self.decision_note_at,
                }
            )
        return out
