"""Hiring subsidy grants: a one-off hiring subsidy the office has paid for one person."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped
from app.models.employer import Employer
from app.models.seeker import Seeker


class HiringSubsidyGrant(Timestamped, Base):
    """One payment of a one-off hiring subsidy, with the rule, clause and rulebook version of its amount.

    Unique per (person, rulebook, rule): each one-off subsidy is paid once per person, and the
    database refuses a second grant even when two offices record it at the same moment.
    """

    __tablename__ = "hiring_subsidy_grant"
    __table_args__ = (
        UniqueConstraint("seeker_id", "rulebook_id", "rule_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id"))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    rulebook_id: Mapped[str] = mapped_column(String(80))
    rule_id: Mapped[str] = mapped_column(String(80))
    rulebook_version: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(120))
    amount: Mapped[int]
    hire_date: Mapped[dt.date]
    hire_record: Mapped[str] = mapped_column(String(40))
    granted_on: Mapped[dt.date]
    reference: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    seeker: Mapped[Seeker] = relationship()
    employer: Mapped[Employer] = relationship()
