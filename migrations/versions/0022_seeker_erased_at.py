"""seeker.erased_at: when a seeker deleted the account and the profile was anonymised (PIPL)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 04:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('seeker', sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('seeker', 'erased_at')
