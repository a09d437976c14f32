"""Database unreachable → 503 with Retry-After and the one error shape, not a 500 (issue 18)."""

import pytest

from app import create_app
from app.config import TestConfig
from app.extensions import db

UNREACHABLE = [
    "postgresql+psycopg://postgres@127.0.0.1:1/jianxi?connect_timeout=2",
    "sqlite:////nonexistent-directory/jianxi.db",
]


@pytest.fixture(params=UNREACHABLE, ids=["postgresql", "sqlite"])
def down(request):
    """A client of an app whose database cannot be reached."""
    config = type("DownConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": request.param})
    application = create_app(config)
    yield application.test_client()
    with application.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("path", ["/api/v1/postings", "/api/v1/programs/1"])
def test_api_answers_503_with_retry_after(down, path):
    response = down.get(path)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.json["code"] == 503 and response.json["status"] == "Service Unavailable"
    assert response.json["message"]


def test_a_login_answers_503_too(down):
    response = down.post("/api/v1/auth/token", json={"username": "x", "password": "y" * 12})
    assert response.status_code == 503 and "Retry-After" in response.headers


def test_pages_answer_503_with_retry_after(down):
    response = down.get("/listings")
    assert response.status_code == 503
    assert "Retry-After" in response.headers
