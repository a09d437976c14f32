"""Quality measures for rankings and occupation coding."""

from collections.abc import Sequence

import numpy as np

CODE_LEVELS = {"中类": 4, "小类": 7, "细类": 10}
"""Prefix length of a CSCO code such as ``2-02-10-03`` at each level of the classification."""


def dcg_at_k(gains: Sequence[float], k: int) -> float:
    """Discounted cumulative gain of the first k gains, in ranked order."""
    g = np.asarray(gains[:k], dtype=float)
    if g.size == 0:
        return 0.0
    return float(np.sum((2.0**g - 1.0) / np.log2(np.arange(2, g.size + 2))))


def ndcg_at_k(ranked_gains: Sequence[float], all_gains: Sequence[float], k: int = 10) -> float:
    """nDCG@k: DCG of the ranking divided by the DCG of the ideal ordering of all gains."""
    ideal = dcg_at_k(sorted(all_gains, reverse=True), k)
    return dcg_at_k(ranked_gains, k) / ideal if ideal > 0 else 0.0


def precision_at_k(ranked_relevant: Sequence[bool], k: int = 10) -> float:
    """Share of the first k ranked items that are relevant."""
    top = list(ranked_relevant[:k])
    return sum(bool(x) for x in top) / k if k else 0.0


def code_stem(code: str) -> str:
    """A CSCO code without its trailing ``-00`` parts: ``2-08-99-00`` → ``2-08-99``."""
    while code.endswith("-00"):
        code = code[:-3]
    return code


def code_agrees(predicted: str, expected: str, level: str) -> bool:
    """Whether two CSCO codes agree down to the given level.

    Labels that stop above the level (``2-02-00-00`` at 细类) are compared at the deepest
    level they carry, so a coarse label is not counted against a finer prediction.
    """
    exp = code_stem(expected[: CODE_LEVELS[level]])
    return predicted[: len(exp)] == exp


def accuracy_by_level(predicted: Sequence[str], expected: Sequence[str]) -> dict[str, float]:
    """Accuracy of predicted codes at 中类, 小类 and 细类 level."""
    pairs = [(p, e) for p, e in zip(predicted, expected, strict=True) if e]
    if not pairs:
        return {level: 0.0 for level in CODE_LEVELS}
    return {
        level: sum(code_agrees(p, e, level) for p, e in pairs) / len(pairs) for level in CODE_LEVELS
    }
