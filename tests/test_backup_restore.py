"""Backups (issue 23): the documented pg_dump / pg_restore procedure brings every record back.

PostgreSQL only (``TEST_DATABASE_URL``): a program with traineeships and settled months is
dumped with the commands of docs/operations.md § Backups, restored into a fresh database,
and every table's row count and the settlement totals are compared.
"""

import datetime as dt
import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text

from app.extensions import db
from app.models import SubsidyLine
from app.services import settlement
from tests import scenario

pytestmark = pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="pg_dump and pg_restore are not installed",
)


def _libpq(url) -> str:
    """The URL as libpq (pg_dump, pg_restore) reads it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _counts(conn) -> dict[str, int]:
    tables = [t.name for t in db.metadata.sorted_tables]
    return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


def _totals(conn) -> list[tuple]:
    return conn.execute(
        select(SubsidyLine.program_id, SubsidyLine.month, func.sum(SubsidyLine.amount))
        .group_by(SubsidyLine.program_id, SubsidyLine.month)
        .order_by(SubsidyLine.program_id, SubsidyLine.month)
    ).all()


def test_a_dump_restored_into_a_fresh_database_holds_every_record(app, ctx, tmp_path):
    url = db.engine.url
    if url.get_backend_name() != "postgresql":
        pytest.skip("backups are pg_dump / pg_restore: PostgreSQL only")
    prog = scenario.program(key="backup-2023")
    post = scenario.posts(prog, scenario.hosts(1))[0]
    for seeker in scenario.graduates()[:2]:
        scenario.traineeship(seeker, post, dt.date(2023, 10, 9), 6)
    settlement.run_settlement(None, prog.key, "2023-11")
    settlement.record_payment(None, prog.id, "2023-10", "财付-2023-10")
    db.session.commit()
    schema = db.session.execute(text("SELECT current_schema()")).scalar_one()

    dump = tmp_path / "jianxi.dump"
    # docs/operations.md § Backups (one schema here: the test database holds one per worker).
    subprocess.run(
        ["pg_dump", "--format=custom", f"--schema={schema}", f"--file={dump}", _libpq(url)],
        check=True,
    )
    fresh = f"jianxi_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{fresh}"'))
    restored = url.set(database=fresh)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(restored)}", dump],
            check=True,
        )
        copy = create_engine(restored, connect_args={"options": f"-csearch_path={schema},public"})
        with db.engine.connect() as source, copy.connect() as target:
            assert _counts(target) == _counts(source)
            assert _totals(target) == _totals(source) and _totals(source)
            version = "SELECT version_num FROM alembic_version"
            assert target.execute(text(version)).all() == source.execute(text(version)).all()
        copy.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)'))
        admin.dispose()
