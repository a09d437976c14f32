"""Favourites: postings a user keeps an eye on."""

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped
from app.models.posting import Posting


class Favourite(Timestamped, Base):
    """One posting marked by one user."""

    __tablename__ = "favourite"
    __table_args__ = (UniqueConstraint("user_id", "posting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )

    posting: Mapped[Posting] = relationship()
