"""Districts and counties of Chongqing (GB/T 2260)."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JsonType


class District(Base):
    """One of the 38 districts and counties of Chongqing, keyed by its GB/T 2260 code."""

    __tablename__ = "district"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    neighbours: Mapped[list[str]] = mapped_column(JsonType, default=list)
