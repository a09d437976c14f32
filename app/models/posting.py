"""Postings: jobs, traineeship posts (见习岗位) and internships (实习)."""

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.models.base import Base, JsonType, Timestamped, UTCDateTime
from matching.tokens import index_tokens

if TYPE_CHECKING:
    from app.models.employer import Employer
    from app.models.program import Program

KINDS = ("job", "traineeship", "internship")
STATUSES = ("draft", "pending_review", "published", "closed", "rejected")
BENEFITS = (
    "social_insurance",
    "housing_fund",
    "meals",
    "housing",
    "paid_leave",
    "bonus",
    "transport",
    "training",
)
"""What a posting may offer besides pay; social insurance and the housing fund make 五险一金."""
OCCUPATION_SOURCES = ("auto", "given", "office")
"""Who set a posting's occupation code: the coder from the title, the employer, or an office that checked it."""


class Posting(Timestamped, Base):
    """A posting by an employer; traineeship posts may belong to a program."""

    __tablename__ = "posting"
    __table_args__ = (
        CheckConstraint("kind IN ('job', 'traineeship', 'internship')", name="kind_known"),
        CheckConstraint(
            "status IN ('draft', 'pending_review', 'published', 'closed', 'rejected')",
            name="status_known",
        ),
        CheckConstraint("salary_min >= 0 AND salary_max >= salary_min", name="salary_range"),
        CheckConstraint(
            "slots >= 1 AND slots_filled >= 0 AND slots_filled <= slots", name="slots_range"
        ),
        CheckConstraint(
            "(kind = 'traineeship' AND duration_months BETWEEN 3 AND 12) OR "
            "(kind <> 'traineeship' AND (duration_months IS NULL OR duration_months BETWEEN 1 AND 36))",
            name="duration_range",
        ),
        CheckConstraint(
            "program_id IS NULL OR kind = 'traineeship'", name="program_only_traineeship"
        ),
        Index("ix_posting_search", "status", "kind", "district_code", "published_at"),
        # The newest published postings (home page, listings' default order) without a sort.
        Index("ix_posting_newest", "status", "published_at", "id"),
        # The indexes' sync reads the rows changed since the last one (a few, not a scan).
        Index("ix_posting_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    occupation_code: Mapped[str | None] = mapped_column(ForeignKey("occupation.code"), index=True)
    occupation_source: Mapped[str] = mapped_column(String(10), default="auto")
    skills: Mapped[list[str]] = mapped_column(JsonType, default=list)
    min_education: Mapped[str | None] = mapped_column(String(24))
    majors: Mapped[list[str]] = mapped_column(JsonType, default=list)
    salary_min: Mapped[int]
    salary_max: Mapped[int]
    district_code: Mapped[str] = mapped_column(ForeignKey("district.code"))
    slots: Mapped[int] = mapped_column(default=1)
    slots_filled: Mapped[int] = mapped_column(default=0)
    duration_months: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default="draft")
    screening: Mapped[dict | None] = mapped_column(JsonType)
    review_note: Mapped[str | None] = mapped_column(Text)
    # Set when an office rejects the posting, cleared when one approves it: until then every
    # publication by the employer goes back to review, even after closing and reopening.
    rejected_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    work_address: Mapped[str | None] = mapped_column(String(200))
    work_hours: Mapped[str | None] = mapped_column(String(120))
    benefits: Mapped[list[str]] = mapped_column(JsonType, default=list, server_default="[]")
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    apply_by: Mapped[dt.date | None]
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Derived from search_text (see _tokenise); indexed by migration 0003, docs/search.md.
    search_tokens: Mapped[str] = mapped_column(Text, default="", server_default="")

    employer: Mapped["Employer"] = relationship()
    program: Mapped["Program | None"] = relationship()

    @validates("search_text")
    def _tokenise(self, key: str, value: str) -> str:
        """Keep the search index's tokens in step with every write of the search text."""
        self.search_tokens = " ".join(index_tokens(value or ""))
        return value
