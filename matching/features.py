"""Pairwise features of (posting, seeker), computed for whole blocks at once.

Profiles are first encoded into columnar *blocks* (:class:`SeekerBlock`,
:class:`PostingBlock`): numpy arrays for scalar fields and sparse matrices over a hashed
key space for set-valued ones (occupations, skills, majors, districts, priority groups).
Every set feature is then one sparse product ``P @ S.T``, every scalar feature one
broadcast, so a posting is compared with 100,000 seekers (or 512 postings with 100,000
seekers) without a Python loop per pair. Each feature lies in [0, 1]; "unknown" (a field
left empty on one side) is 0.5 unless stated otherwise.

=============  ===============================================================================
feature        value
=============  ===============================================================================
text           cosine of char n-gram TF-IDF vectors (computed by :mod:`matching.index`)
occupation     CSCO levels shared with the closest desired occupation, /3: 中类 1, 小类 2,
               细类 3 (a coarse posting code counts only the levels it has); 0 if none desired
skills         share of the posting's skills the seeker has; 0.5 if the posting lists none
education      1 if the seeker meets the minimum (or there is none), 0 if below, 0.5 unknown
major          1 if a posting major and the seeker's major contain one another (or the
               posting accepts any major), 0 if not, 0.5 if the seeker gave none
district       1 in the seeker's district or a desired one, 0.5 in a neighbouring district,
               0 elsewhere in Chongqing; 0.5 if either side gave none
salary         1 if the expected salary is at most the posting's maximum, falling linearly
               to 0 at 1.5 × the maximum; 0.5 if either side gave none
availability   1 if the seeker is available by the start date (or either is unknown),
               falling linearly to 0 at 60 days late
=============  ===============================================================================
"""

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cached_property, lru_cache
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from matching.education import education_rank
from matching.evaluate import CODE_LEVELS
from matching.profiles import PostingProfile, SeekerProfile
from matching.reference import District, load_districts, load_occupation_names
from matching.skills import SkillNormalizer
from matching.text import normalize

FEATURES: tuple[str, ...] = (
    "text",
    "occupation",
    "skills",
    "education",
    "major",
    "district",
    "salary",
    "availability",
)
"""Feature names, in the column order of feature matrices."""

KEY_SPACE = 2**18
LATE_DAYS = 60.0
SALARY_TOLERANCE = 0.5
_MAX_MAJOR_LEN = 20


@lru_cache(maxsize=1 << 20)
def key_column(key: str) -> int:
    """Hash a key ("k:python", "d:500156") to a stable column of the set matrices."""
    return zlib.crc32(key.encode("utf-8")) & (KEY_SPACE - 1)


def occupation_keys(code: str | None) -> list[str]:
    """Keys of a CSCO code at 中类, 小类 and 细类 level, stopping where the code does."""
    if not code:
        return []
    keys = []
    for n in CODE_LEVELS.values():
        prefix = code[:n]
        if len(prefix) < n or prefix.endswith("-00"):
            break
        keys.append("o:" + prefix)
    return keys


def _substrings(text: str) -> set[str]:
    """All substrings of at least two characters (text is cut to 20 characters)."""
    text = text[:_MAX_MAJOR_LEN]
    return {text[i:j] for i in range(len(text)) for j in range(i + 2, len(text) + 1)}


@lru_cache(maxsize=1 << 16)
def _major_keys(major: str, side: str) -> dict[str, float]:
    """Keys so that a posting-seeker product is positive when one major contains the other."""
    m = normalize(major).replace(" ", "")
    if not m:
        return {}
    full, subs = ("A:", "B:") if side == "posting" else ("B:", "A:")
    keys = {full + m: 1.0}
    keys.update({subs + s: 1.0 for s in _substrings(m)})
    return keys


