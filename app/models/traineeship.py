"""Traineeships (就业见习): one trainee at one host, from enrolment to outcome."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped
from app.models.employer import Employer
from app.models.posting import Posting
from app.models.program import Program
from app.models.seeker import Seeker
from matching.conditions import add_months

OUTCOMES = ("active", "completed", "retained", "converted_early", "left_early")


class Traineeship(Timestamped, Base):
    """A trainee at a host under a program; the database allows one active traineeship per person."""

    __tablename__ = "traineeship"
    __table_args__ = (
        CheckConstraint("planned_months BETWEEN 3 AND 12", name="planned_months_range"),
        CheckConstraint(
            "outcome IN ('active', 'completed', 'retained', 'converted_early', 'left_early')",
            name="outcome_known",
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="end_after_start"),
        CheckConstraint("outcome = 'active' OR ended_on IS NOT NULL", name="ended_has_date"),
        Index(
            "uq_traineeship_one_active",
            "seeker_id",
            unique=True,
            sqlite_where=text("outcome = 'active'"),
            postgresql_where=text("outcome = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id"), index=True)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("posting.id"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    started_on: Mapped[dt.date]
    planned_months: Mapped[int]
    ended_on: Mapped[dt.date | None]
    outcome: Mapped[str] = mapped_column(String(16), default="active")
    rulebook_version: Mapped[str | None] = mapped_column(String(80))

    seeker: Mapped[Seeker] = relationship()
    posting: Mapped[Posting | None] = relationship()
    program: Mapped[Program | None] = relationship()
    host: Mapped[Employer] = relationship()

    @property
    def planned_end(self) -> dt.date:
        """The last day of the planned traineeship."""
        return add_months(self.started_on, self.planned_months) - dt.timedelta(days=1)

    def awaiting_outcome(self, on: dt.date) -> bool:
        """Still recorded as active after its planned end on ``on``: an outcome is due."""
        return self.outcome == "active" and on > self.planned_end
