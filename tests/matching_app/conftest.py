"""Fixtures for ranking and placement through the app: a small Wulong program with hosts and seekers."""

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
def program(ctx):
    load_files(default_files())
    return ProgramFactory(
        key="wl-2023-ent",
        quota=5,
        floor=6,
        starts_on=dt.date(2023, 10, 7),
        ends_on=dt.date(2023, 12, 31),
    )


@pytest.fixture
def hosts(ctx):
    return [EmployerFactory(name=f"武隆见习基地{i}", host_approved=True) for i in range(2)]


@pytest.fixture
def posts(program, hosts):
    titles = [
        ("软件测试员", "4-04-05-02", ["Python", "SQL"]),
        ("仓储管理员", "4-02-06-01", ["Excel", "叉车"]),
    ]
    return [
        PostingFactory(
            employer=host,
            kind="traineeship",
            program=program,
            slots=2,
            duration_months=6,
            title=title,
            occupation_code=code,
            skills=skills,
            description=f"{title}见习岗位，需要 {' '.join(skills)}",
        )
        for host in hosts
        for title, code, skills in titles
    ]


@pytest.fixture
def seekers(ctx):
    """Six eligible Wulong graduates and two who are not (aged 30; left school in 2019)."""
    people = []
    for i in range(6):
        it = i % 2 == 0
        people.append(
            SeekerFactory(
                name=f"见习生{i}",
                birth_date=dt.date(2001, 1, 1 + i),
                graduation_date=dt.date(2023, 6, 30),
                desired_occupations=["4-04-05-02"] if it else ["4-02-06-01"],
                skills=["Python", "SQL"] if it else ["Excel", "叉车"],
                summary="软件测试 Python SQL" if it else "仓库管理 Excel 叉车",
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
        )
    )
    people.append(
        SeekerFactory(
            name="早毕业",
            birth_date=dt.date(1997, 3, 3),
            graduation_date=dt.date(2019, 6, 30),
            desired_occupations=["4-04-05-02"],
            skills=["Python", "SQL"],
            summary="软件测试 Python SQL",
        )
    )
    return people


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
