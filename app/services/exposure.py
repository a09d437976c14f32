"""The exposure cap on live candidate lists: the same few people are not shown to every employer.

The match report caps how many post lists one seeker appears in (``matching.diversity``);
the candidates API and page apply the same rule. For the posting's district, the top-k
lists of every open post are filled with the cap (:func:`cap_exposure` through the
ranker's batch function); a seeker who already fills ``MAX_LISTS`` lists of *other* posts
there is left out of this post's list.

The lists of a district are made once for the whole service, not in every process: with
Redis (``REDIS_URL``) they are kept there, for every web process and worker, and made by the
RQ worker; without Redis (the embedded default) they are made and kept in the process. A
page uses the newest complete lists. When they no longer match the district's open posts
or the model, or are older than ``EXPOSURE_MAX_AGE`` seconds, the page still uses them and
one refresh per district is queued on the worker's upkeep queue (:func:`refresh`). A district that has no lists yet
(the worker makes every district's at its start, :func:`refresh_all_later`) is shown
uncapped and says so, rather than keep a web process busy for seconds while other
people's requests wait behind it. Should no worker be running, or Redis be down, the
request makes the lists itself, as without Redis.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from flask import current_app
from redis import Redis
from redis.exceptions import LockError, RedisError
from sqlalchemy import select

from app.extensions import db
from app.models import Posting
from app.services import bridge

log = logging.getLogger("jianxi.exposure")

LIST_LENGTH = 10
"""The lists the cap counts: each open post's top 10, as in the match report's default."""
MAX_LISTS = 3
"""A seeker appears in at most this many lists of a district (the match report's default)."""
MAKE_WAIT_SECONDS = 50
"""How long a request waits for another process making its district's first lists (gunicorn's
timeout is 60 s); after that it makes them itself."""


@dataclass(frozen=True)
class DistrictLists:
    """The capped lists of one district's open posts, what they were made from, and when (epoch s)."""

    lists: dict[str, list[str]]
    made_from: str
    made_at: float

    @cached_property
    def counts(self) -> Counter[str]:
        """How many lists each seeker appears in."""
        return Counter(s for ranked in self.lists.values() for s in ranked)

    def to_json(self) -> str:
        """The lists as stored in Redis."""
        return json.dumps(
            {"lists": self.lists, "made_from": self.made_from, "made_at": self.made_at}
        )

    @classmethod
    def from_json(cls, raw: bytes | str) -> DistrictLists:
        """Lists read back from Redis."""
        data = json.loads(raw)
        return cls(data["lists"], data["made_from"], data["made_at"])


@dataclass(frozen=True)
class Held:
    """Who the cap keeps out of one post's list, and when the lists it used were made."""

    seekers: set[str]
    made_at: float | None
    """None: the district's lists are still being made, and nobody is held out."""


class _ProcessStore:
    """Lists kept in this process (no Redis): out-of-date lists are made again in the request."""

    def __init__(self) -> None:
        self._lists: dict[str | None, DistrictLists] = {}
        self._lock = threading.Lock()

    def get(self, district: str | None) -> DistrictLists | None:
        return self._lists.get(district)

    def put(self, district: str | None, made: DistrictLists) -> None:
        self._lists[district] = made

    @contextmanager
    def making(self, district: str | None) -> Iterator[None]:
        with self._lock:
            yield

    def worker_running(self) -> bool:
        return False

    def refresh_later(self, district: str | None) -> None:
        """Nothing is queued without Redis: the request makes the lists."""

    def refreshed(self, district: str | None) -> None:
        """Nothing is queued without Redis."""


class _RedisStore:
    """Lists kept in Redis for every process; refreshes go to the RQ worker, one per district."""

    def __init__(self, url: str, queue: str) -> None:
        self.redis = Redis.from_url(url)
        self.queue = queue
        self.prefix = f"jianxi:{queue}"

    def _key(self, district: str | None, part: str = "") -> str:
        return f"{self.prefix}:exposure:{district or '-'}{part}"

    def get(self, district: str | None) -> DistrictLists | None:
        raw = self.redis.get(self._key(district))
        return DistrictLists.from_json(raw) if raw else None

    def put(self, district: str | None, made: DistrictLists) -> None:
        # A district nobody looks at for a week leaves Redis (the worker makes it again at start).
        self.redis.set(self._key(district), made.to_json(), ex=7 * 86_400)

    @contextmanager
    def making(self, district: str | None) -> Iterator[None]:
        lock = self.redis.lock(
            self._key(district, ":making"), timeout=600, blocking_timeout=MAKE_WAIT_SECONDS
        )
        try:
            held = lock.acquire()
        except LockError:
            held = False
        try:
            yield
        finally:
            if held:
                try:
                    lock.release()
                except LockError:
                    log.warning("exposure lists of district %s: the lock had expired", district)

    def worker_running(self) -> bool:
        from rq import Queue, Worker

        from app.jobs import background_name

        upkeep = Queue(background_name(self.queue), connection=self.redis)
        return Worker.count(connection=self.redis, queue=upkeep) > 0

    def refresh_later(self, district: str | None) -> None:
        from app import jobs

        if self.redis.set(self._key(district, ":queued"), 1, nx=True, ex=600):
            jobs.submit("app.services.exposure:refresh", district, background=True)

    def refreshed(self, district: str | None) -> None:
        self.redis.delete(self._key(district, ":queued"))


def _store() -> _ProcessStore | _RedisStore:
    """The store of this app: Redis when configured, else the process."""
    url = current_app.config.get("REDIS_URL")
    key = (url, current_app.config["RQ_QUEUE"])
    stores = current_app.extensions.setdefault("jianxi.exposure", {})
    if key not in stores:
        stores[key] = _RedisStore(url, key[1]) if url else _ProcessStore()
    return stores[key]


def _fallback() -> _ProcessStore:
    """The process's own store, used while Redis cannot be reached."""
    return current_app.extensions.setdefault("jianxi.exposure.fallback", _ProcessStore())


def _open_in(district: str | None) -> tuple:
    return (
        Posting.status == "published",
        Posting.slots_filled < Posting.slots,
        Posting.district_code == district if district else Posting.district_code.is_(None),
    )


def _fingerprint(ids: Iterable[int]) -> str:
    """What a district's lists depend on: the model's version and the ids of its open posts."""
    from app.services.recommendations import ranker

    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:16]
    return f"{ranker().model_version}:{digest}"


