"""user_account.totp_secret, totp_last_step: TOTP second factor of office and admin staff

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 03:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('user_account', sa.Column('totp_secret', sa.String(32), nullable=True))
    op.add_column('user_account', sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('user_account', 'totp_last_step')
    op.drop_column('user_account', 'totp_secret')
