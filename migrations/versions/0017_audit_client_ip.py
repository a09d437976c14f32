"""audit_event.ip: the client address of every audited action (ASVS V7, PIPL audit)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 02:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('audit_event', sa.Column('ip', sa.String(45), nullable=True))
    op.create_index('ix_audit_event_entity', 'audit_event', ['entity', 'entity_id'])


def downgrade():
    op.drop_index('ix_audit_event_entity', table_name='audit_event')
    op.drop_column('audit_event', 'ip')
