"""API fixtures: users of every role and their bearer-token headers."""

import pytest

from tests.factories import PASSWORD, EmployerFactory, SeekerFactory, UserFactory


def token_headers(client, username: str) -> dict[str, str]:
    """Log in through the API and return the Authorization header."""
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


@pytest.fixture
def employer_a(ctx):
    return EmployerFactory(name="武隆甲科技有限公司", district_code="500156")


@pytest.fixture
def employer_b(ctx):
    return EmployerFactory(name="北碚乙制造有限公司", district_code="500109")


@pytest.fixture
def as_employer_a(client, employer_a):
    UserFactory(username="emp_a", role="employer", employer_id=employer_a.id)
    return token_headers(client, "emp_a")


@pytest.fixture
def as_employer_b(client, employer_b):
    UserFactory(username="emp_b", role="employer", employer_id=employer_b.id)
    return token_headers(client, "emp_b")


@pytest.fixture
def as_wulong_office(client):
    UserFactory(username="office_wl", role="office", office_district="500156")
    return token_headers(client, "office_wl")


@pytest.fixture
def as_beibei_office(client):
    UserFactory(username="office_bb", role="office", office_district="500109")
    return token_headers(client, "office_bb")


@pytest.fixture
def as_city_office(client):
    UserFactory(username="office_city", role="office")
    return token_headers(client, "office_city")


@pytest.fixture
def as_admin(client):
    UserFactory(username="admin", role="admin")
    return token_headers(client, "admin")


@pytest.fixture
def seeker_user(ctx):
    user = UserFactory(username="seeker1", role="seeker")
    seeker = SeekerFactory(user_id=user.id, name="李明")
    return user, seeker


@pytest.fixture
def as_seeker(client, seeker_user):
    return token_headers(client, "seeker1")
