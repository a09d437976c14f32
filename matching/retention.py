"""Retention forecast: how likely an active traineeship is to end with the trainee retained.

A traineeship is *retained* when the host signs a labour contract with the trainee at the end
(or earlier: converted early). The forecast helps an office see which hosts are on course for the
50% retention tier and where a follow-up visit may help. It is advisory only: it is never used
to refuse, rank down or deselect a trainee or an applicant.

The probability is conditional on the traineeship running its course: trainees who leave early
are excluded from the retention rate (POLICY.md § 1), so they are excluded from training too.
"""

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_array, check_is_fitted, check_X_y

from matching.education import education_rank

RETAINED_OUTCOMES = frozenset({"retained", "converted_early"})
DECIDED_OUTCOMES = frozenset({"retained", "converted_early", "completed"})

FEATURE_NAMES: tuple[str, ...] = (
    "occupation_agreement",
    "district_fit",
    "log_salary_ratio",
    "host_large",
    "host_past_rate",
    "host_past_log_count",
    "planned_months",
    "education_rank",
)

# Prior for a host's past retention rate: two pseudo-traineeships, one retained, so a host with
# no history sits at 50% and one lucky trainee does not make a host look perfect.
_PRIOR_RETAINED = 1.0
_PRIOR_DECIDED = 2.0


@dataclass(frozen=True)
class TraineeshipFeatures:
    """What the system holds about one traineeship when forecasting its outcome."""

    occupation_agreement: int
    district_fit: int
    offered_salary: int
    expected_salary: int
    host_large: bool
    host_past_retained: int
    host_past_decided: int
    planned_months: int
    education: str | None


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability diagram: predicted against observed retention."""

    lower: float
    upper: float
    count: int
    mean_predicted: float
    observed_rate: float


@dataclass(frozen=True)
class RetentionEvaluation:
    """Held-out discrimination and calibration of a retention model."""

    auc: float
    brier: float
    brier_base_rate: float
    base_rate: float
    n_train: int
    n_test: int
    bins: tuple[ReliabilityBin, ...]


@dataclass(frozen=True)
class HostTierProjection:
    """Where a host's retention rate is heading, given decided and pending traineeships."""

    probability_reaching: float
    expected_rate: float | None
    retained_so_far: int
    decided_so_far: int
    pending: int


def occupation_agreement(desired: Iterable[str], code: str) -> int:
    """Count the leading CSCO code segments the post shares with the closest desired code (0–4)."""
    post = code.split("-")
    best = 0
    for wanted in desired:
        level = 0
        for a, b in zip(post, wanted.split("-"), strict=False):
            if a != b:
                break
            level += 1
        best = max(best, level)
    return best


def is_retained(outcome: str) -> bool:
    """Whether an outcome counts as retained in the retention rate."""
    return outcome in RETAINED_OUTCOMES


def host_history_counts(
    host_keys: Sequence[str],
    starts: Sequence[dt.date],
    ends: Sequence[dt.date | None],
    outcomes: Sequence[str],
    as_of: dt.date,
) -> list[tuple[int, int]]:
    """Return each row's host (retained, decided) counts over the host's *other*, earlier traineeships.

    A decided row sees the host's traineeships decided before it started; a pending row sees
    those decided by ``as_of``. Either way the row itself is left out. A plain leave-one-out
    rate over all rows would leak the row's own label (its outcome shifts the rate of the
    others), so a flexible model would learn the label back from it.
    """
    decided_by_host: dict[str, list[tuple[dt.date, bool]]] = {}
    for host, end, outcome in zip(host_keys, ends, outcomes, strict=True):
        if outcome in DECIDED_OUTCOMES and end is not None:
            decided_by_host.setdefault(host, []).append((end, is_retained(outcome)))
    history: dict[str, tuple[list[dt.date], list[int]]] = {}
    for host, items in decided_by_host.items():
        items.sort()
        history[host] = ([d for d, _ in items], list(accumulate(r for _, r in items)))
    counts = []
    for host, start, outcome in zip(host_keys, starts, outcomes, strict=True):
        if host not in history:
            counts.append((0, 0))
            continue
        days, retained = history[host]
        if outcome in DECIDED_OUTCOMES:
            seen = bisect_left(days, start)
        else:
            seen = bisect_right(days, as_of)
        counts.append((retained[seen - 1] if seen else 0, seen))
    return counts


def feature_matrix(features: Sequence[TraineeshipFeatures]) -> np.ndarray:
    """Build the numeric feature matrix (columns in ``FEATURE_NAMES`` order)."""
    rows = [
        (
            f.occupation_agreement,
            f.district_fit,
            np.log(max(f.offered_salary, 1) / max(f.expected_salary, 1)),
            float(f.host_large),
            (f.host_past_retained + _PRIOR_RETAINED) / (f.host_past_decided + _PRIOR_DECIDED),
            np.log1p(f.host_past_decided),
            f.planned_months,
            education_rank(f.education),
        )
        for f in features
    ]
    return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURE_NAMES))


def _as_matrix(X: object) -> np.ndarray:
    if isinstance(X, Sequence) and X and isinstance(X[0], TraineeshipFeatures):
        return feature_matrix(X)  # type: ignore[arg-type]
    return check_array(X)


