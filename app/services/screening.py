"""Discrimination screening of posting wording (POLICY.md § 4), via matching.screening."""

from functools import lru_cache

from app.models import Posting
from matching.screening import load_lexicon, screen


@lru_cache(maxsize=1)
def _lexicon():
    return load_lexicon()


def screen_text(text: str) -> dict:
    """Screen text and return a JSON-ready result: flagged, findings, suggested text."""
    result = screen(text, _lexicon())
    return {
        "flagged": result.flagged,
        "findings": [
            {
                "phrase": f.phrase,
                "canonical": f.canonical,
                "category": f.category,
                "source": f.source,
                "start": f.start,
                "end": f.end,
                "explanation_zh": f.explanation_zh,
                "explanation_en": f.explanation_en,
                "suggestion": f.suggestion,
            }
            for f in result.findings
        ],
        "suggested_text": result.suggested_text,
    }


def screen_posting(posting: Posting) -> dict:
    """Screen a posting's title and description together (offsets refer to ``title\\ndescription``)."""
    return screen_text(f"{posting.title}\n{posting.description or ''}")
