"""Rank seekers for a posting and postings for a seeker, with score parts and reasons.

The score is linear in the features of :mod:`matching.features`: ``sum(w[f] * x[f])``.
Without outcome history the :data:`DEFAULT_WEIGHTS` apply (they sum to 1, so a score is
a weighted share of "fits on every count"). :meth:`Ranker.fit` learns the weights with
logistic regression from past applications labelled 1 when they led to a hire or a
retained traineeship, keeping the weights of :data:`MUST_NOT_HURT` features at zero or
above; :func:`matching.gate.select_model` decides whether a learned model may replace
the one in use.

Order of work for one query: hard filters (posting closed or full, seeker not visible,
deleted rows) → score every candidate → priority boost for traineeship postings →
minimum education → top-k, calling the caller's eligibility check lazily in score order →
parts and reasons for the rows returned. Ineligible candidates are left out, or, when the
caller asks, listed *after* every eligible one and marked, never silently first.

A posting's minimum education is a requirement, not one feature among others: a seeker
whose known education is below it is never ranked above one who meets it (the rule
``"last"``, the default: such pairs drop a tier below every other score and their rows say
``meets_education=False``) or is left out (``"exclude"``), as the caller chooses.

The priority boost adds ``priority_boost × sum(|w|)`` to the score of seekers in any
configured 重点群体 (all groups when ``priority_groups`` is None) for traineeship
postings only. Each row records whether it was boosted and its rank without the boost
(1 + the number of candidates scoring strictly higher before boosting).
"""

import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from matching.diversity import cap_exposure
from matching.features import (
    FEATURES,
    DenseParts,
    FeatureContext,
    SeekerBlock,
    encode_postings,
    encode_seekers,
    feature_matrix,
    group_members,
    linear_scores,
    sparse_scores,
)
from matching.index import PostingIndex, SeekerIndex, Segment, TextEncoder
from matching.profiles import PostingProfile, SeekerProfile
from matching.reasons import Reason, explain, render

DEFAULT_WEIGHTS: dict[str, float] = {
    "text": 0.30,
    "occupation": 0.20,
    "skills": 0.15,
    "education": 0.08,
    "major": 0.05,
    "district": 0.10,
    "salary": 0.07,
    "availability": 0.05,
}
"""Weights used before any outcome history: what the posting says it needs (occupation,
skills, description) counts most, then place, then the minimum conditions."""

DEFAULT_VERSION = "default-1"

MUST_NOT_HURT: tuple[str, ...] = ("text", "occupation", "skills", "education")
"""Features that may never count against a match: a learned weight on them is at least 0."""

SeekerCheck = Callable[[SeekerProfile], tuple[bool, str]]
"""Caller-supplied eligibility for traineeship posts: seeker → (eligible, reason)."""

PostingCheck = Callable[[PostingProfile], tuple[bool, str]]
"""Caller-supplied eligibility of one seeker for each traineeship posting → (eligible, reason)."""

BelowEducation = Literal["last", "exclude"]
"""What happens to a seeker below a posting's minimum education: ranked after all who meet it, or left out."""


@dataclass
class RankedRow:
    """One ranked candidate: id, score, its parts per feature and the reasons."""

    id: str
    score: float
    parts: dict[str, float]
    features: dict[str, float]
    reasons: list[Reason]
    eligible: bool = True
    boosted: bool = False
    rank_without_boost: int | None = None
    ineligible_reason: str | None = None
    meets_education: bool = True
    extra: dict[str, object] = field(default_factory=dict)

    def reasons_text(self, lang: str = "zh") -> str:
        """Render the reasons as one line in zh or en."""
        return render(self.reasons, lang)