def _made_from(district: str | None) -> str:
    """The fingerprint the district's lists would have if made now."""
    return _fingerprint(
        db.session.scalars(select(Posting.id).where(*_open_in(district)).order_by(Posting.id))
    )


def _make(district: str | None) -> DistrictLists:
    """Rank every open post of the district with the cap, now."""
    from app.services.recommendations import ranker, seeker_index

    start = time.perf_counter()
    posts = db.session.scalars(
        select(Posting).where(*_open_in(district)).order_by(Posting.id)
    ).all()
    made_from = _fingerprint(p.id for p in posts)
    capped = ranker().top_seekers_for_postings(
        [bridge.posting_profile(p) for p in posts],
        seeker_index(),
        k=LIST_LENGTH,
        max_lists=MAX_LISTS,
    )
    lists = {pid: [s for s, _ in ranked] for pid, ranked in capped.items()}
    log.info(
        "exposure lists of district %s: %d open posts ranked in %.1f s",
        district or "none",
        len(lists),
        time.perf_counter() - start,
    )
    return DistrictLists(lists, made_from, time.time())


def _current(made: DistrictLists | None, made_from: str) -> bool:
    max_age = current_app.config["EXPOSURE_MAX_AGE"]
    return made is not None and made.made_from == made_from and time.time() - made.made_at < max_age


def _lists_from(store: _ProcessStore | _RedisStore, district: str | None) -> DistrictLists | None:
    made_from = _made_from(district)
    found = store.get(district)
    if _current(found, made_from):
        return found
    if store.worker_running():
        store.refresh_later(district)
        return found
    with store.making(district):
        found = store.get(district)
        if _current(found, made_from):
            return found
        made = _make(district)
        store.put(district, made)
        return made


def district_lists(district: str | None) -> DistrictLists | None:
    """The newest complete lists of the district; None while the worker makes its first ones."""
    store = _store()
    try:
        return _lists_from(store, district)
    except RedisError as error:
        log.warning("Redis unreachable (%s); exposure lists made in this process", error)
        return _lists_from(_fallback(), district)


def refresh(district: str | None) -> None:
    """Make the district's lists again and store them (the RQ job queued by a page)."""
    store = _store()
    try:
        with store.making(district):
            store.put(district, _make(district))
    finally:
        store.refreshed(district)


def refresh_all_later() -> int:
    """Queue a refresh of every district with open posts whose lists are missing or out of date."""
    store = _store()
    districts = db.session.scalars(
        select(Posting.district_code)
        .where(Posting.status == "published", Posting.slots_filled < Posting.slots)
        .distinct()
    ).all()
    stale = [d for d in districts if not _current(store.get(d), _made_from(d))]
    for district in stale:
        store.refresh_later(district)
    return len(stale)


def held_elsewhere(posting: Posting) -> Held:
    """Seekers who already fill ``MAX_LISTS`` lists of other open posts in the posting's district."""
    made = district_lists(posting.district_code)
    if made is None:
        return Held(set(), None)
    own = set(made.lists.get(str(posting.id), []))
    return Held(
        {s for s, n in made.counts.items() if n >= MAX_LISTS and s not in own}, made.made_at
    )