def _set_matrix(rows: Sequence[dict[str, float]]) -> sp.csr_matrix:
    """Build an n × KEY_SPACE CSR matrix from one {key: value} dict per row."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    cols: list[int] = []
    vals: list[float] = []
    for i, row in enumerate(rows):
        cols.extend(map(key_column, row))
        vals.extend(row.values())
        indptr[i + 1] = len(cols)
    m = sp.csr_matrix(
        (np.asarray(vals, dtype=np.float32), np.asarray(cols, dtype=np.int32), indptr),
        shape=(len(rows), KEY_SPACE),
    )
    # Keys of one row that collide in a column are added, then capped at 1.
    m.sum_duplicates()
    np.minimum(m.data, 1.0, out=m.data)
    return m


def _days(d: date | None) -> float:
    return float(d.toordinal()) if d is not None else np.nan


@dataclass(frozen=True)
class FeatureContext:
    """Reference data: districts (neighbours, names), skills vocabulary, occupation names."""

    districts: dict[str, District]
    skills: SkillNormalizer
    occupations: dict[str, str]

    @classmethod
    def default(cls) -> "FeatureContext":
        """Load the default reference tables shipped with the repository."""
        return cls(load_districts(), SkillNormalizer(), load_occupation_names())


def _transpose(name: str) -> cached_property:
    """A cached ``name_t``: the transposed matrix as CSR (the inverted lists of ``name``)."""

    def get(block: "_Block") -> sp.csr_matrix:
        return getattr(block, name).T.tocsr()

    get.__doc__ = f"``{name}`` transposed (one row per key), computed once when first used."
    return cached_property(get)


class _Block:
    """Columnar rows with sparse matrices ``name`` and their cached transposes ``name_t``."""

    _SPARSE: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.ids)  # type: ignore[attr-defined]

    def take(self, rows: np.ndarray) -> Self:
        """Return a block of the given rows, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        changes: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if f.name in self._SPARSE or isinstance(value, np.ndarray):
                changes[f.name] = value[rows]
            else:
                changes[f.name] = [value[i] for i in rows]
        return replace(self, **changes)  # type: ignore[type-var]

    @classmethod
    def concat(cls, blocks: Sequence[Self]) -> Self:
        """Stack blocks row-wise into one."""
        first = blocks[0]
        changes: dict[str, Any] = {}
        for f in fields(first):  # type: ignore[arg-type]
            values = [getattr(b, f.name) for b in blocks]
            if f.name in cls._SPARSE:
                changes[f.name] = sp.vstack(values, format="csr")
            elif isinstance(values[0], np.ndarray):
                changes[f.name] = np.concatenate(values)
            else:
                changes[f.name] = [x for v in values for x in v]
        return replace(first, **changes)

    def index_lists(self) -> None:
        """Compute the transposed matrices now rather than at the first query."""
        for name in self._SPARSE:
            getattr(self, name + "_t")


@dataclass(frozen=True)
class SeekerBlock(_Block):
    """Seekers encoded for vectorised comparison (one row per seeker)."""

    ids: list[str]
    text: sp.csr_matrix
    occupation: sp.csr_matrix
    skills: sp.csr_matrix
    major: sp.csr_matrix
    district: sp.csr_matrix
    groups: sp.csr_matrix
    skill_ids: list[list[str]]
    education: np.ndarray
    has_major: np.ndarray
    has_district: np.ndarray
    salary: np.ndarray
    available: np.ndarray
    visible: np.ndarray
    employed: np.ndarray

    _SPARSE = ("text", "occupation", "skills", "major", "district", "groups")
    text_t = _transpose("text")
    occupation_t = _transpose("occupation")
    skills_t = _transpose("skills")
    major_t = _transpose("major")
    district_t = _transpose("district")
    groups_t = _transpose("groups")

    @cached_property
    def categories(self) -> np.ndarray:
        """Category code 0…127 of each seeker's discrete fields (see :class:`DenseParts`)."""
        code = self.education.astype(np.int16) + 1
        code += 8 * self.has_major + 16 * self.has_district
        return code + 32 * np.isnan(self.salary) + 64 * np.isnan(self.available)


@dataclass(frozen=True)
class PostingBlock(_Block):
    """Postings encoded for vectorised comparison (one row per posting)."""

    ids: list[str]
    text: sp.csr_matrix
    occupation: sp.csr_matrix
    skills: sp.csr_matrix
    major: sp.csr_matrix
    district: sp.csr_matrix
    skill_ids: list[list[str]]
    has_skills: np.ndarray
    has_majors: np.ndarray
    has_district: np.ndarray
    education: np.ndarray
    salary: np.ndarray
    start: np.ndarray
    open: np.ndarray
    slots_left: np.ndarray
    traineeship: np.ndarray

    _SPARSE = ("text", "occupation", "skills", "major", "district")
    text_t = _transpose("text")
    occupation_t = _transpose("occupation")
    skills_t = _transpose("skills")
    major_t = _transpose("major")
    district_t = _transpose("district")


