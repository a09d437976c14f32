"""Ranking models learned from outcomes: weights as data, with their evaluation."""

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, JsonType, UTCDateTime, utcnow


class RankerModel(Base):
    """One trained set of feature weights, its held-out metrics and whether it is in use."""

    __tablename__ = "ranker_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    weights: Mapped[dict] = mapped_column(JsonType)
    metrics: Mapped[dict] = mapped_column(JsonType, default=dict)
    training_rows: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=False)
    trained_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
