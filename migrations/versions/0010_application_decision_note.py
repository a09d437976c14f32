"""application decision note: the employer's (or office's) note beside the seeker's cover note

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 23:20:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('decision_note_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_note_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_application_decision_note_by_user_account'), 'user_account', ['decision_note_by'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_application_decision_note_by_user_account'), type_='foreignkey')
        batch_op.drop_column('decision_note_at')
        batch_op.drop_column('decision_note_by')
        batch_op.drop_column('decision_note')