class RetentionModel(ClassifierMixin, BaseEstimator):
    """Calibrated classifier of whether a traineeship ends retained.

    ``model`` is ``"logistic"`` (standardised logistic regression) or ``"boosting"``
    (histogram gradient boosting); either is calibrated by cross-validation with
    ``calibration`` (``"isotonic"`` or ``"sigmoid"``). Accepts a feature matrix or a sequence
    of ``TraineeshipFeatures``. Advisory only: never used to refuse anyone.
    """

    def __init__(
        self,
        model: str = "logistic",
        calibration: str = "isotonic",
        cv: int = 5,
        C: float = 1.0,
        random_state: int | None = None,
    ) -> None:
        self.model = model
        self.calibration = calibration
        self.cv = cv
        self.C = C
        self.random_state = random_state

    def _base_estimator(self) -> BaseEstimator:
        if self.model == "logistic":
            return make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=1000))
        if self.model == "boosting":
            return HistGradientBoostingClassifier(
                max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=self.random_state
            )
        raise ValueError(f"unknown model {self.model!r}: use 'logistic' or 'boosting'")

    def fit(self, X: object, y: Sequence[int] | np.ndarray) -> "RetentionModel":
        """Fit the base model and its calibration; ``y`` is 1 for retained, 0 for not."""
        X, y = check_X_y(_as_matrix(X), np.asarray(y, dtype=int))
        folds = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state)
        self.calibrated_ = CalibratedClassifierCV(
            self._base_estimator(), method=self.calibration, cv=folds
        ).fit(X, y)
        self.classes_ = self.calibrated_.classes_
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X: object) -> np.ndarray:
        """Return per-row probabilities of [not retained, retained]."""
        check_is_fitted(self)
        return self.calibrated_.predict_proba(_as_matrix(X))

    def predict(self, X: object) -> np.ndarray:
        """Return the more likely class (1 = retained) for each row."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def reliability_bins(
    y_true: Sequence[int] | np.ndarray, y_prob: Sequence[float] | np.ndarray, n_bins: int = 10
) -> tuple[ReliabilityBin, ...]:
    """Group predictions into equal-width bins and compare mean predicted with observed rate."""
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_prob, dtype=float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, n_bins - 1)
    bins = []
    for b in range(n_bins):
        mask = which == b
        if mask.any():
            bins.append(
                ReliabilityBin(
                    float(edges[b]),
                    float(edges[b + 1]),
                    int(mask.sum()),
                    float(p[mask].mean()),
                    float(y[mask].mean()),
                )
            )
    return tuple(bins)


def evaluate(
    X: object,
    y: Sequence[int] | np.ndarray,
    *,
    estimator: RetentionModel | None = None,
    test_size: float = 0.25,
    n_bins: int = 10,
    random_state: int = 0,
) -> RetentionEvaluation:
    """Fit on a stratified split and report held-out AUC, Brier score and reliability bins."""
    matrix = _as_matrix(X)
    labels = np.asarray(y, dtype=int)
    X_train, X_test, y_train, y_test = train_test_split(
        matrix, labels, test_size=test_size, stratify=labels, random_state=random_state
    )
    model = estimator if estimator is not None else RetentionModel(random_state=random_state)
    model.fit(X_train, y_train)
    prob = model.predict_proba(X_test)[:, 1]
    base_rate = float(y_train.mean())
    return RetentionEvaluation(
        auc=float(roc_auc_score(y_test, prob)),
        brier=float(brier_score_loss(y_test, prob)),
        brier_base_rate=float(brier_score_loss(y_test, np.full(len(y_test), base_rate))),
        base_rate=base_rate,
        n_train=len(y_train),
        n_test=len(y_test),
        bins=reliability_bins(y_test, prob, n_bins),
    )


def retained_count_distribution(probabilities: Sequence[float]) -> np.ndarray:
    """Return P(k of the pending trainees are retained) for k = 0..n (Poisson-binomial)."""
    dist = np.ones(1)
    for p in probabilities:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probability {p} is outside [0, 1]")
        dist = np.append(dist * (1.0 - p), 0.0) + np.insert(dist * p, 0, 0.0)
    return dist


def project_host_tier(
    probabilities: Sequence[float], decided: Sequence[bool], threshold: float = 0.5
) -> HostTierProjection:
    """Project the chance a host's retention rate reaches ``threshold``, and its expected rate.

    ``probabilities`` are the forecasts for the host's pending trainees; ``decided`` holds
    ``True`` (retained or converted early) or ``False`` (completed, not retained) for
    traineeships already decided. Trainees who left early belong in neither.
    """
    retained = sum(bool(d) for d in decided)
    total = len(decided) + len(probabilities)
    if total == 0:
        return HostTierProjection(0.0, None, 0, 0, 0)
    dist = retained_count_distribution(probabilities)
    reaching = [k for k in range(len(dist)) if retained + k >= threshold * total - 1e-9]
    return HostTierProjection(
        probability_reaching=float(min(1.0, dist[reaching].sum())),
        expected_rate=(retained + float(sum(probabilities))) / total,
        retained_so_far=retained,
        decided_so_far=len(decided),
        pending=len(probabilities),
    )
