"""audit_event.district: the district an event concerns, so a district's office reads its own trail

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 04:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('audit_event', sa.Column('district', sa.String(6), nullable=True))
    op.create_index('ix_audit_event_district', 'audit_event', ['district'])


def downgrade():
    op.drop_index('ix_audit_event_district', table_name='audit_event')
    op.drop_column('audit_event', 'district')
