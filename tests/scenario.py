"""Plain builders for the matching, placement and settlement page tests (a small Wulong program)."""

import datetime as dt

from app.extensions import db
from app.models import Traineeship
from app.services.rulebooks import default_files, load_files
from tests.factories import EmployerFactory, PostingFactory, ProgramFactory, SeekerFactory

TITLES = [
    ("软件测试员", "4-04-05-02", ["Python", "SQL"]),
    ("仓储管理员", "4-02-06-01", ["Excel", "叉车"]),
]


def program(**changes):
    """The rulebooks loaded and an enterprise program of Wulong (quota 5, floor 6)."""
    load_files(default_files())
    values = {
        "key": "wl-2023-ent",
        "quota": 5,
        "floor": 6,
        "name_en": "Wulong 2023 traineeships (enterprises)",
        "starts_on": dt.date(2023, 10, 7),
        "ends_on": dt.date(2023, 12, 31),
        **changes,
    }
    return ProgramFactory(**values)


def hosts(count: int = 2) -> list:
    """Approved traineeship hosts in Wulong."""
    return [EmployerFactory(name=f"武隆见习基地{i}", host_approved=True) for i in range(count)]


def posts(prog, host_list: list) -> list:
    """Two published trainee posts of two places at each host."""
    return [
        PostingFactory(
            employer=host,
            kind="traineeship",
            program=prog,
            slots=2,
            duration_months=6,
            title=title,
            occupation_code=code,
            skills=skills,
            description=f"{title}见习岗位，需要 {' '.join(skills)}",
        )
        for host in host_list
        for title, code, skills in TITLES
    ]


def graduates() -> list:
    """Six eligible Wulong graduates and one who is too old for the program."""
    people = []
    for i in range(6):
        it = i % 2 == 0
        people.append(
            SeekerFactory(
                name=f"见习生{i}",
                birth_date=dt.date(2001, 1, 1 + i),
                phone=f"1380000{i:04d}",
                visible=True,
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
            visible=True,
            desired_occupations=["4-04-05-02"],
            skills=["Python", "SQL"],
            summary="软件测试 Python SQL",
        )
    )
    return people


def early_graduate():
    """A tester who left school in 2019: more than two years ago, so not a program graduate."""
    return SeekerFactory(
        name="早毕业",
        birth_date=dt.date(1997, 3, 3),
        graduation_date=dt.date(2019, 6, 30),
        desired_occupations=["4-04-05-02"],
        skills=["Python", "SQL"],
        summary="软件测试 Python SQL",
    )


def traineeship(seeker, post, start: dt.date, months: int, outcome="active", end=None):
    """Insert a traineeship row directly (settlement scenarios)."""
    row = Traineeship(
        seeker_id=seeker.id,
        posting_id=post.id,
        program_id=post.program_id,
        host_id=post.employer_id,
        started_on=start,
        planned_months=months,
        outcome=outcome,
        ended_on=end,
    )
    db.session.add(row)
    db.session.commit()
    return row
