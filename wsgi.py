"""WSGI entry point: ``flask --app wsgi run`` or ``gunicorn -c gunicorn.conf.py wsgi:app``.

Behind a reverse proxy set ``TRUSTED_PROXIES`` (app/config.py) to the number of proxies in front.
"""

from app import create_app
from app.config import INSTANCE_DIR

INSTANCE_DIR.mkdir(exist_ok=True)  # home of the embedded SQLite database
app = create_app()
