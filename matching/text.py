"""Text normalisation shared by the occupation coder, skills and features."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """Fold full-width characters and case, and collapse whitespace (NFKC + casefold)."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
