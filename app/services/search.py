"""Keyword search over postings' normalised text."""

from sqlalchemy import ColumnElement, and_

from app.models import Posting
from matching.text import normalize


def search_condition(query: str) -> ColumnElement[bool]:
    """Every whitespace-separated term of the query appears in the posting's text."""
    terms = [t for t in normalize(query).split(" ") if t][:8]
    return and_(*(Posting.search_text.contains(t, autoescape=True) for t in terms))
