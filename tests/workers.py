"""An RQ worker for tests: it runs the queued jobs in the test process and stops at once."""

from rq import SimpleWorker

from app.worker import QuickStop


class InProcessWorker(QuickStop, SimpleWorker):
    """RQ's worker without forking, whose stop does not wait on RQ's 60 s pub/sub poll."""
