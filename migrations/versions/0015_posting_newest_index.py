"""posting: an index serving the newest published postings (home page, listing search order)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 00:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_posting_newest', 'posting', ['status', 'published_at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_posting_newest', table_name='posting')
