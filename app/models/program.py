"""Traineeship programs with quotas, run under a rulebook."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamped


class Program(Timestamped, Base):
    """A traineeship program: e.g. Wulong 2023's at least 200 enterprise posts or 50 public-institution posts.

    ``floor`` is the target the program reports against (000 § 11: 不少于200个 is a floor, not a
    ceiling). ``quota`` is an optional cap (a budget the office sets; None: no cap).
    ``seats_taken`` counts the program's traineeships that did not end by leaving early; the
    database refuses to let it pass the cap, so concurrent enrolments cannot overfill it.
    """

    __tablename__ = "program"
    __table_args__ = (
        CheckConstraint("kind IN ('enterprise', 'public')", name="kind_known"),
        CheckConstraint("quota IS NULL OR quota >= 0", name="quota_nonneg"),
        CheckConstraint("floor >= 0", name="floor_nonneg"),
        CheckConstraint(
            "seats_taken >= 0 AND (quota IS NULL OR seats_taken <= quota)",
            name="seats_within_quota",
        ),
        CheckConstraint("monthly_rate >= 0", name="rate_nonneg"),
        CheckConstraint("ends_on >= starts_on", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(160))
    district_code: Mapped[str] = mapped_column(ForeignKey("district.code"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    quota: Mapped[int | None]
    floor: Mapped[int] = mapped_column(default=0)
    seats_taken: Mapped[int] = mapped_column(default=0)
    monthly_rate: Mapped[int]
    rulebook: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
