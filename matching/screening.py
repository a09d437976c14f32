"""Screen job-posting wording for discriminatory barriers (003 § 30, 004 § 四.4).

The lexicon lives in ``seed/reference/discrimination_lexicon.toml``; the algorithm is
described in ``matching/docs/screening.md``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Hamming

from matching.text import normalize

DEFAULT_LEXICON = (
    Path(__file__).resolve().parent.parent / "seed" / "reference" / "discrimination_lexicon.toml"
)

Method = Literal["exact", "pattern", "fuzzy"]

# Clause punctuation, after NFKC: a barrier phrase never spans one of these.
_HARD = frozenset("\n\r,;!?。、")
# Removing a phrase also removes one neighbouring list separator.
_SEPARATORS = frozenset("，,、；;")
_SPACES = frozenset(" \u3000\t")
# Separators that removals leave doubled, or dangling before a full stop or the end.
_DANGLING_SEPARATOR = re.compile(r"[，,、；;][ \u3000\t]*(?=[。.！!？?）)]|$)")
_DOUBLED_SEPARATOR = re.compile(r"([，,、；;])(?:[ \u3000\t]*[，,、；;])+")
# A list number ("2、", "3.") left in front of a removed item goes with it.
_LIST_MARKER = re.compile(r"(?:^|(?<=[，,、；;。:：\n]))\s*\d{1,2}\s*[、.．)）]\s*$")
_TERM = re.compile(r"\{([a-z_]+)\}")
_KEEP_GROUP = "(?P<keep>"
_FUZZY_REPEATS = 3


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of barrier and the source clauses that forbid it."""

    key: str
    name_zh: str
    name_en: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry: a canonical phrase, how to find it and how to fix it."""

    id: str
    phrase: str
    category: str
    source: str
    explanation_zh: str
    explanation_en: str
    suggestion: str
    regex: re.Pattern[str]
    anchor: re.Pattern[str] | None
    fuzzy_phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled lexicon: entries, allow-list patterns and fuzzy-matching settings."""

    version: str
    entries: tuple[Entry, ...]
    allow: tuple[re.Pattern[str], ...]
    categories: Mapping[str, Category]
    sources: Mapping[str, str]
    fuzzy_cutoff: float
    fuzzy_min_length: int
    fuzzy_max_substitutions: int


@dataclass(frozen=True, slots=True)
class Finding:
    """A barrier found in a posting, with offsets into the original text."""

    phrase: str
    canonical: str
    category: str
    source: str
    start: int
    end: int
    explanation_zh: str
    explanation_en: str
    suggestion: str
    entry_id: str
    method: Method
    score: float


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """Outcome of screening one posting."""

    text: str
    findings: list[Finding]
    suggested_text: str
    lexicon_version: str

    @property
    def flagged(self) -> bool:
        """Whether any barrier was found."""
        return bool(self.findings)


@dataclass(frozen=True, slots=True)
class _View:
    """Normalised text and, for each of its characters, the index in the original."""

    text: str
    index: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.index[start], self.index[end - 1] + 1


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    entry: Entry
    method: Method
    score: float
    keep: tuple[int, int] | None


_KEEP, _SOFT, _BREAK, _DOT = range(4)
_FOLDS: dict[str, tuple[str, int]] = {}


def _fold(ch: str) -> tuple[str, int]:
    """Fold one character and say whether it is kept, dropped, a clause break or a dot."""
    found = _FOLDS.get(ch)
    if found is not None:
        return found
    folded = normalize(ch)
    if ch in "\n\r" or folded in _HARD:
        found = ("\n", _BREAK)
    elif folded == ".":
        found = (".", _DOT)
    elif not folded or unicodedata.category(folded[0])[0] in "PSZC":
        found = ("", _SOFT)
    else:
        found = (folded, _KEEP)
    _FOLDS[ch] = found
    return found


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _view(text: str) -> _View:
    """Normalise text for matching and keep a map back to the original offsets."""
    out: list[str] = []
    index: list[int] = []
    gap: int | None = None
    for i, ch in enumerate(text):
        folded, kind = _FOLDS.get(ch) or _fold(ch)
        if kind == _KEEP:
            # Dropped punctuation between two Latin words still separates them.
            if gap is not None and out and _is_word(out[-1]) and _is_word(folded[0]):
                out.append(" ")
                index.append(gap)
            gap = None
            out.extend(folded)
            index.extend([i] * len(folded))
            continue
        if kind == _DOT or ch == "、":
            # "5.5" and "985、211" stay one token; elsewhere these end a clause.
            after = _fold(text[i + 1])[0] if i + 1 < len(text) else ""
            if out and out[-1].isdigit() and after[:1].isdigit():
                if kind == _DOT:
                    out.append(".")
                    index.append(i)
                    gap = None
                elif gap is None:
                    gap = i
                continue
            kind = _BREAK
        if kind == _BREAK:
            if out and out[-1] != "\n":
                out.append("\n")
                index.append(i)
            gap = None
        elif gap is None:
            gap = i
    return _View("".join(out), tuple(index))


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _literal(phrase: str) -> str:
    """Regex for a literal phrase in normalised form, bounded where it is a Latin word."""
    norm = _view(phrase).text
    pattern = re.escape(norm)
    if _is_word(norm[0]):
        pattern = "(?<![a-z0-9])" + pattern
    if _is_word(norm[-1]):
        pattern += "(?![a-z0-9])"
    return pattern


