"""The service's RQ worker: ``rq worker -w app.worker.Worker jianxi``.

RQ forks a work horse for every job. This worker builds the app, the seeker and posting
indexes, the occupation coder and the score kernels once, before its first job, as
gunicorn's master does before forking the web workers: every horse starts with them (shared
copy-on-write) and only brings them up to date from the database, instead of building them
again for each job (about 20 s at 200,000 seekers). ``JIANXI_PREBUILD=0`` turns this off.
"""

import gc
import logging
import os

from rq import Worker as RQWorker

from app import create_app, jobs

log = logging.getLogger("jianxi.worker")


class Worker(RQWorker):
    """An RQ worker whose jobs run in one app built, with its indexes, before they fork."""

    def work(self, *args, **kwargs) -> bool:
        """Prebuild the app once, then work as RQ does."""
        if os.environ.get("JIANXI_PREBUILD", "1") == "1" and jobs.prepared_app() is None:
            from app.services.recommendations import prebuild

            app = create_app()
            log.info("prebuilt before the jobs: %s", prebuild(app))
            gc.freeze()  # the horses' collectors never walk (and copy) the shared indexes
            jobs.use_app(app)
        return super().work(*args, **kwargs)
