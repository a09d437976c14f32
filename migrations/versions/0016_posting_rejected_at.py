"""posting rejected_at: when an office last rejected it, so no reopening skips a new review

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN, not batch mode: rebuilding the table on SQLite would drop the search
# triggers of migration 0003.
def upgrade():
    op.add_column('posting', sa.Column('rejected_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE posting SET rejected_at = updated_at WHERE status = 'rejected'")


def downgrade():
    op.drop_column('posting', 'rejected_at')