def _expand(pattern: str, terms: Mapping[str, str]) -> str:
    return _TERM.sub(lambda m: terms.get(m.group(1), m.group(0)), pattern)


def _alternation(words: Iterable[str]) -> str:
    """Longest-first alternation, guarded by a class of first characters for speed."""
    ordered = sorted({_view(w).text for w in words}, key=len, reverse=True)
    firsts = "".join(sorted({re.escape(w[0]) for w in ordered}))
    return f"(?=[{firsts}])(?:" + "|".join(re.escape(w) for w in ordered) + ")"


def _compile(literals: list[str], patterns: list[str], terms: Mapping[str, str]) -> re.Pattern[str]:
    """One regex per entry; patterns come first so the longer, structured match wins."""
    parts = []
    for k, pattern in enumerate(patterns):
        expanded = _expand(pattern, terms).replace(_KEEP_GROUP, f"(?P<keep{k}>")
        parts.append(f"(?:{expanded})")
    if literals:
        parts.append("(?P<lit>" + "|".join(_literal(p) for p in literals) + ")")
    return re.compile("|".join(parts))


def _anchor(raw: Mapping[str, Any], literals: list[str]) -> re.Pattern[str] | None:
    """Regex for the entry's anchors; every literal must contain one, or the entry is wrong."""
    anchors = [_view(a).text for a in raw.get("anchors", [])]
    if not anchors:
        return None
    for literal in literals:
        if not any(a in _view(literal).text for a in anchors):
            raise ValueError(f"lexicon entry {raw['id']}: {literal!r} contains no anchor")
    return re.compile("|".join(re.escape(a) for a in anchors))


def _entry(raw: Mapping[str, Any], terms: Mapping[str, str], min_length: int) -> Entry:
    literals = [raw["phrase"], *raw.get("variants", [])]
    fuzzy = tuple(
        dict.fromkeys(
            norm
            for norm in (_view(p).text for p in literals)
            if _has_cjk(norm) and "\n" not in norm and len(norm) >= min_length
        )
    )
    return Entry(
        id=raw["id"],
        phrase=raw["phrase"],
        category=raw["category"],
        source=raw["source"],
        explanation_zh=raw["explanation_zh"],
        explanation_en=raw["explanation_en"],
        suggestion=raw.get("suggestion", ""),
        regex=_compile(literals, list(raw.get("patterns", [])), terms),
        anchor=_anchor(raw, literals),
        fuzzy_phrases=fuzzy,
    )


