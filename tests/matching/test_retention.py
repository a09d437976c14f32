import datetime as dt
import itertools
import subprocess
import sys

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from matching.retention import (
    RetentionModel,
    TraineeshipFeatures,
    evaluate,
    feature_matrix,
    host_history_counts,
    occupation_agreement,
    project_host_tier,
    retained_count_distribution,
)
from seed.demo.generator import simulate_traineeship_history
from seed.demo.retention_report import decided_training_set, history_features


@pytest.fixture(scope="module")
def history():
    features, outcomes = history_features(simulate_traineeship_history(3000, seed=7))
    return decided_training_set(features, outcomes)


def test_matching_retention_imports_no_framework():
    code = (
        "import sys, matching.retention; "
        "print([m for m in ('flask', 'sqlalchemy', 'marshmallow', 'app', 'seed') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_occupation_agreement_counts_shared_code_segments():
    assert occupation_agreement(["2-02-10-03"], "2-02-10-03") == 4
    assert occupation_agreement(["2-02-10-01", "4-01-02-01"], "2-02-10-03") == 3
    assert occupation_agreement(["2-02-07-01"], "2-02-10-03") == 2
    assert occupation_agreement(["2-05-01-01"], "2-02-10-03") == 1
    assert occupation_agreement(["4-01-02-01"], "2-02-10-03") == 0
    assert occupation_agreement([], "2-02-10-03") == 0


def test_host_history_counts_only_earlier_decided_traineeships():
    d = dt.date
    counts = host_history_counts(
        ["A", "A", "A", "A", "B"],
        [d(2021, 1, 1), d(2021, 3, 1), d(2022, 1, 1), d(2023, 9, 1), d(2022, 1, 1)],
        [d(2021, 7, 1), d(2021, 9, 1), d(2022, 7, 1), None, d(2022, 7, 1)],
        ["retained", "completed", "retained", "active", "completed"],
        d(2023, 11, 1),
    )
    assert counts == [(0, 0), (0, 0), (1, 2), (2, 3), (0, 0)]


def test_check_is_fitted_raises_before_fit():
    with pytest.raises(NotFittedError):
        RetentionModel().predict_proba(np.zeros((1, 8)))


def test_unknown_model_is_refused(history):
    X, y = history
    with pytest.raises(ValueError, match="unknown model"):
        RetentionModel(model="forest").fit(X, y)


def test_fit_returns_self_and_probabilities_are_in_unit_interval(history):
    X, y = history
    model = RetentionModel(random_state=0)
    assert model.fit(X, y) is model
    prob = model.predict_proba(X)
    assert prob.shape == (len(X), 2)
    assert np.all((prob >= 0) & (prob <= 1))
    np.testing.assert_allclose(prob.sum(axis=1), 1.0)
    assert set(model.predict(X)) <= {0, 1}


def test_held_out_auc_is_clearly_above_chance_and_beats_base_rate_brier(history):
    X, y = history
    result = evaluate(X, y, random_state=0)
    assert result.auc > 0.62
    assert result.brier < result.brier_base_rate
    assert sum(b.count for b in result.bins) == result.n_test


def test_feature_matrix_accepts_features_and_is_finite():
    f = TraineeshipFeatures(4, 2, 2100, 5000, True, 3, 4, 6, "bachelor")
    matrix = feature_matrix([f, f])
    assert matrix.shape == (2, 8)
    assert np.isfinite(matrix).all()


def _brute_force(probabilities, decided, threshold):
    retained, total = sum(decided), len(decided) + len(probabilities)
    reach = 0.0
    for outcome in itertools.product((0, 1), repeat=len(probabilities)):
        weight = np.prod([p if o else 1 - p for p, o in zip(probabilities, outcome, strict=True)])
        if (retained + sum(outcome)) / total >= threshold:
            reach += weight
    return reach


@pytest.mark.parametrize(
    ("probabilities", "decided", "threshold"),
    [
        ([0.3, 0.6, 0.9], [True, False], 0.5),
        ([0.5] * 5, [], 0.5),
        ([0.1, 0.2, 0.3, 0.4], [False, False, True], 0.5),
        ([0.8, 0.7], [True, True, False, False], 0.6),
        ([0.25, 0.95, 0.5, 0.05, 0.6, 0.33], [True], 0.5),
        ([], [True, False], 0.5),
    ],
)
def test_tier_probability_matches_brute_force(probabilities, decided, threshold):
    result = project_host_tier(probabilities, decided, threshold)
    assert result.probability_reaching == pytest.approx(
        _brute_force(probabilities, decided, threshold)
    )
    total = len(probabilities) + len(decided)
    assert result.expected_rate == pytest.approx((sum(decided) + sum(probabilities)) / total)
    assert result.pending == len(probabilities)


def test_retained_count_distribution_sums_to_one_and_refuses_bad_probabilities():
    assert retained_count_distribution([0.2, 0.7, 0.4]).sum() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        retained_count_distribution([1.2])


def test_host_without_traineeships_has_no_expected_rate():
    result = project_host_tier([], [])
    assert result.probability_reaching == 0.0
    assert result.expected_rate is None
