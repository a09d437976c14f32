"""Users and their roles."""

from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Timestamped

if TYPE_CHECKING:
    from app.models.employer import Employer
    from app.models.seeker import Seeker

ROLES = ("seeker", "employer", "office", "admin")


class User(UserMixin, Timestamped, Base):
    """A login: a seeker, an employer's staff, an office worker (scoped to a district) or an admin."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ('seeker', 'employer', 'office', 'admin')", name="role_known"),
        CheckConstraint("role <> 'employer' OR employer_id IS NOT NULL", name="employer_link"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12))
    display_name: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(255))
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), index=True
    )
    office_district: Mapped[str | None] = mapped_column(ForeignKey("district.code"))
    active: Mapped[bool] = mapped_column(default=True)
    token_version: Mapped[int] = mapped_column(default=0)
    locale: Mapped[str | None] = mapped_column(String(8))
    # TOTP second factor of office and admin staff (RFC 6238): the base32 secret once enrolled,
    # and the last 30-second step a code was accepted for, so no code is used twice.
    # Sealed with app.sealing (Fernet): never the base32 secret itself.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_last_step: Mapped[int | None] = mapped_column()

    employer: Mapped["Employer | None"] = relationship(back_populates="users")
    seeker: Mapped["Seeker | None"] = relationship(back_populates="user")

    def get_id(self) -> str:
        """The session's and remember cookie's user id, bound to ``token_version``.

        Bumping the version (logout, password change) makes every earlier session, remember
        cookie and API token of the user invalid on the server side.
        """
        return f"{self.id}.{self.token_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        """Whether the account may log in."""
        return self.active

    @property
    def is_city_office(self) -> bool:
        """Office staff without a district, and admins, see every district."""
        return self.role == "admin" or (self.role == "office" and self.office_district is None)
