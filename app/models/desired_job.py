"""Jobs a seeker named in their own words, each with the occupation code it was given."""

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped

if TYPE_CHECKING:
    from app.models.seeker import Seeker

DESIRED_JOB_SOURCES = ("auto", "office")
"""Who set a desired job's code: the coder from the words, or an office that checked it."""


class DesiredJob(Timestamped, Base):
    """One desired job (``软件测试``, ``想做保安``) and its CSCO-2022 code."""

    __tablename__ = "desired_job"
    __table_args__ = (
        UniqueConstraint("seeker_id", "title"),
        CheckConstraint("occupation_source IN ('auto', 'office')", name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seeker_id: Mapped[int] = mapped_column(ForeignKey("seeker.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(60))
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupation.code"))
    occupation_source: Mapped[str] = mapped_column(String(10), default="auto", index=True)

    seeker: Mapped["Seeker"] = relationship(back_populates="desired_jobs")
