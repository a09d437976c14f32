"""WSGI entry point: ``flask --app wsgi run`` or ``gunicorn wsgi:app``."""

from app import create_app
from app.config import INSTANCE_DIR

INSTANCE_DIR.mkdir(exist_ok=True)  # home of the embedded SQLite database
app = create_app()
