"""The promotion gate: a learned ranking model replaces the one in use only if it passes every guard.

One held-out split said little (a model fitted on true labels beat the defaults on only
half of the seeds), and applicants are not the pool: a model fitted to who was hired among
applicants can learn to ignore what every applicant shared (the occupation) and then fill
the pool-wide lists with people in other trades. So a candidate must pass, in order:

=======================  ==========================================================================
guard                    passes when
=======================  ==========================================================================
``held_out_gain``        over ``n_splits`` splits by posting, its mean nDCG@k gain over the model
                         in use is at least ``min_gain`` and that mean less two standard errors
                         is above 0
``non_negative``         its weights on :data:`matching.ranker.MUST_NOT_HURT` are all ≥ 0
``occupation_match@10``  over the whole pool (open postings × every seeker), the share of top-10
                         slots whose seeker wants the posting's occupation (at least its 中类) is
                         no lower than the default weights' less ``tolerance``
``education_violations`` no top-10 list ranks a seeker below the posting's minimum education above
                         one who meets it
``exposure_top20``       the share of all top-10 slots held by the 20 most-shown seekers is no
                         higher than the default weights' plus ``tolerance``
=======================  ==========================================================================

Every guard is computed and reported, so a refusal names each guard that failed.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupShuffleSplit

from matching.education import education_rank
from matching.evaluate import ndcg_at_k
from matching.features import FEATURES, occupation_keys
from matching.index import SeekerIndex
from matching.profiles import PostingProfile
from matching.ranker import MUST_NOT_HURT, Ranker

GAIN = "held_out_gain"
SIGNS = "non_negative"
OCCUPATION = "occupation_match@10"
EDUCATION = "education_violations"
EXPOSURE = "exposure_top20"
TOP_SEEKERS = 20


@dataclass
class Pool:
    """Where the pool-wide guards are measured: open postings and every seeker they could be shown."""

    postings: Sequence[PostingProfile]
    seekers: SeekerIndex


@dataclass
class Guard:
    """One check of the gate: its value for the candidate, the baseline it is held to, the verdict."""

    name: str
    passed: bool
    value: float
    baseline: float
    detail: str


@dataclass
class ModelSelection:
    """Outcome of :func:`select_model`: the model to use, the metrics and every guard."""

    model: Ranker
    replaced: bool
    version: str
    metrics: dict[str, float]
    guards: list[Guard] = field(default_factory=list)

    @property
    def refused(self) -> list[str]:
        """Names of the guards the candidate failed (empty when it was promoted)."""
        return [g.name for g in self.guards if not g.passed]


def _mean_ndcg(scores: np.ndarray, y: np.ndarray, groups: np.ndarray, k: int) -> float:
    values = []
    for g in np.unique(groups):
        rows = np.flatnonzero(groups == g)
        if y[rows].max() <= 0:
            continue
        order = rows[np.argsort(-scores[rows], kind="stable")]
        values.append(ndcg_at_k(y[order].tolist(), y[rows].tolist(), k))
    return float(np.mean(values)) if values else 0.0


def pool_metrics(model: Ranker, pool: Pool, k: int = 10) -> dict[str, float]:
    """Occupation-match rate, education violations and top-20 exposure share of a model's top-k lists."""
    lists = model.top_seekers_for_postings(pool.postings, pool.seekers, k=k)
    postings = {p.id: p for p in pool.postings}
    shown: Counter[str] = Counter()
    matched = violations = 0
    for pid, ranked in lists.items():
        posting = postings[pid]
        wanted = set(occupation_keys(posting.occupation_code))
        need = education_rank(posting.min_education)
        below_seen = False
        for sid, _ in ranked:
            seeker = pool.seekers.get(sid)
            shown[sid] += 1
            keys = {key for code in seeker.desired_occupations for key in occupation_keys(code)}
            matched += bool(wanted & keys)
            have = education_rank(seeker.education)
            below = need >= 0 and 0 <= have < need
            violations += below_seen and not below
            below_seen |= below
    slots = sum(shown.values()) or 1
    top = sum(n for _, n in shown.most_common(TOP_SEEKERS))
    return {OCCUPATION: matched / slots, EDUCATION: float(violations), EXPOSURE: top / slots}


def _held_out(
    current: Ranker,
    template: Ranker,
    X: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    n_splits: int,
    test_size: float,
    k: int,
    random_state: int,
) -> dict[str, list[float]]:
    """nDCG@k (and AUC) of the current model and the candidate on each held-out split."""
    fitted = template.weights is None
    split = GroupShuffleSplit(n_splits=n_splits, test_size=test_size, random_state=random_state)
    out: dict[str, list[float]] = {
        "current": [],
        "candidate": [],
        "current_auc": [],
        "candidate_auc": [],
    }
    for train, test in split.split(X, y, groups):
        if y[test].max() <= 0 or (fitted and len(np.unique(y[train])) < 2):
            continue
        candidate = clone(template).fit(X[train], y[train]) if fitted else template
        for name, model in (("current", current), ("candidate", candidate)):
            s = model.decision_function(X[test])
            out[name].append(_mean_ndcg(s, y[test], groups[test], k))
            if len(np.unique(y[test])) == 2:
                out[f"{name}_auc"].append(float(roc_auc_score(y[test], s)))
    return out


