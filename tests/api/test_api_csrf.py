"""With CSRF protection on (as in production), the bearer-token API still works; forms still need the token."""

from app.services.rulebooks import default_files, load_files
from tests.factories import PASSWORD, UserFactory


def test_api_login_and_writes_need_no_csrf_token(csrf_client, ctx):
    UserFactory(username="csrf_user", role="office")
    load_files(default_files())
    response = csrf_client.post(
        "/api/v1/auth/token", json={"username": "csrf_user", "password": PASSWORD}
    )
    assert response.status_code == 200, response.json
    headers = {"Authorization": f"Bearer {response.json['token']}"}
    body = {
        "key": "csrf-check",
        "name": "CSRF 检查计划",
        "district_code": "500156",
        "kind": "enterprise",
        "quota": 1,
        "monthly_rate": 1300,
        "rulebook": "wulong-2023.toml",
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
    }
    assert csrf_client.post("/api/v1/programs", json=body, headers=headers).status_code == 201


def test_page_forms_still_refuse_a_post_without_csrf_token(csrf_client):
    assert csrf_client.post("/login", data={"username": "x", "password": "y"}).status_code == 400
