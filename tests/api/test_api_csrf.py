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


def test_a_cross_site_form_cannot_write_through_the_api_with_the_session_cookie(csrf_client, ctx):
    UserFactory(username="cookie_office", role="office")
    page = csrf_client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    logged_in = csrf_client.post(
        "/login", data={"username": "cookie_office", "password": PASSWORD, "csrf_token": token}
    )
    assert logged_in.status_code == 302
    forged = csrf_client.post("/api/v1/programs", data={"key": "forged"})
    assert forged.status_code == 403 and "X-CSRFToken" in forged.json["errors"]
    with_token = csrf_client.post(
        "/api/v1/programs", json={"key": "x"}, headers={"X-CSRFToken": token}
    )
    assert with_token.status_code == 422  # past the CSRF check, on to validating the body
