"""Keyword search over postings' normalised text, served by a bigram token index.

Every whitespace-separated term must be a substring of the posting's ``search_text`` (the
plain scan). The token index (``search_tokens``: GIN on PostgreSQL, FTS5 on SQLite; migration
0003, docs/search.md) narrows the postings to those holding all of a term's tokens, which is
a superset of the answer; a ``LIKE`` then confirms the terms the tokens cannot decide alone.
"""

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Text

from app.extensions import db
from app.models import Posting
from matching.text import normalize
from matching.tokens import exact, query_tokens

MAX_TERMS = 8
FTS_TABLE = "posting_fts"
GIN_INDEX = "ix_posting_search_tokens"

_fts = table(FTS_TABLE, column("rowid"), column(FTS_TABLE))


def terms_of(query: str) -> list[str]:
    """The normalised whitespace-separated terms of a query (at most eight)."""
    return [t for t in normalize(query).split(" ") if t][:MAX_TERMS]


def plain_condition(query: str) -> ColumnElement[bool]:
    """Every term appears in the posting's text, checked by scanning (``LIKE '%term%'``)."""
    return and_(
        true(), *(Posting.search_text.contains(t, autoescape=True) for t in terms_of(query))
    )


def _token_condition(tokens: list[str]) -> ColumnElement[bool]:
    if db.engine.dialect.name == "postgresql":
        # The same expression as the GIN index, with the separator a literal so it matches.
        lexemes = func.string_to_array(
            Posting.search_tokens, literal_column("' '"), type_=ARRAY(Text)
        )
        return lexemes.contains(tokens)
    if db.engine.dialect.name == "sqlite":
        match = " ".join(f'"{t}"' for t in tokens)
        return Posting.id.in_(select(_fts.c.rowid).where(_fts.c[FTS_TABLE].op("MATCH")(match)))
    return true()


def search_condition(query: str) -> ColumnElement[bool]:
    """Every term appears in the posting's text: looked up in the token index, confirmed by LIKE where needed."""
    terms = terms_of(query)
    if not terms:
        return true()
    tokens = sorted({tok for term in terms for tok in query_tokens(term)})
    checks = [Posting.search_text.contains(t, autoescape=True) for t in terms if not exact(t)]
    if not tokens:
        return and_(true(), *checks)
    return and_(_token_condition(tokens), *checks)


# What a term found in a title is worth; a hit in the description, skills or occupation only is 0.
TITLE_IS_TERM, TITLE_STARTS_WITH_TERM, TITLE_HAS_TERM, TITLE_HAS_ITS_BIGRAMS = 8, 6, 4, 2


def relevance(query: str) -> ColumnElement[int]:
    """How well a matching posting's title answers the query: per term, the whole title, its
    start, the exact term anywhere in it, or only the term's bigrams (higher is better).

    Every posting the search finds holds every term somewhere in its text, so a posting whose
    title says nothing of the query scores 0 and comes after all title hits.
    """
    title = func.lower(Posting.title)
    score = literal(0)
    for term in terms_of(query):
        tokens = query_tokens(term)
        bigram_hit = and_(*(title.contains(t, autoescape=True) for t in tokens)) if tokens else None
        whens = [
            (title == term, TITLE_IS_TERM),
            (title.startswith(term, autoescape=True), TITLE_STARTS_WITH_TERM),
            (title.contains(term, autoescape=True), TITLE_HAS_TERM),
        ]
        if bigram_hit is not None and len(tokens) > 1:
            whens.append((bigram_hit, TITLE_HAS_ITS_BIGRAMS))
        score = score + case(*whens, else_=0)
    return score


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic filter: leave out the search index objects that the models do not describe."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if type_ == "index":
        return name != GIN_INDEX
    return True
