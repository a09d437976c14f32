"""Employments: who was hired by whom and when, with the facts the hiring subsidies test."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.application import Application
from app.models.base import Base, Timestamped
from app.models.employer import Employer
from app.models.seeker import Seeker
from app.models.traineeship import Traineeship

MONTH_FIELDS = ("contract_months", "social_insurance_months", "unemployment_insurance_months")


class Employment(Timestamped, Base):
    """A hire of a seeker by an employer; the months stay empty until the employer or office records them."""

    __tablename__ = "employment"
    __table_args__ = (
        UniqueConstraint("seeker_id", "employer_id", "hire_date"),
        CheckConstraint(
            "contract_months IS NULL OR contract_months >= 0", name="contract_months_non_negative"
        ),
        CheckConstraint(
            "social_insurance_months IS NULL OR social_insurance_months >= 0",
            name="social_insurance_months_non_negative",
        ),
        CheckConstraint(
            "unemployment_insurance_months IS NULL OR unemployment_insurance_months >= 0",
            name="unemployment_insurance_months_non_negative",
        ),
        CheckConstraint("ended_on IS NULL OR ended_on >= hire_date", name="end_after_hire"),
        CheckConstraint("application_id IS NULL OR traineeship_id IS NULL", name="one_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id", ondelete="CASCADE"), index=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    hire_date: Mapped[dt.date]
    contract_months: Mapped[int | None]
    social_insurance_months: Mapped[int | None]
    unemployment_insurance_months: Mapped[int | None]
    ended_on: Mapped[dt.date | None]
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="SET NULL"), index=True
    )
    traineeship_id: Mapped[int | None] = mapped_column(
        ForeignKey("traineeship.id", ondelete="SET NULL"), index=True
    )
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    seeker: Mapped[Seeker] = relationship()
    employer: Mapped[Employer] = relationship()
    application: Mapped[Application | None] = relationship()
    traineeship: Mapped[Traineeship | None] = relationship()

    @property
    def source(self) -> str | None:
        """Where the hire was first recorded: ``application:ID`` or ``traineeship:ID``."""
        if self.application_id is not None:
            return f"application:{self.application_id}"
        if self.traineeship_id is not None:
            return f"traineeship:{self.traineeship_id}"
        return None
