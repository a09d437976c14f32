"""The exposure cap on live candidate lists: the same few people are not shown to every employer.

The match report caps how many post lists one seeker appears in (``matching.diversity``);
the candidates API and page apply the same rule. For the posting's district, the top-k
lists of every open post are filled with the cap (:func:`cap_exposure` through the
ranker's batch function) and remembered until the district's open posts, the seeker index
or the model change, or for ``EXPOSURE_MAX_AGE`` seconds at most; a seeker who already
fills ``MAX_LISTS`` lists of *other* posts there is left out of this post's list.
One district's posts are a few hundred at most, so a refresh is one batch of that size.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Posting
from app.services import bridge

LIST_LENGTH = 10
"""The lists the cap counts: each open post's top 10, as in the match report's default."""
MAX_LISTS = 3
"""A seeker appears in at most this many lists of a district (the match report's default)."""


@dataclass
class _Lists:
    """The capped lists of one district's open posts, what they were made from, and when."""

    lists: dict[str, list[str]]
    counts: Counter[str]
    made_from: tuple
    made_at: float


_lock = threading.Lock()


def _cache() -> dict[str | None, _Lists]:
    return current_app.extensions.setdefault("jianxi.exposure", {})


def _district_lists(district: str | None) -> _Lists:
    """The district's capped lists, made again when its open posts, the index or the model change."""
    from app.services.recommendations import ranker, seeker_index

    model, index = ranker(), seeker_index()
    where = (
        Posting.status == "published",
        Posting.slots_filled < Posting.slots,
        Posting.district_code == district if district else Posting.district_code.is_(None),
    )
    ids = tuple(db.session.scalars(select(Posting.id).where(*where).order_by(Posting.id)))
    made_from = (model.model_version, id(index), ids)
    with _lock:
        found = _cache().get(district)
        if (
            found is not None
            and found.made_from == made_from
            and time.monotonic() - found.made_at < _max_age()
        ):
            return found
    posts = db.session.scalars(select(Posting).where(*where).order_by(Posting.id))
    capped = model.top_seekers_for_postings(
        [bridge.posting_profile(p) for p in posts], index, k=LIST_LENGTH, max_lists=MAX_LISTS
    )
    lists = {pid: [s for s, _ in ranked] for pid, ranked in capped.items()}
    counts = Counter(s for ranked in lists.values() for s in ranked)
    made = _Lists(lists, counts, made_from, time.monotonic())
    with _lock:
        _cache()[district] = made
    return made


def _max_age() -> float:
    return float(current_app.config.get("EXPOSURE_MAX_AGE", 600))


def held_elsewhere(posting: Posting) -> set[str]:
    """Seekers who already fill ``MAX_LISTS`` lists of other open posts in the posting's district."""
    made = _district_lists(posting.district_code)
    own = set(made.lists.get(str(posting.id), []))
    return {s for s, n in made.counts.items() if n >= MAX_LISTS and s not in own}