def select_model(
    current: Ranker,
    X: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    candidate: Ranker | None = None,
    pool: Pool | None = None,
    n_splits: int = 10,
    test_size: float = 0.25,
    k: int = 10,
    min_gain: float = 0.01,
    tolerance: float = 0.02,
    random_state: int = 0,
) -> ModelSelection:
    """Fit a candidate and keep it only if it passes every guard (see the module's table).

    Splits are by posting (``groups``), so no posting's outcomes are seen in training and in
    evaluation. A ``candidate`` with explicit weights is evaluated as it is; one without is
    fitted on each split's training part, and on all the history when it is kept. Without a
    ``pool`` the pool-wide guards are not computed (library use on a bare history).
    """
    X, y, groups = np.asarray(X, dtype=float), np.asarray(y), np.asarray(groups)
    template = candidate if candidate is not None else Ranker(random_state=random_state)
    scores = _held_out(current, template, X, y, groups, n_splits, test_size, k, random_state)
    gains = np.subtract(scores["candidate"], scores["current"])
    mean = float(gains.mean()) if gains.size else 0.0
    se = float(gains.std(ddof=1) / np.sqrt(gains.size)) if gains.size > 1 else 0.0
    metrics = {
        f"current_ndcg@{k}": float(np.mean(scores["current"])) if gains.size else 0.0,
        f"candidate_ndcg@{k}": float(np.mean(scores["candidate"])) if gains.size else 0.0,
        "gain_mean": mean,
        "gain_se": se,
        "splits": float(gains.size),
    }
    for name in ("current_auc", "candidate_auc"):
        if scores[name]:
            metrics[name] = float(np.mean(scores[name]))
    model = clone(template).fit(X, y) if template.weights is None else template
    guards = [
        Guard(
            GAIN,
            gains.size > 1 and mean >= min_gain and mean - 2 * se > 0,
            mean,
            min_gain,
            f"mean nDCG@{k} gain {mean:+.4f} ± {se:.4f} (SE) over {gains.size} splits; "
            f"needs ≥ {min_gain} and mean − 2·SE > 0",
        )
    ]
    weights = dict(zip(FEATURES, model.weight_vector().tolist(), strict=True))
    negative = [f for f in MUST_NOT_HURT if weights[f] < 0]
    guards.append(
        Guard(
            SIGNS,
            not negative,
            float(min(weights[f] for f in MUST_NOT_HURT)),
            0.0,
            f"negative weight on {', '.join(negative)}" if negative else "no negative weight",
        )
    )
    if pool is not None:
        guards.extend(_pool_guards(model, pool, tolerance, metrics))
    replaced = all(g.passed for g in guards)
    chosen = model if replaced else current
    return ModelSelection(chosen, replaced, chosen.model_version, metrics, guards)


def _pool_guards(
    model: Ranker, pool: Pool, tolerance: float, metrics: dict[str, float]
) -> list[Guard]:
    """The pool-wide guards of a candidate against the default weights (metrics are recorded too)."""
    default = pool_metrics(Ranker(), pool)
    found = pool_metrics(model, pool)
    for name in (OCCUPATION, EDUCATION, EXPOSURE):
        metrics[f"default_{name}"] = default[name]
        metrics[f"candidate_{name}"] = found[name]
    return [
        Guard(
            OCCUPATION,
            found[OCCUPATION] >= default[OCCUPATION] - tolerance,
            found[OCCUPATION],
            default[OCCUPATION],
            f"occupation-match rate at 10 {found[OCCUPATION]:.3f}, "
            f"default weights {default[OCCUPATION]:.3f} (may be lower by {tolerance})",
        ),
        Guard(
            EDUCATION,
            found[EDUCATION] == 0,
            found[EDUCATION],
            0.0,
            f"{found[EDUCATION]:.0f} list places where someone who meets the minimum "
            "education comes after someone below it",
        ),
        Guard(
            EXPOSURE,
            found[EXPOSURE] <= default[EXPOSURE] + tolerance,
            found[EXPOSURE],
            default[EXPOSURE],
            f"top {TOP_SEEKERS} seekers hold {found[EXPOSURE]:.1%} of the slots, "
            f"default weights {default[EXPOSURE]:.1%} (may be higher by {tolerance:.0%})",
        ),
    ]