class Ranker(BaseEstimator):
    """Linear scorer of (posting, seeker) features; default weights until fitted."""

    def __init__(
        self,
        weights: Mapping[str, float] | None = None,
        C: float = 1.0,
        priority_boost: float = 0.05,
        priority_groups: Sequence[str] | None = None,
        max_iter: int = 1000,
        random_state: int | None = None,
        version: str | None = None,
        non_negative: Sequence[str] = MUST_NOT_HURT,
    ) -> None:
        self.weights = weights
        self.C = C
        self.priority_boost = priority_boost
        self.priority_groups = priority_groups
        self.max_iter = max_iter
        self.random_state = random_state
        self.version = version
        self.non_negative = non_negative

    def fit(
        self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> "Ranker":
        """Learn feature weights from history (rows of FEATURES, y = 1 hired/retained).

        L2-regularised logistic regression (scikit-learn's objective: ½‖w‖² + C·Σ log-loss)
        solved by L-BFGS-B with the weights of ``non_negative`` features bounded below by 0.
        """
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)

        def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = params[:-1], params[-1]
            z = X @ w + b
            value = self.C * float(sw @ (np.logaddexp(0.0, z) - y * z)) + 0.5 * float(w @ w)
            dz = self.C * sw * (expit(z) - y)
            return value, np.append(X.T @ dz + w, dz.sum())

        floor = set(self.non_negative)
        bounds = [(0.0, None) if f in floor else (None, None) for f in FEATURES] + [(None, None)]
        found = minimize(
            loss,
            np.zeros(X.shape[1] + 1),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": self.max_iter},
        )
        self.coef_ = found.x[:-1].astype(float)
        self.intercept_ = float(found.x[-1])
        digest = hashlib.sha1(np.round(self.coef_, 6).tobytes()).hexdigest()[:10]
        self.version_ = f"lr-{digest}"
        return self

    def weight_vector(self) -> np.ndarray:
        """Return the weights in FEATURES order (learned ones when fitted)."""
        if hasattr(self, "coef_"):
            return self.coef_
        weights = dict(DEFAULT_WEIGHTS, **(self.weights or {}))
        return np.array([weights[f] for f in FEATURES], dtype=float)

    @property
    def model_version(self) -> str:
        """Version string recorded with every match run."""
        return getattr(self, "version_", None) or self.version or DEFAULT_VERSION

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Score feature rows (higher ranks first)."""
        return np.asarray(X, dtype=float) @ self.weight_vector()

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of a good outcome for feature rows (fitted models only)."""
        check_is_fitted(self, "coef_")
        p = expit(np.asarray(X, dtype=float) @ self.coef_ + self.intercept_)
        return np.column_stack([1.0 - p, p])

    def boost_value(self) -> float:
        """Score added for a priority-group seeker on a traineeship posting."""
        return float(self.priority_boost * np.abs(self.weight_vector()).sum())

    def below_education_value(self, rule: BelowEducation = "last") -> float:
        """Score added to a pair whose seeker is below the posting's minimum education.

        ``"last"``: a tier below every score a pair can reach (scores lie within
        ±(Σ|w| + boost)), so the order inside the tier is kept; ``"exclude"``: −inf.
        """
        if rule == "exclude":
            return -np.inf
        return -(2.0 * (float(np.abs(self.weight_vector()).sum()) + self.boost_value()) + 1.0)

    def _members(self, seekers: SeekerBlock) -> np.ndarray:
        groups = self.priority_groups
        if groups is None:
            return np.asarray(seekers.groups.getnnz(axis=1) > 0)
        return group_members(seekers, groups)

    def rank_seekers_for_posting(
        self,
        posting: PostingProfile,
        seekers: SeekerIndex | Sequence[SeekerProfile],
        k: int = 10,
        eligibility: SeekerCheck | None = None,
        mark_ineligible: bool = False,
        below_education: BelowEducation = "last",
        exclude: Callable[[SeekerBlock], np.ndarray] | None = None,
    ) -> list[RankedRow]:
        """Return the top k seekers for a posting, best first, with parts and reasons.

        ``exclude`` masks seekers of an index block out (employed people, say).
        """
        if not (posting.open and posting.slots_left > 0):
            return []
        index = seekers if isinstance(seekers, SeekerIndex) else SeekerIndex.build(seekers)
        if not index.segments:
            return []
        q = index.encoder.transform([PostingIndex._text(posting)])
        pb = encode_postings([posting], q, index.context)
        trainee = posting.kind == "traineeship"
        boost = self.boost_value() if trainee else 0.0
        w = self.weight_vector()
        below = self.below_education_value(below_education)
        base, final = [], []
        for segment in index.segments:
            block = segment.block
            hidden = ~(segment.alive & block.visible)
            if exclude is not None:
                hidden |= exclude(block)
            score = linear_scores(pb, block, w, hidden, below_education=below)[0]
            base.append(score)
            final.append(score + np.float32(boost) * self._members(block) if boost else score)
        rows = _Rows(index.segments)

        def features(picked: np.ndarray) -> np.ndarray:
            out = np.empty((picked.size, len(FEATURES)), dtype=np.float32)
            for n, local, where in rows.split(picked):
                picked_block = index.segments[n].block.take(local)
                text = (pb.text @ picked_block.text.T).toarray()
                out[where] = feature_matrix(pb, picked_block, text)[0]
            return out

        return self._rows(
            np.concatenate(base),
            np.concatenate(final),
            features,
            rows,
            k,
            eligibility if trainee else None,
            mark_ineligible,
            lambda i: (rows[i], posting, rows.skill_ids(i), pb.skill_ids[0]),
            index.context,
        )

    def rank_postings_for_seeker(
        self,
        seeker: SeekerProfile,
        postings: PostingIndex | Sequence[PostingProfile],
        k: int = 10,
        eligibility: SeekerCheck | None = None,
        mark_ineligible: bool = False,
        posting_eligibility: PostingCheck | None = None,
        below_education: BelowEducation = "last",
    ) -> list[RankedRow]:
        """Return the top k open postings for a seeker, best first, with parts and reasons.

        ``eligibility`` is asked once about the seeker and applies to traineeship postings;
        ``posting_eligibility`` is asked per traineeship posting instead, for callers whose
        rules differ by program. Postings whose minimum education the seeker is below come
        after every posting whose minimum they meet, or are left out (``below_education``).
        """
        index = postings if isinstance(postings, PostingIndex) else PostingIndex.build(postings)
        if not index.segments:
            return []
        q = index.encoder.transform([seeker.text])
        sb = encode_seekers([seeker], q, index.context)
        member = bool(self._members(sb)[0])
        verdict = eligibility(seeker) if eligibility else (True, "")
        w = self.weight_vector()
        below = self.below_education_value(below_education)
        base, final = [], []
        for segment in index.segments:
            block = segment.block
            score = linear_scores(block, sb, w, below_education=below)[:, 0]
            score[~(segment.alive & block.open)] = -np.inf
            base.append(score)
            final.append(
                score + np.float32(self.boost_value()) * block.traineeship if member else score
            )
        rows = _Rows(index.segments)

        def features(picked: np.ndarray) -> np.ndarray:
            out = np.empty((picked.size, len(FEATURES)), dtype=np.float32)
            for n, local, where in rows.split(picked):
                picked_block = index.segments[n].block.take(local)
                text = (picked_block.text @ sb.text.T).toarray()
                out[where] = feature_matrix(picked_block, sb, text)[:, 0]
            return out

        def check(p: PostingProfile) -> tuple[bool, str]:
            if p.kind != "traineeship":
                return True, ""
            return posting_eligibility(p) if posting_eligibility else verdict

        return self._rows(
            np.concatenate(base),
            np.concatenate(final),
            features,
            rows,
            k,
            check if eligibility or posting_eligibility else None,
            mark_ineligible,
            lambda i: (seeker, rows[i], sb.skill_ids[0], rows.skill_ids(i)),
            index.context,
        )

    def _rows(
        self,
        base: np.ndarray,
        final: np.ndarray,
        features: Callable[[np.ndarray], np.ndarray],
        profiles: Sequence[SeekerProfile] | Sequence[PostingProfile],
        k: int,
        check: Callable | None,
        mark_ineligible: bool,
        pair: Callable[[int], tuple[SeekerProfile, PostingProfile, list[str], list[str]]],
        context: FeatureContext,
    ) -> list[RankedRow]:
        """Pick the top rows (eligible first) and build their parts and reasons."""
        w = self.weight_vector()
        picked = _take_eligible(final, profiles, k, check, mark_ineligible)
        values = features(np.array([i for i, _, _ in picked], dtype=np.int64))
        rows = []
        for (i, ok, why), row in zip(picked, values, strict=True):
            seeker, posting, seeker_skills, posting_skills = pair(i)
            features_i = {f: float(v) for f, v in zip(FEATURES, row, strict=True)}
            parts = {f: float(w[n] * row[n]) for n, f in enumerate(FEATURES)}
            reasons = explain(
                seeker,
                posting,
                features_i,
                skills=context.skills,
                districts=context.districts,
                occupations=context.occupations,
                seeker_skills=seeker_skills,
                posting_skills=posting_skills,
            )
            lift = float(final[i] - base[i])
            boosted = bool(final[i] != base[i])
            if boosted:
                reasons.append(Reason("priority", {"boost": lift}))
            if not ok:
                reasons.append(Reason("ineligible", {"reason": why}))
            rows.append(
                RankedRow(
                    id=profiles[i].id,
                    score=sum(parts.values()) + lift,
                    parts=parts,
                    features=features_i,
                    reasons=reasons,
                    eligible=ok,
                    boosted=boosted,
                    rank_without_boost=int(np.count_nonzero(base > base[i])) + 1,
                    ineligible_reason=why,
                    meets_education=features_i["education"] > 0.0,
                )
            )
        return rows

    def top_seekers_for_postings(
        self,
        postings: Sequence[PostingProfile],
        seekers: SeekerIndex,
        k: int = 10,
        pool: int | None = None,
        max_lists: int | None = None,
        eligibility: SeekerCheck | None = None,
        chunk: int = 256,
        n_jobs: int = 2,
        shortlist: int = 512,
        below_education: BelowEducation = "last",
        exclude: Callable[[SeekerBlock], np.ndarray] | None = None,
    ) -> dict[str, list[tuple[str, float]]]:
        """Return the top k (seeker id, score) for each open posting, for office reports.

        Exact, without scoring every pair in full: per chunk of postings (on ``n_jobs``
        threads) the sparse features are summed densely, about the ``shortlist`` best seekers
        by that sum get their dense features too, and a posting whose m-th best full score
        beats every seeker left out (best left-out sparse sum + the posting's largest
        possible dense part) is done; the few others are scored in full. See
        :func:`_top_by_bound`.

        ``pool`` candidates per posting (default k, or 5k when an eligibility check or an
        exposure cap needs spares) are kept; ineligible seekers are dropped from
        traineeship lists; ``max_lists`` caps how many lists one seeker may appear in
        (:func:`matching.diversity.cap_exposure`). Seekers below a posting's minimum
        education come after all who meet it (their scores are given without the tier) or
        are left out (``below_education``); ``exclude`` masks more seekers of a block out.
        """
        open_postings = [p for p in postings if p.open and p.slots_left > 0]
        if not open_postings or not len(seekers):
            return {p.id: [] for p in open_postings}
        pool = pool or (5 * k if (max_lists or eligibility) else k)
        q = seekers.encoder.transform([PostingIndex._text(p) for p in open_postings])
        pb_all = encode_postings(open_postings, q, seekers.context)
        segments = seekers.segments
        excluded = [~(s.alive & s.block.visible) for s in segments]
        if exclude is not None:
            excluded = [e | exclude(s.block) for e, s in zip(excluded, segments, strict=True)]
        below = self.below_education_value(below_education)
        members = [self._members(s.block) for s in segments]
        ids = np.array([i for s in segments for i in s.block.ids], dtype=object)
        id_rank = np.empty(len(ids), dtype=np.int64)
        id_rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
        boost = np.where(pb_all.traineeship, self.boost_value(), 0.0)
        weights = self.weight_vector()

        local = threading.local()
        sizes = [len(s.block) for s in segments]
        offsets = np.cumsum([0, *sizes])

        def run(start: int) -> tuple[np.ndarray, np.ndarray]:
            rows = np.arange(start, min(start + chunk, len(open_postings)))
            pb = pb_all.take(rows)
            shape = (len(rows), int(offsets[-1]))
            if getattr(local, "buffer", None) is None or local.buffer.shape != shape:
                local.buffer = np.empty(shape, dtype=np.float32)
            sparse = local.buffer
            parts = []
            for n, segment in enumerate(segments):
                columns = slice(offsets[n], offsets[n + 1])
                if len(segments) == 1:
                    sparse_scores(pb, segment.block, weights, out=sparse)
                else:
                    sparse[:, columns] = sparse_scores(pb, segment.block, weights)
                parts.append(
                    DenseParts(
                        pb, segment.block, weights, excluded[n], boost[rows], members[n], below
                    )
                )
            return _top_by_bound(sparse, parts, offsets, min(pool, shape[1]), id_rank, shortlist)

        with ThreadPoolExecutor(max_workers=n_jobs) as executor:
            results = list(executor.map(run, range(0, len(open_postings), chunk)))
        top = np.concatenate([r[0] for r in results])
        scores = np.concatenate([r[1] for r in results])
        verdicts: dict[str, bool] = {}
        lists: dict[str, list[tuple[str, float]]] = {}
        for j, posting in enumerate(open_postings):
            ranked = []
            for i, s in zip(top[j], scores[j], strict=True):
                if not np.isfinite(s):
                    continue
                if s < below / 2:
                    s -= below  # below the minimum education: the tier is taken off again
                sid = ids[i]
                if eligibility and posting.kind == "traineeship":
                    if sid not in verdicts:
                        verdicts[sid] = eligibility(seekers.get(sid))[0]
                    if not verdicts[sid]:
                        continue
                ranked.append((sid, float(s)))
            lists[posting.id] = ranked
        if max_lists:
            return cap_exposure(lists, k=k, max_lists=max_lists)
        return {pid: ranked[:k] for pid, ranked in lists.items()}


