"""Map free-text skills ("Python3", "ＥＸＣＥＬ表格", "C1驾照") to a canonical vocabulary.

The vocabulary is ``seed/reference/skills.csv``: one row per skill with an id, zh and en
names and ``|``-separated synonyms. A skill resolves in three steps: exact match of the
normalised text (NFKC + casefold) against every name and synonym; the same after
stripping filler words (熟练掌握…, …证书) and trailing version numbers; then fuzzy
matching, where char n-gram TF-IDF proposes a short list of aliases for all unresolved
strings at once and ``rapidfuzz`` verifies each candidate. A skill that does not resolve
is kept as its normalised text, so nothing a person wrote is lost.
"""

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.text import normalize

DEFAULT_SKILLS_PATH = Path(__file__).parents[1] / "seed/reference/skills.csv"

_SPLIT = re.compile(r"[、,，;；/|\n]+|\s{2,}")
_EDGE = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_VERSION = re.compile(r"\s*v?\d+(\.\d+)*$")
_PREFIXES = (
    "熟练掌握",
    "熟练使用",
    "熟练运用",
    "能熟练",
    "熟练",
    "精通",
    "熟悉",
    "掌握",
    "了解",
    "具有",
    "具备",
    "持有",
    "能够",
    "会",
    "能",
    "持",
    "有",
)
_SUFFIXES = ("证书", "资格证", "技能", "能力", "操作", "软件", "经验", "基础", "应用", "使用")


@dataclass(frozen=True)
class Skill:
    """One canonical skill."""

    id: str
    zh: str
    en: str
    category: str
    aliases: tuple[str, ...]


def load_skills(path: Path | str = DEFAULT_SKILLS_PATH) -> list[Skill]:
    """Read the skills vocabulary from CSV."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    skills = []
    for row in rows:
        names = [row["zh"], row["en"], row["id"], *row["synonyms"].split("|")]
        aliases = tuple(dict.fromkeys(normalize(n) for n in names if n.strip()))
        skills.append(Skill(row["id"], row["zh"], row["en"], row["category"], aliases))
    return skills


def split_skills(text: str) -> list[str]:
    """Split a skills field written as one string ("Python、SQL，Excel") into items."""
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


class SkillNormalizer:
    """Resolve free-text skills to canonical ids; unknown skills stay as normalised text."""

    def __init__(
        self, skills: Sequence[Skill] | None = None, threshold: float = 80.0, candidates: int = 5
    ) -> None:
        self.skills = list(skills) if skills is not None else load_skills()
        self.threshold = threshold
        self.candidates = candidates
        self._by_id = {s.id: s for s in self.skills}
        self._alias_to_id: dict[str, str] = {}
        for skill in self.skills:
            for alias in skill.aliases:
                self._alias_to_id.setdefault(alias, skill.id)
                self._alias_to_id.setdefault(alias.replace(" ", ""), skill.id)
        self._aliases = list(self._alias_to_id)
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), dtype=np.float32)
        self._alias_matrix = self._vectorizer.fit_transform(self._aliases).T.tocsr()
        self._memo: dict[str, str] = {}
        self._written: dict[str, list[str]] = {}

    @classmethod
    def from_csv(cls, path: Path | str = DEFAULT_SKILLS_PATH) -> "SkillNormalizer":
        """Build a normaliser from a vocabulary CSV."""
        return cls(load_skills(path))

    def is_canonical(self, skill: str) -> bool:
        """Whether a value is a canonical skill id."""
        return skill in self._by_id

    def label(self, skill: str, lang: str = "zh") -> str:
        """Display name of a canonical id in zh or en; free text is returned as is."""
        found = self._by_id.get(skill)
        if found is None:
            return skill
        return found.zh if lang == "zh" else found.en

    def normalize(self, skill: str) -> str:
        """Resolve one free-text skill."""
        return self.normalize_many([skill])[0]

    def normalize_list(self, skills: Iterable[str]) -> list[str]:
        """Split, resolve and de-duplicate a person's or posting's skills, keeping order."""
        skills = list(skills)
        written = self._written
        new = [s for s in dict.fromkeys(skills) if s not in written]
        if new:
            parts = [split_skills(s) for s in new]
            resolved = iter(self.normalize_many([p for items in parts for p in items]))
            for skill, items in zip(new, parts, strict=True):
                written[skill] = [next(resolved) for _ in items]
        return [s for s in dict.fromkeys(r for skill in skills for r in written[skill]) if s]

    def normalize_many(self, skills: Sequence[str]) -> list[str]:
        """Resolve many free-text skills, with one vectorised fuzzy pass for the rest."""
        keys = [_EDGE.sub("", normalize(s)) for s in skills]
        memo = self._memo
        pending = []
        for key in dict.fromkeys(keys):
            if key in memo:
                continue
            found = self._exact(key)
            if found is None:
                pending.append(key)
            else:
                memo[key] = found
        memo.update({key: key for key in pending})
        memo.update(self._fuzzy(pending))
        return [memo[key] for key in keys]

    def _exact(self, key: str) -> str | None:
        """Look a key up directly, then after stripping filler words and version numbers."""
        for variant in _variants(key):
            found = self._alias_to_id.get(variant) or self._alias_to_id.get(
                variant.replace(" ", "")
            )
            if found is not None:
                return found
        return None

    def _fuzzy(self, keys: list[str]) -> dict[str, str]:
        """Propose aliases by char n-gram cosine for all keys at once; verify with rapidfuzz."""
        keys = [k for k in keys if len(k) >= 3]
        if not keys:
            return {}
        sims = (self._vectorizer.transform(keys) @ self._alias_matrix).toarray()
        n = min(self.candidates, sims.shape[1])
        top = np.argpartition(-sims, n - 1, axis=1)[:, :n]
        out = {}
        for key, row in zip(keys, top, strict=True):
            best, best_score = None, self.threshold
            for j in row:
                alias = self._aliases[j]
                score = fuzz.ratio(key, alias)
                if score >= best_score and min(len(alias), len(key)) >= 3:
                    best, best_score = alias, score
            if best is not None:
                out[key] = self._alias_to_id[best]
        return out


def _variants(key: str) -> list[str]:
    """Return the key and its forms without filler prefixes, suffixes and version numbers."""
    out = [key]
    if key.endswith("证书"):
        out.append(key[:-1])
    stripped = key
    for prefix in _PREFIXES:
        if stripped.startswith(prefix) and len(stripped) > len(prefix):
            stripped = stripped[len(prefix) :]
            out.append(stripped)
            break
    for suffix in _SUFFIXES:
        if stripped.endswith(suffix) and len(stripped) > len(suffix):
            stripped = stripped[: -len(suffix)]
            out.append(stripped)
            break
    unversioned = _VERSION.sub("", stripped)
    if unversioned and unversioned != stripped:
        out.append(unversioned)
    return out
