"""The documented backup and restore, run for real on PostgreSQL: same rows and settlement totals.

A source database is built through the app's services (a Wulong program, enrolments, an early
leave, two settled months), dumped with ``deploy/jianxi-backup.sh`` (the nightly job) and
restored into a fresh database with the commands of docs/operations.md, "Backups and restore".
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import URL, make_url

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import SubsidyLine, User
from app.services.seeding import seed_districts, seed_occupations
from app.services.settlement import record_payment, run_settlement
from app.services.traineeships import enrol, record_outcome
from tests import scenario
from tests.factories import ApplicationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "operations.md"
TOOLS = ("pg_dump", "pg_restore", "createdb", "psql")
# The restore commands exactly as docs/operations.md gives them (checked below), run by bash in
# the project folder with BACKUP, NEW and OWNER set and PGHOST/PGPORT/PGUSER naming the server.
RESTORE = (
    'createdb --owner="$OWNER" "$NEW"',
    'pg_restore --no-owner --role="$OWNER" --exit-on-error --dbname="$NEW" "$BACKUP"',
    'psql -XAt --dbname="$NEW" --file=deploy/backup-check.sql | diff "$BACKUP.counts" -',
)
UPGRADE = "flask --app wsgi db upgrade"


def _server(app) -> URL:
    """The test server's URL; skip unless it is PostgreSQL and its client tools are installed."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        pytest.skip("backup and restore need PostgreSQL (set TEST_DATABASE_URL)")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"PostgreSQL client tools not installed: {', '.join(missing)}")
    return url


def _app_on(url: URL):
    """An app of the service on one database of the server."""
    config = type(
        "BackupConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        },
    )
    return create_app(config)


@pytest.fixture
def databases(app):
    """Names for a source and a restored database on the test server, both dropped afterwards."""
    server = _server(app)
    suffix = uuid.uuid4().hex[:10]
    names = (f"jianxi_backup_src_{suffix}", f"jianxi_backup_new_{suffix}")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{names[0]}"'))
    yield server, names
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _settled_program() -> None:
    """A Wulong program with four trainees (one left early), November and December settled, November paid."""
    program = scenario.program()
    posts = scenario.posts(program, scenario.hosts())
    office = UserFactory(username="backup_office", role="office", office_district="500156")
    trainees = []
    for person, post in zip(scenario.graduates(), posts, strict=False):
        ApplicationFactory(seeker=person, posting=post)
        body = {
            "seeker_id": person.id,
            "posting_id": post.id,
            "program_id": program.id,
            "started_on": program.starts_on.replace(day=9),
        }
        trainees.append(enrol(office, body))
    run_settlement(office, program.key, "2023-11")
    office = db.session.get(User, office.id)
    record_outcome(
        office, trainees[0].id, "left_early", program.starts_on.replace(month=11, day=20)
    )
    run_settlement(office, program.key, "2023-12")
    record_payment(office, program.id, "2023-11", "财付-2023-11")


def _counts() -> dict[str, int]:
    """Rows of every table of the models (and the migrations' version table)."""
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    counts["alembic_version"] = db.session.scalar(text("SELECT count(*) FROM alembic_version"))
    return counts


def _totals() -> dict[tuple, int]:
    """Sum of subsidy line amounts per program and month."""
    rows = db.session.execute(
        select(SubsidyLine.program_id, SubsidyLine.month, func.sum(SubsidyLine.amount)).group_by(
            SubsidyLine.program_id, SubsidyLine.month
        )
    )
    return {(program, month): total for program, month, total in rows}


def _run(command: str | list[str], env: dict[str, str]) -> None:
    """Run a command in the project folder; fail the test with its output if it fails."""
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command] if isinstance(command, str) else command,
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"


@pytest.mark.postgres
def test_nightly_dump_restores_into_a_fresh_database_with_every_row(databases, tmp_path):
    server, (source_name, new_name) = databases
    doc = DOC.read_text(encoding="utf-8")
    assert "deploy/jianxi-backup.sh" in doc and UPGRADE in doc
    for command in RESTORE:
        assert command in doc, f"docs/operations.md no longer says: {command}"

    source = _app_on(server.set(database=source_name))
    with source.app_context():
        upgrade()
        seed_districts()
        seed_occupations()
        _settled_program()
        before, settled = _counts(), _totals()
        db.session.remove()
        db.engine.dispose()
    assert settled and all(before[name] for name in ("traineeship", "subsidy_line", "audit_event"))

    libpq = server.set(drivername="postgresql", database=source_name)
    _run(
        "deploy/jianxi-backup.sh",
        {"DB": libpq.render_as_string(hide_password=False), "BACKUP_DIR": str(tmp_path)},
    )
    (backup,) = tmp_path.glob("jianxi-*.dump")
    server_env = {
        "PGHOST": server.host or "localhost",
        "PGPORT": str(server.port or 5432),
        "PGUSER": server.username or "postgres",
        "PGPASSWORD": server.password or "",
    }
    restore_env = {"BACKUP": str(backup), "NEW": new_name, "OWNER": server_env["PGUSER"]}
    _run("\n".join(RESTORE), {**server_env, **restore_env})
    restored_url = server.set(database=new_name).render_as_string(hide_password=False)
    _run(
        [sys.executable, "-m", *UPGRADE.split()],
        {
            "DATABASE_URL": restored_url,
            "SECRET_KEY": "backup-restore-test-" + "0" * 32,
            "PYTHONWARNINGS": "ignore",
        },
    )

    restored = _app_on(server.set(database=new_name))
    with restored.app_context():
        assert _counts() == before
        assert _totals() == settled
        db.session.remove()
        ready = restored.test_client().get("/health/ready")
        assert ready.status_code == 200, ready.json
        db.session.remove()
        db.engine.dispose()
