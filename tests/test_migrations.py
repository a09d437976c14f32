"""The migrations build exactly the schema the models describe, and unwind to nothing."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db
from app.services.search import include_name


def test_upgrade_to_head_matches_models_and_downgrade_empties(app):
    with app.app_context():
        # The session fixture already upgraded this database to head.
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include_name}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        upgrade()
        from app.services.seeding import seed_districts, seed_occupations

        seed_districts()
        seed_occupations()
        with db.engine.connect() as conn:
            assert "traineeship" in inspect(conn).get_table_names()
