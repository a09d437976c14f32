"""Fixtures for ranking and placement through the app: a small Wulong program with hosts and seekers."""

import pytest

from tests import scenario
from tests.factories import EmployerFactory, UserFactory, login


@pytest.fixture
def program(ctx):
    return scenario.program()


@pytest.fixture
def hosts(ctx):
    return scenario.hosts()


@pytest.fixture
def posts(program, hosts):
    return scenario.posts(program, hosts)


@pytest.fixture
def seekers(ctx):
    """Six eligible Wulong graduates and two who are not (aged 30; left school in 2019)."""
    return [*scenario.graduates(), scenario.early_graduate()]


@pytest.fixture
def as_office(client):
    UserFactory(username="wl_office", role="office", office_district="500156")
    return login(client, "wl_office")


@pytest.fixture
def as_beibei_office(client):
    UserFactory(username="bb_office", role="office", office_district="500109")
    return login(client, "bb_office")


@pytest.fixture
def as_host(client, hosts):
    UserFactory(username="host0", role="employer", employer_id=hosts[0].id)
    return login(client, "host0")


@pytest.fixture
def as_other_employer(client):
    other = EmployerFactory(name="北碚无关公司", district_code="500109")
    UserFactory(username="other_emp", role="employer", employer_id=other.id)
    return login(client, "other_emp")
