"""300 enrolments at once into a 200-seat program: exactly 200 succeed, 100 get a clear 409.

Each thread runs the enrolment service in its own app context, so with its own session and
database connection; a second app over the same database gets a pool as large as the threads.
"""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app import create_app
from app.config import TestConfig
from app.errors import Conflict
from app.extensions import db
from app.models import Posting, Program, Seeker, Traineeship, User
from app.services.rulebooks import default_files, load_files
from app.services.traineeships import QUOTA_FULL, enrol
from tests.factories import (
    EmployerFactory,
    PostingFactory,
    ProgramFactory,
    UserFactory,
    make_id_number,
)

ATTEMPTS = 300
QUOTA = 200
THREADS = 32


def _racing_app(app):
    """An app over the same database whose pool holds a connection per thread."""
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    options.update(pool_size=THREADS, max_overflow=4, pool_timeout=120)
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite":
        # SQLite serialises writers: wait for the lock instead of failing with "database is locked".
        options["connect_args"] = {"timeout": 120}
    config = type(
        "RacingConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": options,
        },
    )
    return create_app(config)


def test_concurrent_enrolments_fill_exactly_the_quota(app, ctx):
    load_files(default_files())
    program = ProgramFactory(
        key="race", quota=QUOTA, starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2023, 12, 31)
    )
    posts = [
        PostingFactory(
            employer=EmployerFactory(host_approved=True),
            kind="traineeship",
            program=program,
            slots=100,
            duration_months=6,
            title="见习",
        )
        for _ in range(4)
    ]
    office = UserFactory(username="race_office", role="office", office_district="500156")
    seekers = [
        Seeker(
            name=f"并发{i}",
            id_number=make_id_number(dt.date(2001, 5, 17)),
            birth_date=dt.date(2001, 5, 17),
            hukou_district="500156",
            education="bachelor",
            graduation_date=dt.date(2023, 6, 30),
        )
        for i in range(ATTEMPTS)
    ]
    db.session.add_all(seekers)
    db.session.commit()
    jobs = [
        {
            "seeker_id": s.id,
            "posting_id": posts[i % 4].id,
            "program_id": program.id,
            "started_on": dt.date(2023, 7, 3),
        }
        for i, s in enumerate(seekers)
    ]
    office_id = office.id  # read here: the main session must not be touched from the threads
    racing = _racing_app(app)

    def attempt(data: dict) -> str:
        with racing.app_context():
            try:
                enrol(db.session.get(User, office_id), data)
                return "enrolled"
            except Conflict as exc:
                return "quota full" if exc.message == QUOTA_FULL else f"conflict: {exc.message}"
            except Exception as exc:
                return f"error: {exc!r}"
            finally:
                db.session.remove()

    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            outcomes = list(pool.map(attempt, jobs))
    finally:
        with racing.app_context():
            db.engine.dispose()

    others = [o for o in outcomes if o not in ("enrolled", "quota full")]
    assert others == [], sorted(set(others))[:5]
    assert outcomes.count("enrolled") == QUOTA and outcomes.count("quota full") == ATTEMPTS - QUOTA
    db.session.expire_all()
    assert db.session.get(Program, program.id).seats_taken == QUOTA
    assert db.session.scalar(select(func.count()).select_from(Traineeship)) == QUOTA
    per_seeker = (
        select(Traineeship.seeker_id).group_by(Traineeship.seeker_id).having(func.count() > 1)
    )
    assert db.session.scalars(per_seeker).all() == []
    filled = db.session.scalar(
        select(func.sum(Posting.slots_filled)).where(Posting.program_id == program.id)
    )
    assert filled == QUOTA
