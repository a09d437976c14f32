"""Posts an office pushed to a seeker from a match report ("recommended by your office")."""

import datetime as dt

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JsonType, UTCDateTime, utcnow


class PushedRecommendation(Base):
    """One post recommended to one seeker by an office, from one match-report run."""

    __tablename__ = "pushed_recommendation"
    __table_args__ = (UniqueConstraint("run_id", "seeker_id", "posting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id", ondelete="CASCADE"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id", ondelete="CASCADE"))
    rank: Mapped[int]
    score: Mapped[float]
    reasons_text: Mapped[dict] = mapped_column(JsonType, default=dict)
    pushed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("district.code"))
    pushed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
