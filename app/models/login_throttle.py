"""Failed logins per attempted username, shared by every process through the database."""

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class LoginThrottle(Base):
    """Consecutive failed logins for a username (whether or not an account has it) and until
    when further attempts are refused; a successful login deletes the row."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
