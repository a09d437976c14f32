"""Subsidy lines: one amount due to a host for one trainee, month, kind and revision."""

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamped


class SubsidyLine(Timestamped, Base):
    """An amount in integer yuan with the rule, source clause and rulebook version it came from.

    Unique per (trainee, month, kind, revision), so nothing is paid twice; a correction is a new
    ``adjustment`` line with the next revision that names the line it ``corrects``, never an edit.
    """

    __tablename__ = "subsidy_line"
    __table_args__ = (
        UniqueConstraint("traineeship_id", "month", "kind", "revision"),
        CheckConstraint("length(month) = 7", name="month_shape"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    traineeship_id: Mapped[int] = mapped_column(ForeignKey("traineeship.id"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(24))
    rate: Mapped[int]
    amount: Mapped[int]
    rule_id: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(40))
    rulebook_version: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="due")
    revision: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    corrects: Mapped[str | None] = mapped_column(String(80))
