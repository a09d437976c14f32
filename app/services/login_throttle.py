"""Per-account login throttling (ASVS V2.2.1): after five failed logins in a row for a username,
further attempts wait 30 s, then twice as long after each new failure, up to an hour.

The count is kept per attempted username in the database, so every process and server sees it,
and for names without an account too, so a lockout does not reveal which accounts exist.
"""

import datetime as dt
import math

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from app.errors import TooManyRequests
from app.extensions import db
from app.models import LoginThrottle
from app.models.base import utcnow

FAILURES_BEFORE_LOCK = 5
FIRST_LOCK_SECONDS = 30
LONGEST_LOCK_SECONDS = 3600


def _key(username: str) -> str:
    return username.strip().casefold()[:80]


def lock_seconds(failures: int) -> int:
    """How long a username is locked after this many failures in a row (0: not locked)."""
    if failures < FAILURES_BEFORE_LOCK:
        return 0
    return min(FIRST_LOCK_SECONDS * 2 ** (failures - FAILURES_BEFORE_LOCK), LONGEST_LOCK_SECONDS)


def refuse_if_locked(username: str) -> None:
    """Raise 429 with the seconds to wait while the username is locked."""
    row = db.session.get(LoginThrottle, _key(username))
    if row is None or row.locked_until is None:
        return
    wait = (row.locked_until - utcnow()).total_seconds()
    if wait > 0:
        minutes = math.ceil(wait / 60)
        raise TooManyRequests(
            f"登录失败次数过多，请 {minutes} 分钟后再试 / too many failed logins: "
            f"try again in {minutes} min",
            retry_after=math.ceil(wait),
            field="username",
        )


def record_failure(username: str) -> int:
    """Count one more failed login for the username (atomically); the failures in a row now."""
    key = _key(username)
    bumped = db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == key)
        .values(failures=LoginThrottle.failures + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not bumped:
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(username=key, failures=1))
        except IntegrityError:  # another process inserted it first
            return record_failure(username)
    row = db.session.get(LoginThrottle, key, populate_existing=True)
    if seconds := lock_seconds(row.failures):
        row.locked_until = utcnow() + dt.timedelta(seconds=seconds)
    return row.failures


def clear(username: str) -> None:
    """Forget the failures of a username after a successful login."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == _key(username)))
