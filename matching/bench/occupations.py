"""Benchmark the occupation coder: ``python -m matching.bench occupations``."""

import time
from pathlib import Path

from matching.occupations import OccupationCoder, cross_validate, load_catalogue, read_testcases

REFERENCE = Path(__file__).resolve().parents[2] / "seed" / "reference"


def main(argv: list[str]) -> None:
    """Print 5-fold CV accuracy by level for the coder and the baseline, and its speed."""
    csco, testcases = REFERENCE / "csco22.csv", REFERENCE / "testcases.csv"
    start = time.perf_counter()
    result = cross_validate(csco, testcases, folds=5, random_state=0)
    elapsed = time.perf_counter() - start
    print(f"5-fold cross-validation on {testcases.name} ({elapsed:.0f} s)")
    print(f"{'method':<28}{'中类':>8}{'小类':>8}{'细类':>8}")
    for label, key in (("coder", "accuracy"), ("baseline (nearest alias)", "baseline_accuracy")):
        acc = result[key]
        assert isinstance(acc, dict)
        print(f"{label:<28}{acc['中类']:>10.3f}{acc['小类']:>10.3f}{acc['细类']:>10.3f}")

    titles, codes = read_testcases(testcases)
    start = time.perf_counter()
    coder = OccupationCoder(load_catalogue(csco)).fit(titles, codes)
    build = time.perf_counter() - start
    start = time.perf_counter()
    coder.predict(titles)
    rate = len(titles) / (time.perf_counter() - start)
    print(f"build on all {len(titles)} titles: {build:.1f} s; predict: {rate:,.0f} titles/s")
