"""WSGI entry point: ``flask --app wsgi run`` or ``gunicorn -c gunicorn.conf.py wsgi:app``.

Behind a reverse proxy set ``TRUSTED_PROXIES`` to the number of proxies in front (1 for the
nginx site in deploy/): the client's address (rate limits) and scheme are then read from
their ``X-Forwarded-*`` headers, and from nobody else's.
"""

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app
from app.config import INSTANCE_DIR

INSTANCE_DIR.mkdir(exist_ok=True)  # home of the embedded SQLite database
app = create_app()
if proxies := int(os.environ.get("TRUSTED_PROXIES", "0")):
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
