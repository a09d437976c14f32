"""Fixtures for the policy engine in the app: loaded rulebooks, Wulong programs, hosts, posts, roles."""

import datetime as dt

import pytest

from app.services.rulebooks import default_files, load_files
from tests.factories import (
    EmployerFactory,
    PostingFactory,
    ProgramFactory,
    SeekerFactory,
    UserFactory,
    login,
)


@pytest.fixture
def rulebooks(ctx):
    return load_files(default_files())


@pytest.fixture
def enterprise(rulebooks):
    return ProgramFactory(
        key="wl-enterprise", starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2023, 12, 31)
    )


@pytest.fixture
def public(rulebooks):
    return ProgramFactory(
        key="wl-public",
        kind="public",
        quota=50,
        floor=50,
        monthly_rate=2100,
        starts_on=dt.date(2023, 1, 1),
        ends_on=dt.date(2023, 12, 31),
    )


@pytest.fixture
def host_a(ctx):
    return EmployerFactory(name="武隆甲见习基地", host_approved=True)


@pytest.fixture
def host_b(ctx):
    return EmployerFactory(name="武隆乙见习基地", host_approved=True)


def trainee_post(host, program, slots: int = 10, months: int = 6):
    """A published trainee post of a program at a host."""
    return PostingFactory(
        employer=host,
        kind="traineeship",
        program=program,
        slots=slots,
        duration_months=months,
        title="软件测试见习",
    )


@pytest.fixture
def post_a(host_a, enterprise):
    return trainee_post(host_a, enterprise)


@pytest.fixture
def post_b(host_b, enterprise):
    return trainee_post(host_b, enterprise)


@pytest.fixture
def as_office(client):
    UserFactory(username="wl_office", role="office", office_district="500156")
    return login(client, "wl_office")


@pytest.fixture
def as_beibei(client):
    UserFactory(username="bb_office", role="office", office_district="500109")
    return login(client, "bb_office")


@pytest.fixture
def as_host_a(client, host_a):
    UserFactory(username="host_a", role="employer", employer_id=host_a.id)
    return login(client, "host_a")


@pytest.fixture
def as_host_b(client, host_b):
    UserFactory(username="host_b", role="employer", employer_id=host_b.id)
    return login(client, "host_b")


def enrol_body(seeker, post, program, start=dt.date(2023, 7, 1), months=None) -> dict:
    """The JSON body of an enrolment."""
    body = {
        "seeker_id": seeker.id,
        "posting_id": post.id,
        "program_id": program.id,
        "started_on": start.isoformat(),
    }
    if months:
        body["planned_months"] = months
    return body


@pytest.fixture
def seeker(ctx):
    return SeekerFactory()
