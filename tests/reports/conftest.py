"""Fixtures for office reports: a Wulong program with hosts and posts, seekers in priority groups, offices."""

import datetime as dt

import pytest

from tests import scenario
from tests.factories import PostingFactory, SeekerFactory, UserFactory, login


@pytest.fixture(autouse=True)
def no_redis(app, monkeypatch):
    """Reports run inline unless a test asks for Redis."""
    monkeypatch.setitem(app.config, "REDIS_URL", None)


@pytest.fixture
def program(ctx):
    return scenario.program(quota=20, floor=10)


@pytest.fixture
def hosts(ctx):
    return scenario.hosts()


@pytest.fixture
def posts(program, hosts):
    job = PostingFactory(employer=hosts[0], title="软件测试工程师", slots=3)
    return [*scenario.posts(program, hosts), job]


@pytest.fixture
def seekers(ctx):
    """Eight eligible Wulong graduates (four difficult graduates) and two who may not be trainees."""
    people = []
    for i in range(8):
        it = i % 2 == 0
        people.append(
            SeekerFactory(
                name=f"见习生{i}",
                gender="F" if i < 4 else "M",
                birth_date=dt.date(2001, 1, 1 + i),
                graduation_date=dt.date(2023, 6, 30),
                desired_occupations=["4-04-05-02"] if it else ["4-02-06-01"],
                skills=["Python", "SQL"] if it else ["Excel", "叉车"],
                summary="软件测试 Python SQL" if it else "仓库管理 Excel 叉车",
                priority_groups=["difficult_graduate", "graduate_2y"] if i < 4 else [],
            )
        )
    people.append(
        SeekerFactory(
            name="超龄者",
            birth_date=dt.date(1993, 3, 3),
            graduation_date=dt.date(2015, 6, 30),
            registered_unemployed_since=dt.date(2023, 1, 1),
            desired_occupations=["4-04-05-02"],
            skills=["Python", "SQL"],
            summary="软件测试 Python SQL",
            priority_groups=["long_term_unemployed"],
        )
    )
    people.append(scenario.early_graduate())
    return people


@pytest.fixture
def office(ctx):
    return UserFactory(username="wl_office", role="office", office_district="500156")


@pytest.fixture
def as_office(client, office):
    return login(client, "wl_office")


@pytest.fixture
def as_beibei(client):
    UserFactory(username="bb_office", role="office", office_district="500109")
    return login(client, "bb_office")


@pytest.fixture
def as_city(client):
    UserFactory(username="city_office", role="office", office_district=None)
    return login(client, "city_office")


@pytest.fixture
def as_host(client, hosts):
    UserFactory(username="host0", role="employer", employer_id=hosts[0].id)
    return login(client, "host0")


@pytest.fixture
def as_seeker(client, seekers):
    user = UserFactory(username="seeker0", role="seeker")
    seekers[0].user_id = user.id
    from app.extensions import db

    db.session.commit()
    return login(client, "seeker0")
