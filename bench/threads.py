"""Does this Python survive several threads serving pages in one process? (issue 23)

``DATABASE_URL=sqlite:///path/to/demo.db python bench/threads.py [--threads 8] [--seconds 90]
[--gc-threshold 200] [--no-prebuild]``

Builds the app on a database holding the demo data (``flask seed demo``), optionally builds
the ranking indexes and the occupation coder as gunicorn's master does, then runs
``--threads`` threads each requesting the home page and listing searches through the test
client for ``--seconds``. A low ``--gc-threshold`` makes the cycle collector run often (the
crashes seen under gunicorn with several threads per worker happened while it ran). It
prints the requests served, or the process dies of SIGSEGV and the fault handler prints
every thread's stack. The result decides ``GUNICORN_THREADS`` (docs/deployment.md).
"""

import argparse
import faulthandler
import gc
import os
import sys
import threading
import time
from pathlib import Path

URLS = ["/", "/listings?q=会计", "/listings?q=仓库", "/listings", "/listings?q=销售"]


def serve(app, seconds: float, threads: int) -> tuple[int, int]:
    """Requests served and failed by ``threads`` threads within ``seconds``."""
    served, failed = [0], [0]
    end = time.monotonic() + seconds

    def run(n: int) -> None:
        client = app.test_client()
        while time.monotonic() < end:
            response = client.get(URLS[n % len(URLS)])
            served[0] += 1
            failed[0] += response.status_code != 200
            n += 1

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return served[0], failed[0]


def main() -> None:
    """Run the threads and print what they served."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--gc-threshold", type=int, default=200)
    parser.add_argument("--no-prebuild", action="store_true")
    args = parser.parse_args()
    faulthandler.enable()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("RATELIMIT_DEFAULT", "10000000 per minute")
    from wsgi import app

    if not args.no_prebuild:
        from app.services.recommendations import prebuild

        print("prebuilt:", prebuild(app), flush=True)
    gc.set_threshold(args.gc_threshold, 2, 2)
    print(
        f"Python {sys.version.split()[0]}, {args.threads} threads, {args.seconds:.0f} s", flush=True
    )
    served, failed = serve(app, args.seconds, args.threads)
    print(f"survived: {served} requests, {failed} not 200", flush=True)


if __name__ == "__main__":
    main()
