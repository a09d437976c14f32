"""factory_boy factories that build valid rows (valid ID numbers and credit codes included)."""

import datetime as dt
import itertools

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.auth import hash_password
from app.extensions import db
from app.identifiers import id_check_char, uscc_check_char
from app.models import Application, Employer, Posting, Program, Seeker, User
from app.services import declared_facts

PASSWORD = "correct horse battery"
_HASH = hash_password(PASSWORD)
_serial = itertools.count(1)


def login(client, username: str) -> dict[str, str]:
    """Log in through the API with the factories' password and return the Authorization header."""
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def make_id_number(birth: dt.date = dt.date(2001, 5, 17), region: str = "500156") -> str:
    """A valid GB 11643 ID number, unique per call."""
    first17 = f"{region}{birth:%Y%m%d}{next(_serial) % 1000:03d}"
    return first17 + id_check_char(first17)


def make_credit_code() -> str:
    """A valid GB 32100 unified social credit code, unique per call."""
    first17 = f"91500156MA{next(_serial):07d}"
    return first17 + uscc_check_char(first17)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class EmployerFactory(Base):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"武隆测试科技有限公司{n}")
    credit_code = factory.LazyFunction(make_credit_code)
    size_class = "sme"
    industry = "软件和信息技术服务业"
    district_code = "500156"


class UserFactory(Base):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    password_hash = _HASH
    role = "seeker"


_UNDECLARED = {"employed": False}


def _checked_by_an_office(person) -> dict:
    """Every declared fact confirmed, as for a person whose papers an office has seen."""
    if person.declared_only:
        return {}
    names = [name for fields in declared_facts.FACTS.values() for name in fields]
    values = {name: getattr(person, name, _UNDECLARED.get(name)) for name in names}
    plain = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
    return {
        fact: {
            "value": [plain[name] for name in fields],
            "by": None,
            "by_name": "测试经办机构",
            "on": "2023-01-02",
        }
        for fact, fields in declared_facts.FACTS.items()
    }


class SeekerFactory(Base):
    """A seeker whose declared facts an office has confirmed (``declared_only=True``: none are)."""

    class Meta:
        model = Seeker

    class Params:
        declared_only = False

    name = factory.Sequence(lambda n: f"张{n}")
    birth_date = dt.date(2001, 5, 17)
    id_number = factory.LazyAttribute(lambda o: make_id_number(o.birth_date))
    hukou_district = "500156"
    district_code = "500156"
    education = "bachelor"
    school = "重庆邮电大学"
    major = "软件工程"
    graduation_date = dt.date(2023, 6, 30)
    skills = factory.LazyFunction(lambda: ["Python", "SQL"])
    confirmed_facts = factory.LazyAttribute(_checked_by_an_office)


class ProgramFactory(Base):
    class Meta:
        model = Program

    key = factory.Sequence(lambda n: f"test-program-{n}")
    name = "武隆区2023年青年就业见习（企业）"
    district_code = "500156"
    kind = "enterprise"
    quota = 200
    floor = 200
    monthly_rate = 1300
    rulebook = "wulong-2023.toml"
    starts_on = dt.date(2023, 10, 7)
    ends_on = dt.date(2023, 12, 31)


class PostingFactory(Base):
    class Meta:
        model = Posting

    employer = factory.SubFactory(EmployerFactory)
    kind = "job"
    title = "软件测试员"
    description = "负责软件功能测试，编写测试用例，使用 Python 和 SQL。"
    occupation_code = "4-04-05-02"
    salary_min = 4000
    salary_max = 6000
    district_code = "500156"
    slots = 2
    status = "published"
    search_text = factory.LazyAttribute(lambda o: f"{o.title} {o.description}".casefold())
    published_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))


class ApplicationFactory(Base):
    class Meta:
        model = Application

    seeker = factory.SubFactory(SeekerFactory)
    posting = factory.SubFactory(PostingFactory)
