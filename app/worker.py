"""The service's RQ worker: ``rq worker -w app.worker.Worker jianxi``.

RQ forks a work horse for every job. This worker builds the app, the seeker and posting
indexes, the occupation coder and the score kernels once, before its first job, as
gunicorn's master does before forking the web workers: every horse starts with them (shared
copy-on-write) and only brings them up to date from the database, instead of building them
again for each job (about 20 s at 200,000 seekers). It then queues the exposure lists of
every district whose lists are missing or out of date (:mod:`app.services.exposure`), so
that employers' candidate pages find them. ``JIANXI_PREBUILD=0`` turns this off.
"""

import gc
import logging
import os

from rq import Queue
from rq import Worker as RQWorker

from app import create_app, jobs
from app.extensions import db
from app.services import exposure

log = logging.getLogger("jianxi.worker")


class QuickStop:
    """An RQ worker whose pub/sub thread (remote commands) ends within a second when it stops.

    RQ starts it with a 60 s poll, and redis-py's thread can sit that long waiting for its
    subscription to be confirmed: a worker stopped (``systemctl stop``, or ``--burst`` when its
    queues are empty) then took up to a minute to exit.
    """

    def subscribe(self) -> None:
        """Subscribe to this worker's command channel, polled every second."""
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
        )


class Worker(QuickStop, RQWorker):
    """An RQ worker whose jobs run in one app built, with its indexes, before they fork.

    It also takes the upkeep queue of its first queue (``jianxi-background`` beside
    ``jianxi``), after the queues it was given: an office's report never waits behind upkeep.
    """

    def __init__(self, queues, *args, **kwargs) -> None:
        given = [queues] if isinstance(queues, (str, Queue)) else list(queues)
        first = given[0] if isinstance(given[0], str) else given[0].name
        super().__init__([*given, jobs.background_name(first)], *args, **kwargs)

    def work(self, *args, **kwargs) -> bool:
        """Prebuild the app once, then work as RQ does."""
        if os.environ.get("JIANXI_PREBUILD", "1") == "1" and jobs.prepared_app() is None:
            from app.services.recommendations import prebuild

            app = create_app()
            log.info("prebuilt before the jobs: %s", prebuild(app))
            gc.freeze()  # the horses' collectors never walk (and copy) the shared indexes
            jobs.use_app(app)
            with app.app_context():
                log.info("exposure lists queued for %d districts", exposure.refresh_all_later())
                db.session.remove()
                db.engine.dispose()
        return super().work(*args, **kwargs)