def load_lexicon(path: str | Path = DEFAULT_LEXICON) -> Lexicon:
    """Load and compile a discrimination lexicon from TOML."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    sources = {key: value["text"] for key, value in data["sources"].items()}
    categories = {
        key: Category(key, value["name_zh"], value["name_en"], tuple(value["sources"]))
        for key, value in data["categories"].items()
    }
    terms = {name: _alternation(words) for name, words in data.get("terms", {}).items()}
    min_length = int(data.get("fuzzy_min_length", 6))
    entries = tuple(_entry(raw, terms, min_length) for raw in data.get("entry", []))
    for entry in entries:
        category = categories.get(entry.category)
        if category is None:
            raise ValueError(f"lexicon entry {entry.id}: unknown category {entry.category!r}")
        if entry.source not in category.sources:
            raise ValueError(
                f"lexicon entry {entry.id}: source {entry.source!r} does not cover "
                f"category {entry.category!r}"
            )
    allow = tuple(
        _compile([raw["phrase"], *raw.get("variants", [])], list(raw.get("patterns", [])), terms)
        for raw in data.get("allow", [])
    )
    return Lexicon(
        version=str(data["version"]),
        entries=entries,
        allow=allow,
        categories=categories,
        sources=sources,
        fuzzy_cutoff=float(data.get("fuzzy_cutoff", 80.0)),
        fuzzy_min_length=min_length,
        fuzzy_max_substitutions=int(data.get("fuzzy_max_substitutions", 1)),
    )


@cache
def _default_lexicon() -> Lexicon:
    return load_lexicon(DEFAULT_LEXICON)


def _keep_span(match: re.Match[str]) -> tuple[int, int] | None:
    for name, value in match.groupdict().items():
        if value is not None and name.startswith("keep"):
            return match.span(name)
    return None


def _clauses(norm: str) -> list[tuple[int, int]]:
    """Spans of the clauses of normalised text; no match crosses a clause break."""
    spans = []
    start = 0
    for m in re.finditer("\n", norm):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(norm)))
    return spans


def _candidate_clauses(
    norm: str, anchor: re.Pattern[str] | None, clauses: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Clauses holding one of the anchors: matching only these keeps screening fast."""
    if anchor is None:
        return [(0, len(norm))]
    starts = [s for s, _ in clauses]
    chosen = sorted({bisect_right(starts, m.start()) - 1 for m in anchor.finditer(norm)})
    return [clauses[i] for i in chosen]


def _clauses_with(clauses: list[tuple[int, int]], hits: list[_Hit]) -> list[tuple[int, int]]:
    starts = [s for s, _ in clauses]
    chosen = {bisect_right(starts, h.start) - 1 for h in hits}
    return [clauses[i] for i in sorted(chosen)]


def _exact_hits(norm: str, lexicon: Lexicon, clauses: list[tuple[int, int]]) -> list[_Hit]:
    hits = []
    for entry in lexicon.entries:
        for start, end in _candidate_clauses(norm, entry.anchor, clauses):
            for m in entry.regex.finditer(norm, start, end):
                if m.end() == m.start():
                    continue
                method: Method = "exact" if m.group("lit") is not None else "pattern"
                hits.append(_Hit(m.start(), m.end(), entry, method, 100.0, _keep_span(m)))
    return hits


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _closest_window(phrase: str, norm: str, start: int, end: int) -> tuple[int, int, int]:
    """Window of the phrase's length near an alignment, with the fewest substitutions."""
    size = len(phrase)
    best = (size + 1, start, start + size)
    for s in {start, end - size, start - 1, start + 1}:
        if s >= 0 and s + size <= len(norm):
            distance = Hamming.distance(phrase, norm[s : s + size])
            best = min(best, (distance, s, s + size))
    return best


def _fuzzy_hits(norm: str, lexicon: Lexicon, taken: list[tuple[int, int]]) -> list[_Hit]:
    """Look-alike or mistyped variants of CJK phrases: one substituted character, no more."""
    hits: list[_Hit] = []
    present = set(norm)
    cutoff = lexicon.fuzzy_cutoff
    for entry in lexicon.entries:
        for phrase in entry.fuzzy_phrases:
            # An alignment scoring >= cutoff shares that share of its characters with the phrase.
            if sum(c in present for c in phrase) * 100 < cutoff * len(phrase):
                continue
            work = norm
            for _ in range(_FUZZY_REPEATS):
                found = fuzz.partial_ratio_alignment(phrase, work, score_cutoff=cutoff)
                if found is None:
                    break
                distance, start, end = _closest_window(
                    phrase, work, found.dest_start, found.dest_end
                )
                work = work[: found.dest_start] + "\x00" * (found.dest_end - found.dest_start)
                work += norm[found.dest_end :]
                if distance > lexicon.fuzzy_max_substitutions or "\n" in norm[start:end]:
                    continue
                if _overlaps(start, end, taken):
                    continue
                taken.append((start, end))
                score = 100.0 * (1 - distance / len(phrase))
                hits.append(_Hit(start, end, entry, "fuzzy", score, None))
    return hits


