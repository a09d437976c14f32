"""updated_at indexes on posting and seeker: the indexes' sync reads the changed rows, not all

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 12:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_posting_updated', 'posting', ['updated_at'])
    op.create_index('ix_seeker_updated', 'seeker', ['updated_at'])


def downgrade():
    op.drop_index('ix_seeker_updated', table_name='seeker')
    op.drop_index('ix_posting_updated', table_name='posting')