def _district_row(profile: SeekerProfile, districts: dict[str, District]) -> dict[str, float]:
    """Seeker's acceptable districts at 1.0 and their neighbours at 0.5."""
    accepted = [d for d in [profile.district, *profile.desired_districts] if d]
    row = {}
    for code in accepted:
        known = districts.get(code)
        for near in known.neighbours if known else ():
            row["d:" + near] = 0.5
    row.update({"d:" + code: 1.0 for code in accepted})
    return row


def encode_seekers(
    seekers: Sequence[SeekerProfile], text: sp.csr_matrix, context: FeatureContext
) -> SeekerBlock:
    """Encode seeker profiles (with their text vectors, one row each) into a block."""
    skill_ids = [context.skills.normalize_list(s.skills) for s in seekers]
    occupation = _set_matrix(
        [{k: 1.0 for c in s.desired_occupations for k in occupation_keys(c)} for s in seekers]
    )
    skills = _set_matrix([{"k:" + k: 1.0 for k in ids} for ids in skill_ids])
    major = _set_matrix([_major_keys(s.major or "", "seeker") for s in seekers])
    district = _set_matrix([_district_row(s, context.districts) for s in seekers])
    groups = _set_matrix([{"g:" + g: 1.0 for g in s.priority_groups} for s in seekers])
    text = sp.csr_matrix(text, dtype=np.float32)
    return SeekerBlock(
        ids=[s.id for s in seekers],
        text=text,
        occupation=occupation,
        skills=skills,
        major=major,
        district=district,
        groups=groups,
        skill_ids=skill_ids,
        education=np.array([education_rank(s.education) for s in seekers], dtype=np.int8),
        has_major=np.array([bool(normalize(s.major)) for s in seekers], dtype=bool),
        has_district=np.array([bool(s.district or s.desired_districts) for s in seekers]),
        salary=np.array(
            [s.expected_salary if s.expected_salary else np.nan for s in seekers], np.float32
        ),
        available=np.array([_days(s.available_from) for s in seekers], dtype=np.float64),
        visible=np.array([s.visible for s in seekers], dtype=bool),
        employed=np.array([s.employed for s in seekers], dtype=bool),
    )


def encode_postings(
    postings: Sequence[PostingProfile], text: sp.csr_matrix, context: FeatureContext
) -> PostingBlock:
    """Encode posting profiles (with their text vectors, one row each) into a block."""
    skill_ids = [context.skills.normalize_list(p.skills) for p in postings]
    occupation_rows = []
    for p in postings:
        keys = occupation_keys(p.occupation_code)
        occupation_rows.append({k: 1.0 / len(CODE_LEVELS) for k in keys})
    occupation = _set_matrix(occupation_rows)
    skills = _set_matrix([{"k:" + k: 1.0 / len(ids) for k in ids} for ids in skill_ids])
    major = _set_matrix(
        [{k: 1.0 for m in p.majors for k in _major_keys(m, "posting")} for p in postings]
    )
    district = _set_matrix([{"d:" + p.district: 1.0} if p.district else {} for p in postings])
    text = sp.csr_matrix(text, dtype=np.float32)
    salary = [p.salary_max or p.salary_min or np.nan for p in postings]
    return PostingBlock(
        ids=[p.id for p in postings],
        text=text,
        occupation=occupation,
        skills=skills,
        major=major,
        district=district,
        skill_ids=skill_ids,
        has_skills=np.array([bool(ids) for ids in skill_ids], dtype=bool),
        has_majors=np.array([any(normalize(m) for m in p.majors) for p in postings], dtype=bool),
        has_district=np.array([bool(p.district) for p in postings], dtype=bool),
        education=np.array([education_rank(p.min_education) for p in postings], dtype=np.int8),
        salary=np.array(salary, dtype=np.float32),
        start=np.array([_days(p.start) for p in postings], dtype=np.float64),
        open=np.array([p.open and p.slots_left > 0 for p in postings], dtype=bool),
        slots_left=np.array([p.slots_left for p in postings], dtype=np.int32),
        traineeship=np.array([p.kind == "traineeship" for p in postings], dtype=bool),
    )


_DENSE_SIDE = 64
"""Up to this many rows, one side of a product is made dense instead of transposing the other."""


def _sparse_product(postings: PostingBlock, seekers: SeekerBlock, name: str) -> sp.csr_matrix:
    """``postings.name @ seekers.name.T`` as CSR, through the larger side's inverted lists."""
    if len(seekers) < len(postings):
        return sp.csr_matrix((getattr(seekers, name) @ getattr(postings, name + "_t")).T)
    return sp.csr_matrix(getattr(postings, name) @ getattr(seekers, name + "_t"))


