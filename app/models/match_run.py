"""Stored runs of the matcher, so any report or placement can be re-opened as it was."""

from sqlalchemy import ForeignKey, Integer, String, func, select
from sqlalchemy.orm import Mapped, aliased, column_property, mapped_column, relationship

from app.models.base import Base, JsonType, Timestamped


class MatchRun(Timestamped, Base):
    """One run: what was asked, with which model and rulebook versions and seed."""

    __tablename__ = "match_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    parameters: Mapped[dict] = mapped_column(JsonType, default=dict)
    model_version: Mapped[str | None] = mapped_column(String(80))
    rulebook_version: Mapped[str | None] = mapped_column(String(80))
    seed: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="done")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("district.code"))

    results: Mapped[list["MatchResult"]] = relationship(
        back_populates="run", cascade="all, delete-orphan"
    )


class MatchResult(Base):
    """One ranked row of a run: a (seeker, posting) pair with its score parts and reasons."""

    __tablename__ = "match_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"), index=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id"), index=True)
    rank: Mapped[int]
    score: Mapped[float]
    parts: Mapped[dict] = mapped_column(JsonType, default=dict)
    reasons: Mapped[list] = mapped_column(JsonType, default=list)

    run: Mapped[MatchRun] = relationship(back_populates="results")


_earlier = aliased(MatchRun)
# What people call a run: the n-th match report or the n-th placement proposal, each kind numbered
# on its own (the id is shared by both kinds, so the first report could be "#2").
MatchRun.number = column_property(
    select(func.count(_earlier.id))
    .where(_earlier.kind == MatchRun.kind, _earlier.id <= MatchRun.id)
    .correlate_except(_earlier)
    .scalar_subquery()
)
