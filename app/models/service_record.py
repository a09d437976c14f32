"""Services an office delivered to a person: the 一人一档 file of the 1-3-1-1 package, and contacts."""

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamped

SERVICE_KINDS = ("guidance", "recommendation", "training", "traineeship", "contact")


class ServiceRecord(Timestamped, Base):
    """One service delivered to a seeker: what, when, by whom (003 § 20; contacts 002 annex § 51)."""

    __tablename__ = "service_record"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('guidance', 'recommendation', 'training', 'traineeship', 'contact')",
            name="kind_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    delivered_on: Mapped[dt.date] = mapped_column(index=True)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    by_name: Mapped[str | None] = mapped_column(String(80))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("district.code"))
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("posting.id", ondelete="SET NULL"))
    match_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_run.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
