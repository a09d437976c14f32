"""CSCO-2022 occupation classification (职业分类大典 2022)."""

from sqlalchemy import CheckConstraint, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Occupation(Base):
    """A node of the CSCO-2022 classification: 大类, 中类, 小类 or 细类."""

    __tablename__ = "occupation"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level_range"),)

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(120), index=True)
    definition: Mapped[str | None] = mapped_column(Text)
    tasks: Mapped[str | None] = mapped_column(Text)
    aliases: Mapped[str | None] = mapped_column(Text)
    digital: Mapped[bool] = mapped_column(default=False)
    green: Mapped[bool] = mapped_column(default=False)