def _product(postings: PostingBlock, seekers: SeekerBlock, name: str) -> np.ndarray:
    """Dense ``postings.name @ seekers.name.T`` (postings × seekers) as float32.

    When one side has few rows it is made dense (a few rows of the key space), so a
    handful of rows never pays for transposing a whole key space.
    """
    left, right = getattr(postings, name), getattr(seekers, name)
    if left.shape[0] <= min(right.shape[0], _DENSE_SIDE):
        return np.asarray(right @ left.toarray().T, dtype=np.float32).T
    if right.shape[0] <= _DENSE_SIDE:
        return np.asarray(left @ right.toarray().T, dtype=np.float32)
    return np.asarray(_sparse_product(postings, seekers, name).toarray(), dtype=np.float32)


def iter_features(
    postings: PostingBlock, seekers: SeekerBlock, text: np.ndarray
) -> Iterator[tuple[str, np.ndarray]]:
    """Yield each feature as a postings × seekers float32 array, in FEATURES order.

    ``text`` is the postings × seekers cosine matrix, passed in because the index computes
    it with its own (pruned) inverted lists. Yielding one feature at a time lets a caller
    accumulate a weighted sum without holding all eight matrices.
    """
    half = np.float32(0.5)
    yield "text", np.asarray(text, dtype=np.float32)
    yield "occupation", np.minimum(_product(postings, seekers, "occupation"), 1.0)
    skills = np.minimum(_product(postings, seekers, "skills"), 1.0)
    yield "skills", np.where(postings.has_skills[:, None], skills, half)
    need = postings.education[:, None].astype(np.int16)
    have = seekers.education[None, :].astype(np.int16)
    education = np.where(have < 0, half, (have >= need).astype(np.float32))
    yield "education", np.where(need < 0, np.float32(1.0), education)
    major = (_product(postings, seekers, "major") > 0).astype(np.float32)
    major = np.where(seekers.has_major[None, :], major, half)
    yield "major", np.where(postings.has_majors[:, None], major, np.float32(1.0))
    district = _product(postings, seekers, "district")
    known = postings.has_district[:, None] & seekers.has_district[None, :]
    yield "district", np.where(known, district, half)
    ceiling = postings.salary[:, None]
    ratio = (seekers.salary[None, :] - ceiling) / (SALARY_TOLERANCE * ceiling)
    salary = np.clip(1.0 - ratio, 0.0, 1.0)
    yield "salary", np.where(np.isnan(salary), half, salary).astype(np.float32)
    late = (seekers.available[None, :] - postings.start[:, None]) / LATE_DAYS
    availability = np.clip(1.0 - late, 0.0, 1.0)
    yield "availability", np.where(np.isnan(availability), 1.0, availability).astype(np.float32)


def feature_matrix(postings: PostingBlock, seekers: SeekerBlock, text: np.ndarray) -> np.ndarray:
    """Return all features as an array of shape (postings, seekers, len(FEATURES))."""
    return np.stack([f for _, f in iter_features(postings, seekers, text)], axis=-1)


def group_members(seekers: SeekerBlock, groups: Sequence[str]) -> np.ndarray:
    """Boolean mask of seekers belonging to any of the given priority groups."""
    if not groups:
        return np.zeros(len(seekers), dtype=bool)
    cols = [key_column("g:" + g) for g in groups]
    return np.asarray(seekers.groups_t[cols].sum(axis=0)).ravel() > 0


_EDUCATION_RANKS = 8
"""Seeker education ranks -1 (unknown) … 6, shifted to 0 … 7 in the category code."""
_DAY_ORIGIN = 730_000.0
"""Day numbers are taken from this ordinal (year 2000), so float32 keeps them exact."""
_FAR = np.float32(1e30)


def _add_sparse(total: np.ndarray, product: sp.csr_matrix, weight: float) -> None:
    """Add ``weight * product`` to a dense array, touching only the product's non-zeros."""
    if not product.nnz or not weight:
        return
    if product.nnz * 8 > total.size:
        dense = product.toarray()
        dense *= np.float32(weight)
        total += dense
        return
    rows = np.repeat(np.arange(product.shape[0], dtype=np.int64), np.diff(product.indptr))
    flat = total.reshape(-1)
    flat[rows * total.shape[1] + product.indices] += np.float32(weight) * product.data


