"""seeker education and work history: the schools attended and the jobs held, as JSON lists

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 03:45:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')


def upgrade():
    for column in ('education_history', 'work_history'):
        op.add_column(
            'seeker', sa.Column(column, JSON, nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade():
    op.drop_column('seeker', 'work_history')
    op.drop_column('seeker', 'education_history')
