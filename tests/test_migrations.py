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


def test_the_sealing_migration_seals_secrets_stored_in_clear_and_unseals_them_back(app):
    from sqlalchemy import text

    from app.sealing import unseal

    clear = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    with app.app_context():
        downgrade(revision="0024")
        try:
            with db.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO user_account (username, password_hash, role, active, "
                        "token_version, totp_secret, created_at) VALUES "
                        "('legacy-clerk', 'x', 'office', true, 0, :secret, CURRENT_TIMESTAMP)"
                    ),
                    {"secret": clear},
                )
            upgrade()
            with db.engine.connect() as conn:
                stored = conn.execute(
                    text("SELECT totp_secret FROM user_account WHERE username = 'legacy-clerk'")
                ).scalar_one()
            assert stored != clear and unseal(stored) == clear
            downgrade(revision="0024")
            with db.engine.connect() as conn:
                assert (
                    conn.execute(
                        text("SELECT totp_secret FROM user_account WHERE username = 'legacy-clerk'")
                    ).scalar_one()
                    == clear
                )
        finally:
            upgrade()
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM user_account WHERE username = 'legacy-clerk'"))
