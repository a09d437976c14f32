"""Traineeship programs with quotas, run under a rulebook."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamped


class Program(Timestamped, Base):
    """A traineeship program: e.g. Wulong 2023's 200 enterprise posts or 50 public-institution posts.

    ``quota`` is the number of funded seats; ``seats_taken`` counts enrolled traineeships and the
    database refuses to let it pass the quota, so concurrent enrolments cannot overfill it.
    """

    __tablename__ = "program"
    __table_args__ = (
        CheckConstraint("kind IN ('enterprise', 'public')", name="kind_known"),
        CheckConstraint("quota >= 0", name="quota_nonneg"),
        CheckConstraint("floor >= 0", name="floor_nonneg"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= quota", name="seats_within_quota"),
        CheckConstraint("monthly_rate >= 0", name="rate_nonneg"),
        CheckConstraint("ends_on >= starts_on", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(160))
    district_code: Mapped[str] = mapped_column(ForeignKey("district.code"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    quota: Mapped[int]
    floor: Mapped[int] = mapped_column(default=0)
    seats_taken: Mapped[int] = mapped_column(default=0)
    monthly_rate: Mapped[int]
    rulebook: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
