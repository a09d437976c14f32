"""Benchmark the occupation coder: ``python -m matching.bench occupations``."""

import time
from collections.abc import Iterator
from pathlib import Path

from matching.occupations import OccupationCoder, cross_validate, load_catalogue, read_testcases

REFERENCE = Path(__file__).resolve().parents[2] / "seed" / "reference"


CURVE_FRACTIONS = (0.125, 0.25, 0.5, 0.75, 1.0)


def learning_curve(csco: Path, testcases: Path) -> None:
    """Print CV accuracy when each fold's coder learns from a share of its training folds."""
    print("learning curve: 5 folds, each coder learns from a random share of its training folds")
    print(f"{'share':<8}{'titles':>8}{'中类':>8}{'小类':>8}{'细类':>8}")
    for fraction in CURVE_FRACTIONS:
        result = cross_validate(csco, testcases, folds=5, random_state=0, train_fraction=fraction)
        acc = result["accuracy"]
        assert isinstance(acc, dict)
        print(
            f"{fraction:<8}{result['training_titles']:>8}"
            f"{acc['中类']:>10.3f}{acc['小类']:>10.3f}{acc['细类']:>10.3f}",
            flush=True,
        )


def print_accuracy(result: dict, what: str, rows: tuple[tuple[str, str], ...]) -> None:
    """Print a cross-validation's accuracy by level, one line per (label, result key)."""
    print(f"5-fold cross-validation on {what}")
    print(f"{'method':<28}{'中类':>8}{'小类':>8}{'细类':>8}")
    for label, key in rows:
        acc = result[key]
        print(f"{label:<28}{acc['中类']:>10.3f}{acc['小类']:>10.3f}{acc['细类']:>10.3f}")


class _FoldProgress:
    """Print how far each fold's encoder training has gone, every tenth of the way."""

    def __init__(self) -> None:
        self.fold = 0

    def __call__(self, batches: list) -> Iterator:
        self.fold += 1
        start, tenth = time.perf_counter(), max(1, len(batches) // 10)
        for i, batch in enumerate(batches, 1):
            yield batch
            if i % tenth == 0 or i == len(batches):
                print(
                    f"  fold {self.fold}: {i}/{len(batches)} batches, "
                    f"{time.perf_counter() - start:.0f} s",
                    flush=True,
                )


def with_encoder(csco: Path, testcases: Path) -> None:
    """Print 5-fold CV accuracy of the coder alone and with a fine-tuned encoder, in one run."""
    start = time.perf_counter()
    result = cross_validate(
        csco, testcases, folds=5, random_state=0, encoder={}, progress=_FoldProgress()
    )
    elapsed = time.perf_counter() - start
    print_accuracy(
        result,
        f"{testcases.name} ({elapsed:.0f} s)",
        (("coder", "without_encoder_accuracy"), ("coder + encoder", "accuracy")),
    )


def main(argv: list[str]) -> None:
    """Print 5-fold CV accuracy by level for the coder and the baseline, and its speed.

    ``--curve`` prints the learning curve instead; ``--encoder`` the coder with and without a
    fine-tuned encoder (needs the ``encoder`` extra; about 20 minutes on 2 cores).
    """
    csco, testcases = REFERENCE / "csco22.csv", REFERENCE / "testcases.csv"
    if "--curve" in argv:
        learning_curve(csco, testcases)
        return
    if "--encoder" in argv:
        with_encoder(csco, testcases)
        return
    start = time.perf_counter()
    result = cross_validate(csco, testcases, folds=5, random_state=0)
    elapsed = time.perf_counter() - start
    print_accuracy(
        result,
        f"{testcases.name} ({elapsed:.0f} s)",
        (("coder", "accuracy"), ("baseline (nearest alias)", "baseline_accuracy")),
    )

    titles, codes = read_testcases(testcases)
    start, cpu = time.perf_counter(), time.process_time()
    coder = OccupationCoder(load_catalogue(csco)).fit(titles, codes)
    build, build_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    coder.predict(titles)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"build on all {len(titles)} titles: {build:.1f} s ({build_cpu:.1f} s CPU)")
    print(
        f"predict {len(titles)} titles: {len(titles) / wall:,.0f} titles/s "
        f"({len(titles) / cpu:,.0f} titles per CPU second)"
    )
