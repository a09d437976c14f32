"""Employers: companies, public institutions and social organisations that post jobs and host trainees."""

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped

if TYPE_CHECKING:
    from app.models.user import User


class Employer(Timestamped, Base):
    """An organisation identified by its unified social credit code (GB 32100)."""

    __tablename__ = "employer"
    __table_args__ = (
        CheckConstraint("size_class IN ('sme', 'large')", name="size_class_known"),
        CheckConstraint("employees IS NULL OR employees >= 0", name="employees_nonneg"),
        CheckConstraint("host_cap IS NULL OR host_cap >= 0", name="host_cap_nonneg"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    size_class: Mapped[str] = mapped_column(String(8), default="sme")
    industry: Mapped[str | None] = mapped_column(String(80))
    district_code: Mapped[str] = mapped_column(ForeignKey("district.code"), index=True)
    employees: Mapped[int | None]
    public_institution: Mapped[bool] = mapped_column(default=False)
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    host_approved: Mapped[bool] = mapped_column(default=False)
    host_cap: Mapped[int | None]
    blacklisted: Mapped[bool] = mapped_column(default=False)
    blacklist_reason: Mapped[str | None] = mapped_column(Text)

    users: Mapped[list["User"]] = relationship(back_populates="employer")
