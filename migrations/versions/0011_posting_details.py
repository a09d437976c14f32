"""posting details: work address, hours, benefits, contact and the application deadline

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 23:35:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


# Plain ADD/DROP COLUMN, not batch mode: rebuilding the table on SQLite would drop the search
# triggers of migration 0003.
COLUMNS = ('work_address', 'work_hours', 'benefits', 'contact_name', 'contact_phone', 'apply_by')


def upgrade():
    op.add_column('posting', sa.Column('work_address', sa.String(length=200), nullable=True))
    op.add_column('posting', sa.Column('work_hours', sa.String(length=120), nullable=True))
    op.add_column('posting', sa.Column('benefits', JSON, server_default='[]', nullable=False))
    op.add_column('posting', sa.Column('contact_name', sa.String(length=60), nullable=True))
    op.add_column('posting', sa.Column('contact_phone', sa.String(length=20), nullable=True))
    op.add_column('posting', sa.Column('apply_by', sa.Date(), nullable=True))


def downgrade():
    for column in reversed(COLUMNS):
        op.drop_column('posting', column)
