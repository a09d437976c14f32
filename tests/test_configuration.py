"""Outside development the service refuses to start with the development secret; cookies are hardened."""

import pytest

from app import create_app
from app.config import DEVELOPMENT_SECRET

SQLITE = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}


@pytest.mark.parametrize("secret", [DEVELOPMENT_SECRET, "", "short"])
def test_production_refuses_a_missing_or_development_secret(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({**SQLITE, "JIANXI_ENV": "production", "SECRET_KEY": secret})


def test_production_starts_with_its_own_secret_and_development_with_the_default():
    own = create_app({**SQLITE, "JIANXI_ENV": "production", "SECRET_KEY": "x" * 64})
    assert own.config["SESSION_COOKIE_HTTPONLY"] and own.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert create_app({**SQLITE, "JIANXI_ENV": "development"}).config["SECRET_KEY"]


def test_a_server_database_means_production(monkeypatch):
    from app import config

    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://db.example/jianxi")
    monkeypatch.delenv("JIANXI_ENV", raising=False)
    assert config._environment() == "production"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///instance/jianxi.db")
    assert config._environment() == "development"