def _clipped(slope: np.ndarray, offset: np.ndarray, x: np.ndarray, weight: float) -> np.ndarray:
    """``weight * clip(slope * x + offset, 0, 1)`` elementwise, the weight folded in first."""
    f32 = np.float32
    out = np.multiply((slope * weight).astype(f32), x)
    out += (offset * weight).astype(f32)
    return np.clip(out, f32(min(0.0, weight)), f32(max(0.0, weight)), out=out)


def seeker_categories(
    seekers: SeekerBlock, exclude: np.ndarray | None = None, members: np.ndarray | None = None
) -> np.ndarray:
    """Code each seeker's discrete fields (education, what is unknown, group, excluded) as 0…511."""
    code = seekers.categories.copy()
    if members is not None:
        code += 128 * members.astype(np.int16)
    if exclude is not None:
        code += 256 * exclude.astype(np.int16)
    return code.astype(np.intp)


class DenseParts:
    """The features that depend on seeker scalars, for a block of postings against seekers.

    Every feature that depends only on discrete seeker fields (education, unknown major /
    district / salary / start date) is one lookup in a postings × categories table (the
    seeker category codes 0…511 that occur, one column each); the category also carries ``exclude`` (score −inf) and
    ``members`` (plus the posting's ``boost``). Salary and availability are clipped linear
    functions of one seeker value per posting. ``below_education`` is added where a seeker's
    known education is below the posting's stated minimum: a negative tier puts every such
    seeker after all who meet it, −inf leaves them out.
    """

    def __init__(
        self,
        postings: PostingBlock,
        seekers: SeekerBlock,
        weights: np.ndarray,
        exclude: np.ndarray | None = None,
        boost: np.ndarray | None = None,
        members: np.ndarray | None = None,
        below_education: float = 0.0,
    ) -> None:
        w = dict(zip(FEATURES, (float(x) for x in weights), strict=True))
        self.w = w
        # Only the categories some seeker has get a column: one seeker against 20,000
        # postings builds a 20,000 × 1 table, not 20,000 × 512.
        codes = seeker_categories(seekers, exclude, members)
        bits = np.flatnonzero(np.bincount(codes, minlength=512))
        column = np.zeros(512, dtype=np.intp)
        column[bits] = np.arange(bits.size)
        self.codes = column[codes]
        rank = (bits & 7)[None, :] - 1
        has_major, has_district = (bits & 8) > 0, (bits & 16) > 0
        no_salary, no_start = (bits & 32) > 0, (bits & 64) > 0
        member, excluded = (bits & 128) > 0, (bits & 256) > 0
        need = postings.education[:, None].astype(np.int16)
        table = np.where(need < 0, 1.0, np.where(rank < 0, 0.5, rank >= need)) * w["education"]
        major = np.where(has_major[None, :], 0.0, 0.5) * postings.has_majors[:, None]
        table += np.where(postings.has_majors[:, None], major, 1.0) * w["major"]
        table += np.where(postings.has_skills, 0.0, 0.5 * w["skills"])[:, None]
        unknown = ~(postings.has_district[:, None] & has_district[None, :])
        table += 0.5 * w["district"] * unknown
        ceiling = postings.salary.astype(np.float64)
        table += 0.5 * w["salary"] * (np.isnan(ceiling)[:, None] | no_salary[None, :])
        table += w["availability"] * (np.isnan(postings.start)[:, None] | no_start[None, :])
        if boost is not None:
            table += np.asarray(boost, dtype=np.float64)[:, None] * member[None, :]
        if below_education:
            table[(rank >= 0) & (rank < need)] += below_education
        self.ceiling = (
            table[:, ~excluded].max(axis=1, initial=-np.inf)
            + max(0.0, w["salary"])
            + max(0.0, w["availability"])
        )
        table[:, excluded] = -np.inf
        self.table = table.astype(np.float32)
        # Salary 1 up to the ceiling, 0 at (1 + tolerance) × ceiling: clip(1 + 1/t - s/(t·c)).
        known = ~np.isnan(ceiling)
        self.salary_slope = np.where(
            known, -1.0 / (SALARY_TOLERANCE * np.where(known, ceiling, 1.0)), 0.0
        )
        self.salary_offset = np.where(known, 1.0 + 1.0 / SALARY_TOLERANCE, 0.0)
        self.salary = np.where(np.isnan(seekers.salary), _FAR, seekers.salary).astype(np.float32)
        # Availability 1 by the start date, 0 at LATE_DAYS late: clip(1 - (a - start) / LATE).
        start = postings.start - _DAY_ORIGIN
        known = ~np.isnan(start)
        self.start_slope = np.where(known, -1.0 / LATE_DAYS, 0.0)
        self.start_offset = np.where(known, 1.0 + np.where(known, start, 0.0) / LATE_DAYS, 0.0)
        available = seekers.available - _DAY_ORIGIN
        self.available = np.where(np.isnan(available), _FAR, available).astype(np.float32)

    def add_to(self, total: np.ndarray) -> np.ndarray:
        """Add the dense parts to a postings × seekers array in place and return it."""
        total += np.take(self.table, self.codes, axis=1)
        for slope, offset, x, weight in self._linear():
            total += _clipped(slope[:, None], offset[:, None], x[None, :], weight)
        return total

    def add_rows(self, total: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Add the dense parts of the given posting rows to ``total`` (rows × seekers)."""
        total += np.take(self.table[rows], self.codes, axis=1)
        for slope, offset, x, weight in self._linear():
            total += _clipped(slope[rows, None], offset[rows, None], x[None, :], weight)
        return total

    def add_pairs(self, values: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Add the dense parts of (posting row, seeker column) pairs to ``values`` in place."""
        values += self.table[rows, self.codes[cols]]
        for slope, offset, x, weight in self._linear():
            values += _clipped(slope[rows], offset[rows], x[cols], weight)
        return values

    def _linear(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
        return [
            (self.salary_slope, self.salary_offset, self.salary, self.w["salary"]),
            (self.start_slope, self.start_offset, self.available, self.w["availability"]),
        ]


def _add_product(
    out: np.ndarray, postings: PostingBlock, seekers: SeekerBlock, name: str, weight: float
) -> None:
    """Add ``weight * postings.name @ seekers.name.T`` to ``out`` (postings × seekers).

    Through the larger side's inverted lists, straight into the dense array
    (:mod:`matching.kernels`), without forming the sparse product.
    """
    from matching.kernels import add_product_rows  # numba is loaded when scores are first made

    if not weight:
        return
    left, right, target = getattr(postings, name), getattr(seekers, name + "_t"), out
    if len(seekers) < len(postings):
        left, right = getattr(seekers, name), getattr(postings, name + "_t")
        target = np.zeros((len(seekers), len(postings)), dtype=np.float32)
    add_product_rows(
        target,
        left.indptr,
        left.indices,
        left.data,
        right.indptr,
        right.indices,
        right.data,
        np.float32(weight),
    )
    if target is not out:
        out += target.T


def sparse_scores(
    postings: PostingBlock,
    seekers: SeekerBlock,
    weights: np.ndarray,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Return the weighted sparse features as a dense postings × seekers float32 array.

    Text (cosine of the TF-IDF vectors), occupation, district proximity, skills and major
    (where both sides give one): the features that are zero for most pairs, added from
    their sparse products.
    """
    w = dict(zip(FEATURES, (float(x) for x in weights), strict=True))
    shape = (len(postings), len(seekers))
    if out is None or out.shape != shape:
        out = np.empty(shape, dtype=np.float32)
    out.fill(0.0)
    for name in ("text", "occupation", "district"):
        _add_product(out, postings, seekers, name, w[name])
    skills = _sparse_product(postings, seekers, "skills")
    skills.data = np.minimum(skills.data, 1.0)
    _add_sparse(out, skills, w["skills"])
    if w["major"]:
        matched = _sparse_product(postings, seekers, "major")
        matched.data = (matched.data > 0).astype(np.float32)
        matched = sp.diags(postings.has_majors.astype(np.float32)) @ matched
        matched = matched @ sp.diags(seekers.has_major.astype(np.float32))
        _add_sparse(out, sp.csr_matrix(matched), w["major"])
    return out


def linear_scores(
    postings: PostingBlock,
    seekers: SeekerBlock,
    weights: np.ndarray,
    exclude: np.ndarray | None = None,
    boost: np.ndarray | None = None,
    members: np.ndarray | None = None,
    below_education: float = 0.0,
) -> np.ndarray:
    """Return Σ w·feature (postings × seekers, float32) without materialising each feature.

    Equal to ``feature_matrix(...) @ weights`` (a test checks it): the sparse features
    (:func:`sparse_scores`) plus the dense ones (:class:`DenseParts`); ``exclude`` gives
    −inf, ``members`` get the posting's ``boost``, pairs below the minimum education get
    ``below_education``.
    """
    total = sparse_scores(postings, seekers, weights)
    parts = DenseParts(postings, seekers, weights, exclude, boost, members, below_education)
    return parts.add_to(total)
