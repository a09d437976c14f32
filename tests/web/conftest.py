"""Fixtures for page tests: users of each role and a way to log a test client in as one."""

import pytest

from tests.factories import EmployerFactory, PostingFactory, SeekerFactory, UserFactory


def login(client, user) -> None:
    """Log the test client in as the user without going through the login form."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def seeker_user(ctx):
    """A seeker account with a profile."""
    user = UserFactory(role="seeker")
    SeekerFactory(user_id=user.id, name="李明")
    return user


@pytest.fixture
def employer_user(ctx):
    """An employer account of an organisation in Wulong."""
    employer = EmployerFactory(name="武隆山水旅游有限公司")
    return UserFactory(role="employer", employer_id=employer.id)


@pytest.fixture
def office_user(ctx):
    """An office account scoped to Wulong (500156)."""
    return UserFactory(role="office", office_district="500156")


@pytest.fixture
def posting(ctx, employer_user):
    """A published job of the employer."""
    return PostingFactory(
        employer=employer_user.employer, title="导游讲解员", description="负责景区讲解。"
    )