def _top_by_bound(
    sparse: np.ndarray,
    parts: Sequence[DenseParts],
    offsets: np.ndarray,
    m: int,
    id_rank: np.ndarray,
    shortlist: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's m best columns by full score, scoring most pairs by their sparse part only.

    ``sparse`` (postings × all seekers) holds the sparse features; ``parts`` the dense
    features of each segment (columns ``offsets[n]:offsets[n + 1]``). A row's shortlist is
    the seekers whose sparse sum is above a cut (:func:`_cut_for`); those outside it score
    at most (the cut + the largest dense part that row can reach); when the m-th best shortlisted full score is above
    that bound the shortlist holds the answer, otherwise the row is scored in full.
    """
    from matching.kernels import entries_above  # numba is loaded when scores are first made

    n_rows, n_cols = sparse.shape
    size = min(max(shortlist, m), n_cols)
    kth = _cut_for(sparse, size)
    # Strictly above the cut: seekers left out score at most kth + ceiling, ties included.
    rows, cols, values = entries_above(sparse, kth)
    segment = np.searchsorted(offsets, cols, side="right") - 1
    for n, dense in enumerate(parts):
        at = segment == n
        if at.any():
            values[at] = dense.add_pairs(values[at], rows[at], cols[at] - offsets[n])
    ceiling = np.max([dense.ceiling for dense in parts], axis=0)
    order = np.lexsort((id_rank[cols], -np.round(values.astype(np.float64), 5), rows))
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.searchsorted(rows, np.arange(n_rows))
    counts = np.diff(np.append(first, rows.size))
    mth = np.full(n_rows, -np.inf, dtype=np.float32)
    enough = counts >= m
    mth[enough] = values[first[enough] + m - 1]
    exact = enough & (mth - 1e-5 > kth + ceiling + 1e-4) & (size < n_cols)
    keep = (np.arange(rows.size) - first[rows] < m) & exact[rows]
    top = np.empty((n_rows, m), dtype=np.int64)
    top_scores = np.empty((n_rows, m), dtype=np.float32)
    top[exact] = cols[keep].reshape(-1, m)
    top_scores[exact] = values[keep].reshape(-1, m)
    redo = np.flatnonzero(~exact)
    if redo.size:
        full = sparse[redo]
        for n, dense in enumerate(parts):
            dense.add_rows(full[:, offsets[n] : offsets[n + 1]], redo)
        top[redo], top_scores[redo] = _top_per_row(full, m, id_rank)
    return top, top_scores


def _cut_for(sparse: np.ndarray, size: int) -> np.ndarray:
    """A value per row with about ``size`` entries above it, read from a sample of columns.

    Any value would keep the batch exact (the bound is taken from the value used; rows it
    cannot settle are scored in full); a sample of 4,096 columns puts it near the
    ``size``-th largest at a fiftieth of the cost of partitioning every row.
    """
    sample = sparse[:, :: max(1, sparse.shape[1] // 4096)]
    width = sample.shape[1]
    above = min(width - 1, -(-size * width // sparse.shape[1]))
    return np.partition(sample, width - 1 - above, axis=1)[:, width - 1 - above]


def _top_per_row(score: np.ndarray, m: int, id_rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns and scores of each row's m best, ordered as a single query orders them.

    Scores equal to 5 decimals are tied and broken by id (``id_rank``), as in
    :func:`_take_eligible`; every candidate tied with the m-th is considered, so the cut
    does not depend on how ``np.partition`` happens to order ties.
    """
    cut = score.shape[1] - m
    kth = np.partition(score, cut, axis=1)[:, cut]
    rows, cols = np.nonzero(score >= (kth - 1e-5)[:, None])
    values = score[rows, cols]
    order = np.lexsort((id_rank[cols], -np.round(values.astype(np.float64), 5), rows))
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.searchsorted(rows, np.arange(score.shape[0]))
    keep = np.arange(rows.size) - first[rows] < m
    shape = (score.shape[0], m)
    return cols[keep].reshape(shape), values[keep].reshape(shape)


class _Rows(Sequence):
    """The profiles of an index's segments seen as one sequence, without copying them."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.segments = segments
        self.starts = np.cumsum([0] + [len(s.profiles) for s in segments])

    def __len__(self) -> int:
        return int(self.starts[-1])

    def _locate(self, i: int) -> tuple[int, int]:
        n = int(np.searchsorted(self.starts, i, side="right")) - 1
        return n, int(i - self.starts[n])

    def __getitem__(self, i: int) -> Any:  # type: ignore[override]
        n, row = self._locate(i)
        return self.segments[n].profiles[row]

    def skill_ids(self, i: int) -> list[str]:
        """Canonical skills of row i as encoded in its segment."""
        n, row = self._locate(i)
        return self.segments[n].block.skill_ids[row]

    def split(self, rows: np.ndarray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """Yield (segment number, rows within it, positions in ``rows``) per segment."""
        segment = np.searchsorted(self.starts, rows, side="right") - 1
        for n in np.unique(segment):
            where = np.flatnonzero(segment == n)
            yield int(n), rows[where] - self.starts[n], where


def _take_eligible(
    scores: np.ndarray,
    profiles: Sequence[SeekerProfile] | Sequence[PostingProfile],
    k: int,
    check: Callable | None,
    mark_ineligible: bool,
) -> list[tuple[int, bool, str | None]]:
    """Walk candidates in score order, asking ``check`` lazily, until k eligible are found.

    Ineligible candidates met on the way are appended after the eligible ones when
    ``mark_ineligible`` is set (at most k of them), and dropped otherwise.
    """
    finite = int(np.isfinite(scores).sum())
    eligible: list[tuple[int, bool, str | None]] = []
    ineligible: list[tuple[int, bool, str | None]] = []
    window = min(finite, max(4 * k, 32))
    seen = 0
    while len(eligible) < k and seen < finite:
        top = (
            np.argpartition(-scores, window - 1)[:window]
            if window < scores.size
            else np.arange(scores.size)
        )
        rounded = np.round(scores[top].astype(np.float64), 5).tolist()
        keys = sorted((-r, profiles[i].id, i) for r, i in zip(rounded, top.tolist(), strict=True))
        top = np.array([i for _, _, i in keys[seen:window]], dtype=np.int64)
        for i in top:
            if not np.isfinite(scores[i]):
                continue
            ok, why = check(profiles[i]) if check else (True, "")
            if ok:
                eligible.append((int(i), True, None))
                if len(eligible) == k:
                    break
            elif len(ineligible) < k:
                ineligible.append((int(i), False, why))
        seen = window
        window = min(finite, window * 4)
    return eligible + (ineligible if mark_ineligible else [])


def training_matrix(
    pairs: Sequence[tuple[PostingProfile, SeekerProfile]],
    encoder: TextEncoder,
    context: FeatureContext,
) -> np.ndarray:
    """Feature rows (len(pairs) × len(FEATURES)) for historical posting–seeker pairs."""
    out = np.zeros((len(pairs), len(FEATURES)), dtype=np.float32)
    by_posting: dict[str, list[int]] = {}
    for n, (posting, _) in enumerate(pairs):
        by_posting.setdefault(posting.id, []).append(n)
    for rows in by_posting.values():
        posting = pairs[rows[0]][0]
        people = [pairs[n][1] for n in rows]
        q = encoder.transform([PostingIndex._text(posting)])
        pb = encode_postings([posting], q, context)
        sb = encode_seekers(people, encoder.transform(p.text for p in people), context)
        text = (q @ sb.text_t).toarray()
        out[rows] = feature_matrix(pb, sb, text)[0]
    return out


_DEFAULT = Ranker()


def rank_seekers_for_posting(
    posting: PostingProfile,
    seekers: SeekerIndex | Sequence[SeekerProfile],
    k: int = 10,
    ranker: Ranker | None = None,
    **options: object,
) -> list[RankedRow]:
    """Return the top k seekers for a posting with the given (or default) ranker."""
    return (ranker or _DEFAULT).rank_seekers_for_posting(posting, seekers, k, **options)  # type: ignore[arg-type]


def rank_postings_for_seeker(
    seeker: SeekerProfile,
    postings: PostingIndex | Sequence[PostingProfile],
    k: int = 10,
    ranker: Ranker | None = None,
    **options: object,
) -> list[RankedRow]:
    """Return the top k open postings for a seeker with the given (or default) ranker."""
    return (ranker or _DEFAULT).rank_postings_for_seeker(seeker, postings, k, **options)  # type: ignore[arg-type]
