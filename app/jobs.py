"""Background work: enqueue on RQ when ``REDIS_URL`` is set, otherwise run inline in this process.

A target is named ``"module:function"`` and takes plain arguments (ids), so the worker can
rebuild everything from the database. The worker pushes the app it built before forking
(:mod:`app.worker`), or else one from ``create_app()``; the embedded default (no Redis)
simply calls the function now.
"""

import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import Queue

from app import create_app

log = logging.getLogger("jianxi.jobs")

_prepared: Flask | None = None


def _resolve(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def background_name(name: str) -> str:
    """The queue of upkeep jobs beside queue ``name``: a worker takes them when ``name`` is empty."""
    return f"{name}-background"


def queue(background: bool = False) -> Queue | None:
    """The RQ queue of this app (or its upkeep queue), or None when no Redis is configured."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    name = current_app.config["RQ_QUEUE"]
    return Queue(background_name(name) if background else name, connection=Redis.from_url(url))


def submit(target: str, *args: Any, background: bool = False) -> str | None:
    """Run ``target(*args)`` on a worker when Redis is configured, else now; return the RQ job id.

    ``background`` jobs (upkeep nobody waits for) go to the upkeep queue, which a worker
    takes only when the main queue is empty.
    """
    jobs = queue(background)
    if jobs is not None:
        try:
            job = jobs.enqueue(
                perform, target, *args, job_timeout=current_app.config["RQ_JOB_TIMEOUT"]
            )
            return job.id
        except RedisConnectionError:
            log.warning("Redis unreachable; running %s inline", target)
    _resolve(target)(*args)
    return None


def use_app(app: Flask) -> None:
    """Run every later job in ``app``: the one a worker built, with its indexes, before forking."""
    global _prepared
    _prepared = app


def prepared_app() -> Flask | None:
    """The app jobs run in when the worker built one before forking (:mod:`app.worker`)."""
    return _prepared


def perform(target: str, *args: Any) -> None:
    """Worker entry point: push the worker's prebuilt app (else a new one) and run the target."""
    app = _prepared or create_app()
    with app.app_context():
        _resolve(target)(*args)
