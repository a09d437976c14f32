"""Configuration classes; environment variables override the defaults."""

import datetime as dt
import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parents[1] / "instance"
DEVELOPMENT_SECRET = "dev-only-change-me"


def _flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment."""
    value = os.environ.get(name)
    return default if value is None else value.lower() in ("1", "true", "yes", "on")


def _environment() -> str:
    """``JIANXI_ENV``; without it, a server database means production and the embedded SQLite development."""
    if "JIANXI_ENV" in os.environ:
        return os.environ["JIANXI_ENV"]
    url = os.environ.get("DATABASE_URL", "sqlite")
    return "development" if url.startswith("sqlite") else "production"


class Config:
    """Defaults for running the service: embedded SQLite, no Redis."""

    JIANXI_ENV = _environment()
    # Signs sessions and API tokens: outside development the app refuses to start without one
    # of its own (create_app), since anyone could sign an admin token with the default.
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET)
    # Fernet keys sealing secrets at rest (app/sealing.py); empty: derived from SECRET_KEY.
    DATA_ENCRYPTION_KEYS = [
        key.strip() for key in os.environ.get("DATA_ENCRYPTION_KEYS", "").split(",") if key.strip()
    ]
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", JIANXI_ENV == "production")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = dt.timedelta(days=int(os.environ.get("REMEMBER_DAYS", 14)))
    # Office and admin staff must enrol a TOTP second factor before any office page or token.
    STAFF_TOTP_REQUIRED = _flag("STAFF_TOTP_REQUIRED", JIANXI_ENV == "production")
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", 30))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", 12))
    # No request of this service carries more than a posting or a people file.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024))
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'jianxi.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "jianxi")
    RQ_JOB_TIMEOUT = int(os.environ.get("RQ_JOB_TIMEOUT", 3600))
    API_TITLE = "Jianxi 见习 API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_REDOC_PATH = "docs"
    OPENAPI_REDOC_URL = "/static/vendor/redoc/redoc.standalone.js"
    API_SPEC_OPTIONS = {
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
        "info": {
            "description": "Job matching and traineeship placement for Chongqing employment offices."
        },
    }
    TOKEN_MAX_AGE_SECONDS = int(os.environ.get("TOKEN_MAX_AGE_SECONDS", 12 * 3600))
    # The occupation coder learns offices' checks when rebuilt; a process rebuilds it (about
    # 3.5 s) at most this often. Until then a checked title is coded as checked all the same.
    OCCUPATION_CODER_MAX_AGE = int(os.environ.get("OCCUPATION_CODER_MAX_AGE", 600))
    # A district's exposure-capped candidate lists are made again when its open posts or the
    # model change, or after this many seconds; with Redis the worker makes them while pages
    # use the last ones (app/services/exposure.py).
    EXPOSURE_MAX_AGE = int(os.environ.get("EXPOSURE_MAX_AGE", 600))
    # Written by ``flask occupations train-encoder``; when it is there (and the encoder extra
    # is installed) the coder blends the fine-tuned encoder into its scores.
    OCCUPATION_ENCODER_PATH = os.environ.get(
        "OCCUPATION_ENCODER_PATH", str(INSTANCE_DIR / "occupation_encoder.pt")
    )
    # A process's ranking indexes drop rows deleted from the database at most this long after.
    INDEX_PRUNE_SECONDS = int(os.environ.get("INDEX_PRUNE_SECONDS", 60))
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_SUPPORTED_LOCALES = ("zh_CN", "en")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    # Reverse proxies in front of the service (1 for the nginx site in deploy/): the client's
    # address (rate limits, audit) and scheme come from their X-Forwarded-* headers, and from
    # nobody else's. 0: the peer's address is the client's.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    # Requests per client address; a load test from one address raises it (bench/load.py).
    RATELIMIT_DEFAULT = os.environ.get("RATELIMIT_DEFAULT", "600 per minute")
    JSON_SORT_KEYS = False
    MAX_PAGE_SIZE = 100
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "jianxi@localhost")
    # Where ``flask notify deliver`` sends the outbox: console or file (development), email
    # (SMTP with the MAIL_* settings), sms (POST to an HTTP gateway), memory (tests).
    NOTIFY_CHANNEL = os.environ.get("NOTIFY_CHANNEL", "console")
    NOTIFY_FILE = os.environ.get("NOTIFY_FILE", str(INSTANCE_DIR / "outbox.jsonl"))
    NOTIFY_SMS_URL = os.environ.get("NOTIFY_SMS_URL")
    NOTIFY_SMS_TOKEN = os.environ.get("NOTIFY_SMS_TOKEN")
    NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", 5))
    # How many candidates an employer may invite to apply per day (Chongqing time).
    INVITES_PER_DAY = int(os.environ.get("INVITES_PER_DAY", 20))


class TestConfig(Config):
    """Settings for the test suite: database from TEST_DATABASE_URL, CSRF off for form posts."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    STAFF_TOTP_REQUIRED = False
    RATELIMIT_ENABLED = False
    OCCUPATION_CODER_MAX_AGE = 0
    OCCUPATION_ENCODER_PATH = None
    NOTIFY_CHANNEL = "memory"
