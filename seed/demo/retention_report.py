"""Measure the retention forecast on a synthetic history: ``python -m seed.demo.retention_report``.

Also turns demo traineeships into ``TraineeshipFeatures`` so the loader and the bench can reuse
the same definitions (occupation agreement, district fit, leave-one-out host history).
"""

import argparse
import datetime as dt
import time
from collections.abc import Sequence

import numpy as np

from matching.retention import (
    DECIDED_OUTCOMES,
    RetentionEvaluation,
    RetentionModel,
    TraineeshipFeatures,
    evaluate,
    host_history_counts,
    is_retained,
    occupation_agreement,
)
from seed.demo.generator import TODAY, district_fit, simulate_traineeship_history
from seed.demo.records import DemoData, SimulatedTraineeship


def history_features(
    rows: Sequence[SimulatedTraineeship], as_of: dt.date = TODAY
) -> tuple[list[TraineeshipFeatures], list[str]]:
    """Return the features of every simulated traineeship and its outcome."""
    counts = host_history_counts(
        [r.host_key for r in rows],
        [r.start for r in rows],
        [r.end for r in rows],
        [r.outcome for r in rows],
        as_of,
    )
    features = [
        TraineeshipFeatures(
            occupation_agreement=r.occupation_agreement,
            district_fit=r.district_fit,
            offered_salary=r.offered_salary,
            expected_salary=r.expected_salary,
            host_large=r.host_large,
            host_past_retained=retained,
            host_past_decided=decided,
            planned_months=r.planned_months,
            education=r.education,
        )
        for r, (retained, decided) in zip(rows, counts, strict=True)
    ]
    return features, [r.outcome for r in rows]


def demo_features(data: DemoData) -> tuple[list[TraineeshipFeatures], list[str]]:
    """Return the features of every demo traineeship and its outcome."""
    seekers = {s.key: s for s in data.seekers}
    postings = {p.key: p for p in data.postings}
    employers = {e.key: e for e in data.employers}
    rows = data.traineeships
    counts = host_history_counts(
        [t.host_key for t in rows],
        [t.start for t in rows],
        [t.end for t in rows],
        [t.outcome for t in rows],
        data.today,
    )
    features = []
    for t, (retained, decided) in zip(rows, counts, strict=True):
        seeker, post = seekers[t.seeker_key], postings[t.posting_key]
        features.append(
            TraineeshipFeatures(
                occupation_agreement=occupation_agreement(
                    seeker.desired_occupations, post.occupation_code
                ),
                district_fit=district_fit(post.district, seeker.hukou_district, seeker.district),
                offered_salary=post.salary_max,
                expected_salary=seeker.expected_salary,
                host_large=employers[t.host_key].size_class == "large",
                host_past_retained=retained,
                host_past_decided=decided,
                planned_months=t.planned_months,
                education=seeker.education,
            )
        )
    return features, [t.outcome for t in rows]


def decided_training_set(
    features: Sequence[TraineeshipFeatures], outcomes: Sequence[str]
) -> tuple[list[TraineeshipFeatures], np.ndarray]:
    """Keep decided traineeships (not active, not left early) with 1 = retained labels."""
    keep = [i for i, o in enumerate(outcomes) if o in DECIDED_OUTCOMES]
    return [features[i] for i in keep], np.array([is_retained(outcomes[i]) for i in keep], int)


def measure(n: int, seed: int, model: str) -> RetentionEvaluation:
    """Simulate ``n`` traineeships and evaluate a model on a 25% held-out split."""
    features, outcomes = history_features(simulate_traineeship_history(n, seed))
    X, y = decided_training_set(features, outcomes)
    return evaluate(X, y, estimator=RetentionModel(model=model, random_state=seed))


def main(argv: Sequence[str] | None = None) -> None:
    """Print held-out AUC, Brier score and reliability bins for the retention forecast."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--model", choices=("logistic", "boosting"), nargs="+", default=["logistic", "boosting"]
    )
    args = parser.parse_args(argv)
    for model in args.model:
        started = time.perf_counter()
        result = measure(args.n, args.seed, model)
        print(
            f"{model}: n_train={result.n_train} n_test={result.n_test} "
            f"AUC={result.auc:.3f} Brier={result.brier:.4f} "
            f"(base-rate Brier {result.brier_base_rate:.4f}, base rate {result.base_rate:.3f}) "
            f"in {time.perf_counter() - started:.1f}s"
        )
        for b in result.bins:
            print(
                f"  [{b.lower:.1f}, {b.upper:.1f}) n={b.count:5d} "
                f"predicted={b.mean_predicted:.3f} observed={b.observed_rate:.3f}"
            )


if __name__ == "__main__":
    main()
