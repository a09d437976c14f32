"""seal TOTP secrets at rest: widen the column and encrypt the secrets stored in clear

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 08:20:00

"""
from alembic import op
import sqlalchemy as sa

from app.sealing import seal, unseal


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

USERS = sa.table('user_account', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def _rewrite(change) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(USERS.c.id, USERS.c.totp_secret).where(USERS.c.totp_secret.is_not(None))
    ).all()
    for user_id, secret in rows:
        connection.execute(
            USERS.update().where(USERS.c.id == user_id).values(totp_secret=change(secret))
        )


def upgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.alter_column('totp_secret', type_=sa.String(255), existing_type=sa.String(32))
    _rewrite(seal)


def downgrade():
    _rewrite(unseal)
    with op.batch_alter_table('user_account') as batch:
        batch.alter_column('totp_secret', type_=sa.String(32), existing_type=sa.String(255))
