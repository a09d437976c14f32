"""Spread exposure across seekers in batch reports for an employment office.

A strong profile can top hundreds of postings' lists, so a batch report would send every
employer the same few people while similar seekers are never shown. :func:`cap_exposure`
fills the top-k lists position by position: at each position, postings whose next best
candidate scores highest choose first, and a seeker already placed in ``max_lists``
lists is skipped in favour of the posting's next candidate. Each list keeps its own
order; lists need more than k candidates for this to have room to work.
"""

from collections import Counter
from collections.abc import Mapping, Sequence


def cap_exposure(
    candidates: Mapping[str, Sequence[tuple[str, float]]], k: int = 10, max_lists: int = 3
) -> dict[str, list[tuple[str, float]]]:
    """Cut ranked candidate lists to k, letting no seeker appear in more than max_lists lists."""
    shown: Counter[str] = Counter()
    cursor = dict.fromkeys(candidates, 0)
    out: dict[str, list[tuple[str, float]]] = {posting: [] for posting in candidates}
    for _ in range(k):
        heads = []
        for posting, ranked in candidates.items():
            i = cursor[posting]
            while i < len(ranked) and shown[ranked[i][0]] >= max_lists:
                i += 1
            cursor[posting] = i
            if i < len(ranked) and len(out[posting]) < k:
                heads.append((-ranked[i][1], posting))
        for _, posting in sorted(heads):
            ranked = candidates[posting]
            i = cursor[posting]
            while i < len(ranked) and shown[ranked[i][0]] >= max_lists:
                i += 1
            if i < len(ranked):
                out[posting].append(ranked[i])
                shown[ranked[i][0]] += 1
                cursor[posting] = i + 1
    return out
