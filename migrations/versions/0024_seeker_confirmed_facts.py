"""seeker confirmed facts: which self-declared facts an office has checked, and the value checked

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 08:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    op.add_column(
        'seeker',
        sa.Column('confirmed_facts', JSON, nullable=False, server_default=sa.text("'{}'")),
    )


def downgrade():
    op.drop_column('seeker', 'confirmed_facts')