def _allowed_spans(
    norm: str, lexicon: Lexicon, clauses: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    return [
        m.span()
        for start, end in clauses
        for regex in lexicon.allow
        for m in regex.finditer(norm, start, end)
        if m.end() > m.start()
    ]


def _merge_by_category(hits: list[_Hit]) -> list[_Hit]:
    """Merge overlapping hits of one category into one, described by its longest part."""
    merged: list[_Hit] = []
    order = {"exact": 0, "pattern": 1, "fuzzy": 2}
    for hit in sorted(hits, key=lambda h: (h.entry.category, h.start, -h.end)):
        last = merged[-1] if merged else None
        if last and last.entry.category == hit.entry.category and hit.start < last.end:
            longer = (hit.end - hit.start, -order[hit.method]) > (
                last.end - last.start,
                -order[last.method],
            )
            if longer:
                last.entry, last.method, last.score, last.keep = (
                    hit.entry,
                    hit.method,
                    hit.score,
                    hit.keep,
                )
            last.end = max(last.end, hit.end)
            continue
        merged.append(_Hit(hit.start, hit.end, hit.entry, hit.method, hit.score, hit.keep))
    return sorted(merged, key=lambda h: (h.start, h.end))


def _render(hit: _Hit, view: _View, text: str) -> str:
    suggestion = hit.entry.suggestion
    if "{keep}" in suggestion:
        kept = ""
        if hit.keep is not None:
            start, end = view.span(*hit.keep)
            kept = text[start:end]
        suggestion = suggestion.replace("{keep}", kept)
    return suggestion


def _removal_span(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """Widen a span to remove so no empty list item or doubled separator is left behind."""
    while end < len(text) and text[end] in _SPACES:
        end += 1
    marker = _LIST_MARKER.search(text[floor:start])
    if marker:
        start = floor + marker.start()
    if end < len(text) and text[end] in _SEPARATORS:
        return start, end + 1
    while start > floor and text[start - 1] in _SPACES:
        start -= 1
    if start > floor and text[start - 1] in _SEPARATORS:
        start -= 1
    return start, end


def _rewrite(text: str, findings: list[Finding]) -> str:
    """Replace each group of overlapping findings by its suggestion, or remove it cleanly."""
    groups: list[tuple[int, int, list[str]]] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        if groups and f.start < groups[-1][1]:
            start, end, suggestions = groups[-1]
            groups[-1] = (start, max(end, f.end), [*suggestions, f.suggestion])
        else:
            groups.append((f.start, f.end, [f.suggestion]))
    out: list[str] = []
    cursor = 0
    for start, end, suggestions in groups:
        start = max(start, cursor)
        replacement = "，".join(dict.fromkeys(s for s in suggestions if s))
        if not replacement:
            start, end = _removal_span(text, start, end, cursor)
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return _tidy("".join(out))


def _tidy(text: str) -> str:
    """Drop the separators that removals leave doubled or dangling before a full stop."""
    return _DANGLING_SEPARATOR.sub("", _DOUBLED_SEPARATOR.sub(r"\1", text))


def screen(text: str, lexicon: Lexicon | None = None) -> ScreeningResult:
    """Find discriminatory wording in a posting and propose a neutral rewording."""
    lexicon = lexicon or _default_lexicon()
    view = _view(text)
    norm = view.text
    clauses = _clauses(norm)
    hits = _exact_hits(norm, lexicon, clauses)
    hits += _fuzzy_hits(norm, lexicon, [(h.start, h.end) for h in hits])
    hit_clauses = _clauses_with(clauses, hits)
    allowed = _allowed_spans(norm, lexicon, hit_clauses)
    hits = [h for h in hits if not _overlaps(h.start, h.end, allowed)]
    findings = []
    for hit in _merge_by_category(hits):
        start, end = view.span(hit.start, hit.end)
        findings.append(
            Finding(
                phrase=text[start:end],
                canonical=hit.entry.phrase,
                category=hit.entry.category,
                source=hit.entry.source,
                start=start,
                end=end,
                explanation_zh=hit.entry.explanation_zh,
                explanation_en=hit.entry.explanation_en,
                suggestion=_render(hit, view, text),
                entry_id=hit.entry.id,
                method=hit.method,
                score=hit.score,
            )
        )
    return ScreeningResult(
        text=text,
        findings=findings,
        suggested_text=_rewrite(text, findings) if findings else text,
        lexicon_version=lexicon.version,
    )
