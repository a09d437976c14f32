"""API fixtures: users of every role and their bearer-token headers."""

import pytest

from tests.factories import EmployerFactory, SeekerFactory, UserFactory, login


@pytest.fixture
def employer_a(ctx):
    return EmployerFactory(name="武隆甲科技有限公司", district_code="500156")


@pytest.fixture
def employer_b(ctx):
    return EmployerFactory(name="北碚乙制造有限公司", district_code="500109")


@pytest.fixture
def as_employer_a(client, employer_a):
    UserFactory(username="emp_a", role="employer", employer_id=employer_a.id)
    return login(client, "emp_a")


@pytest.fixture
def as_employer_b(client, employer_b):
    UserFactory(username="emp_b", role="employer", employer_id=employer_b.id)
    return login(client, "emp_b")


@pytest.fixture
def as_wulong_office(client):
    UserFactory(username="office_wl", role="office", office_district="500156")
    return login(client, "office_wl")


@pytest.fixture
def as_beibei_office(client):
    UserFactory(username="office_bb", role="office", office_district="500109")
    return login(client, "office_bb")


@pytest.fixture
def as_city_office(client):
    UserFactory(username="office_city", role="office")
    return login(client, "office_city")


@pytest.fixture
def as_admin(client):
    UserFactory(username="admin", role="admin")
    return login(client, "admin")


@pytest.fixture
def seeker_user(ctx):
    user = UserFactory(username="seeker1", role="seeker")
    seeker = SeekerFactory(user_id=user.id, name="李明")
    return user, seeker


@pytest.fixture
def as_seeker(client, seeker_user):
    return login(client, "seeker1")
