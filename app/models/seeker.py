"""Job seekers and their profiles."""

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String, Text, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, JsonType, Timestamped, UTCDateTime

if TYPE_CHECKING:
    from app.models.desired_job import DesiredJob
    from app.models.user import User

EDUCATION_CHECK = (
    "education IN ('junior_high', 'senior_high', 'secondary_vocational', 'junior_college', "
    "'bachelor', 'master', 'doctor')"
)


class Seeker(Timestamped, Base):
    """A job seeker: identity, education, preferences and priority groups."""

    __tablename__ = "seeker"
    __table_args__ = (
        CheckConstraint(EDUCATION_CHECK, name="education_known"),
        CheckConstraint("gender IS NULL OR gender IN ('F', 'M')", name="gender_known"),
        CheckConstraint("expected_salary IS NULL OR expected_salary >= 0", name="salary_nonneg"),
        # The indexes' sync reads the rows changed since the last one (a few, not a scan).
        Index("ix_seeker_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), unique=True
    )
    name: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str | None] = mapped_column(String(1))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    birth_date: Mapped[dt.date]
    phone: Mapped[str | None] = mapped_column(String(20))
    hukou_district: Mapped[str | None] = mapped_column(ForeignKey("district.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("district.code"), index=True)
    education: Mapped[str] = mapped_column(String(24))
    school: Mapped[str | None] = mapped_column(String(120))
    major: Mapped[str | None] = mapped_column(String(120))
    graduation_date: Mapped[dt.date | None]
    employed: Mapped[bool] = mapped_column(default=False)
    registered_unemployed_since: Mapped[dt.date | None]
    registered_unemployed_district: Mapped[str | None] = mapped_column(String(6))
    skills: Mapped[list[str]] = mapped_column(JsonType, default=list)
    desired_occupations: Mapped[list[str]] = mapped_column(JsonType, default=list)
    desired_districts: Mapped[list[str]] = mapped_column(JsonType, default=list)
    # [{school, major, level, start, end}] and [{employer, title, duties, start, end}], ISO dates
    education_history: Mapped[list[dict]] = mapped_column(JsonType, default=list)
    work_history: Mapped[list[dict]] = mapped_column(JsonType, default=list)
    expected_salary: Mapped[int | None]
    priority_groups: Mapped[list[str]] = mapped_column(JsonType, default=list)
    priority_certified_by: Mapped[str | None] = mapped_column(String(80))
    priority_certified_on: Mapped[dt.date | None]
    disability: Mapped[bool] = mapped_column(default=False)
    # Which self-declared facts an office has checked, and the value it checked:
    # {fact: {"value": [...], "by": user id, "by_name": ..., "on": ISO date}}
    # (see app.services.declared_facts; a changed value is no longer confirmed).
    confirmed_facts: Mapped[dict] = mapped_column(JsonType, default=dict)
    visible: Mapped[bool] = mapped_column(default=True)
    summary: Mapped[str | None] = mapped_column(Text)
    # Set when the person deleted the account: the row stays, anonymised, for the records the
    # law requires offices to keep (traineeships, subsidy lines); nobody is matched to it.
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    user: Mapped["User | None"] = relationship(back_populates="seeker")
    desired_jobs: Mapped[list["DesiredJob"]] = relationship(
        back_populates="seeker",
        order_by="DesiredJob.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @classmethod
    def of_district(cls, code: str) -> ColumnElement[bool]:
        """SQL condition: the seeker lives in the district or is registered there (户籍)."""
        return or_(cls.hukou_district == code, cls.district_code == code)
