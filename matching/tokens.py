"""Character-bigram tokens for the keyword search index, like Lucene's CJKAnalyzer.

Text is cut into runs of letters and digits. Every run gives its overlapping character
bigrams, and every non-ASCII character (a Han character, mostly) also stands alone, so that a
one-character Chinese keyword can be looked up too. Any substring of a text that contains a
letter or digit therefore yields only tokens the text itself yields: the index finds a
superset of what a plain substring scan finds, and the scan only has to confirm it.

Both functions expect text already normalised by :func:`matching.text.normalize`.
"""

import re

_RUN = re.compile(r"[^\W_]+")


def _runs(text: str) -> list[str]:
    return _RUN.findall(text)


def index_tokens(text: str) -> list[str]:
    """The sorted distinct tokens stored for a text: bigrams of each run, non-ASCII characters alone."""
    tokens: set[str] = set()
    for run in _runs(text):
        tokens.update(run[i : i + 2] for i in range(len(run) - 1))
        tokens.update(c for c in run if not c.isascii())
    return sorted(tokens)


def query_tokens(term: str) -> list[str]:
    """The tokens every text containing ``term`` has; empty when the index cannot narrow it."""
    tokens: set[str] = set()
    for run in _runs(term):
        if len(run) > 1:
            tokens.update(run[i : i + 2] for i in range(len(run) - 1))
        elif not run.isascii():
            tokens.add(run)
    return sorted(tokens)


def exact(term: str) -> bool:
    """Whether the tokens alone decide that ``term`` is a substring (no scan needed to confirm)."""
    runs = _runs(term)
    return runs == [term] and (len(term) == 2 or (len(term) == 1 and not term.isascii()))
