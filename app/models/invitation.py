"""An employer's invitation to a ranked candidate to apply to one of its posts."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped, UTCDateTime
from app.models.posting import Posting
from app.models.seeker import Seeker


class Invitation(Timestamped, Base):
    """One invitation per seeker and post; accepting it creates the application."""

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("posting_id", "seeker_id"),
        CheckConstraint("status IN ('pending', 'accepted', 'declined')", name="status_known"),
        Index("ix_invitation_employer_id_created_at", "employer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id", ondelete="CASCADE"))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id", ondelete="CASCADE"))
    invited_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    responded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="SET NULL")
    )

    posting: Mapped[Posting] = relationship()
    seeker: Mapped[Seeker] = relationship()
