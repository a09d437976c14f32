"""Gunicorn settings for Jianxi: ``gunicorn -c gunicorn.conf.py wsgi:app`` (see docs/deployment.md).

Each setting can be overridden from the environment (``GUNICORN_WORKERS=4`` …). The app is
loaded once in the master (``preload_app``) and, before the workers fork, the master builds
the seeker and posting indexes and the occupation coder, so every worker starts with them
(shared copy-on-write) instead of building its own on its first request.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Concurrency from processes, one thread each: under 50 users with several threads per worker
# the workers died of SIGSEGV on CPython 3.11.7 (bench/load.py; bench/threads.py crashes it in
# one process, not CPython 3.12; docs/deployment.md), with one thread each none did. The
# indexes are shared by all of them.
workers = int(os.environ.get("GUNICORN_WORKERS", 4))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A request slower than this is killed and logged; long work (match reports) runs on RQ.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a fresh fork of the preloaded master is cheap).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Trust X-Forwarded-Proto only from the reverse proxy (nginx on the same host by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access log without personal data: no client address, no query string (searches and ids
# travel there), no referrer; method, path, status, bytes, milliseconds and the user agent.
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Refuse request lines and headers far beyond what the pages send.
limit_request_line = 8190
limit_request_fields = 100


def when_ready(server):
    """In the master, after loading the app and before forking: build what workers share."""
    if not preload_app or os.environ.get("JIANXI_PREBUILD", "1") != "1":
        return
    from app.services.recommendations import prebuild
    from wsgi import app

    server.log.info("prebuilt before fork: %s", prebuild(app))
    # Millions of index objects are shared copy-on-write from here: frozen, the workers'
    # collector never walks them (a full pass took 0.7 s at 200,000 seekers and wrote to
    # every page it touched, so each worker ended up with its own copy).
    gc.freeze()
    server.log.info("%d objects frozen before fork", gc.get_freeze_count())


def post_fork(server, worker):
    """A forked worker opens its own database connections (never the master's)."""
    from app.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
